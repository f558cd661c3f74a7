/**
 * What a distribution's metadata says about its license, as SPDX where it can
 * be said: the `License-Expression` field (PEP 639), else a `License` field
 * that is an SPDX expression, a well-known name or a license's full text,
 * else the trove classifiers, else the license texts it ships, else unknown.
 * And the questions asked of it: is it copyleft, does license-deny refuse it.
 *
 * license-deny fails closed: `GPL-3.0-or-later` (or `GPL-3.0+`) is refused by
 * `GPL-3.0-only` when no later version exists to choose instead; names
 * (`GNU GPL v3`, `GPL-3`) are read as the ids they stand for; a name of a
 * license family without its version (the `GNU General Public License (GPL)`
 * classifier, `BSD License`) may be any of the family; and a license that
 * cannot be classified (an invalid expression, an unknown name) is
 * undecided, which fails the build unless license-unknown is allow.
 */
import { fixupSpdxId } from '@cyclonedx/cyclonedx-library/SPDX'

/** The license fields of a distribution's metadata, as the Python helper reads them. */
export interface LicenseMetadata {
  /** `License-Expression` (metadata 2.4), '' when absent. */
  readonly licenseExpression: string
  /** `License`: a name, an SPDX id, or sometimes the whole text; '' when absent. */
  readonly license: string
  /** The `License :: …` classifiers. */
  readonly classifiers: readonly string[]
}

/** A distribution's license: an SPDX expression, or names that are not SPDX ids, or neither (unknown). */
export interface License {
  /** A valid SPDX expression with canonical ids, '' when there is none. */
  readonly expression: string
  /** License names without an SPDX id (e.g. 'BSD License' from a classifier). */
  readonly names: readonly string[]
  /** Where it was read. */
  readonly source: 'License-Expression' | 'License' | 'classifiers' | 'license text' | 'unknown'
  /** The License-Expression as written, when it is not a valid SPDX expression. */
  readonly invalidExpression?: string
  /**
   * For names of a license family that do not say which member (BSD License, the GPL of an unstated version):
   * every license it may be, as canonical ids or `Prefix-*` patterns.
   */
  readonly family?: readonly string[]
}

export type Expression = { readonly id: string; readonly exception?: string } | { readonly op: 'AND' | 'OR'; readonly args: readonly Expression[] }

/** Canonical SPDX id (case fixed), or undefined when it is not one; `LicenseRef-…` is kept as it is. */
export function spdxId(token: string): string | undefined {
  if (/^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(token)) return token
  const plus = token.endsWith('+')
  const fixed = fixupSpdxId(plus ? token.slice(0, -1) : token)
  return fixed ? `${fixed}${plus ? '+' : ''}` : undefined
}

/** Parses an SPDX license expression (operators in any case); undefined when it is not one. */
export function parseExpression(text: string): Expression | undefined {
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? []
  let at = 0
  const peek = (): string | undefined => tokens[at]
  const op = (): string => (peek() ?? '').toUpperCase()
  const primary = (): Expression | undefined => {
    const t = tokens[at++]
    if (t === undefined || t === ')') return undefined
    if (t === '(') {
      const inner = or()
      if (tokens[at++] !== ')') return undefined
      return inner
    }
    if (['AND', 'OR', 'WITH'].includes(t.toUpperCase())) return undefined
    const found = spdxId(t)
    if (!found) return undefined
    const id = canonicalId(found)
    if (op() === 'WITH') {
      at++
      const exception = tokens[at++]
      if (!exception || !/^[A-Za-z0-9.+-]+$/.test(exception)) return undefined
      return { id, exception }
    }
    return { id }
  }
  const chain = (kind: 'AND' | 'OR', next: () => Expression | undefined) => (): Expression | undefined => {
    const first = next()
    if (!first) return undefined
    const args = [first]
    while (op() === kind) {
      at++
      const arg = next()
      if (!arg) return undefined
      args.push(arg)
    }
    return args.length === 1 ? first : { op: kind, args }
  }
  const and = chain('AND', primary)
  const or = chain('OR', and)
  const result = or()
  return result && at === tokens.length ? result : undefined
}

/** The expression as SPDX writes it (canonical ids, upper-case operators, parentheses where needed). */
export function formatExpression(e: Expression, parent?: 'AND' | 'OR'): string {
  if ('id' in e) return e.exception ? `${e.id} WITH ${e.exception}` : e.id
  const text = e.args.map((a) => formatExpression(a, e.op)).join(` ${e.op} `)
  return parent && parent !== e.op ? `(${text})` : text
}

/** Every license id of an expression. */
export function expressionIds(e: Expression): string[] {
  return 'id' in e ? [e.id] : e.args.flatMap(expressionIds)
}

/**
 * Whether every way to comply with `e` uses a license that `matches`: an OR
 * needs all of its choices to match, an AND any of its parts.
 */
export function unavoidable(e: Expression, matches: (id: string) => boolean): boolean {
  if ('id' in e) return matches(e.id)
  return e.op === 'OR' ? e.args.every((a) => unavoidable(a, matches)) : e.args.some((a) => unavoidable(a, matches))
}

/** Common `License` field values that are names, not SPDX ids (lower case, punctuation dropped). */
const NAMES: Readonly<Record<string, string>> = {
  mit: 'MIT',
  'mit license': 'MIT',
  'the mit license': 'MIT',
  'mit no attribution': 'MIT-0',
  apache: 'Apache-2.0',
  'apache 2': 'Apache-2.0',
  'apache 20': 'Apache-2.0',
  apache2: 'Apache-2.0',
  'apache license 20': 'Apache-2.0',
  'apache license version 20': 'Apache-2.0',
  'apache software license 20': 'Apache-2.0',
  'apache software license version 20': 'Apache-2.0',
  'asl 2': 'Apache-2.0',
  'asl 20': 'Apache-2.0',
  'new bsd': 'BSD-3-Clause',
  'new bsd license': 'BSD-3-Clause',
  'modified bsd': 'BSD-3-Clause',
  'modified bsd license': 'BSD-3-Clause',
  'bsd 3 clause': 'BSD-3-Clause',
  'bsd 3clause': 'BSD-3-Clause',
  '3 clause bsd': 'BSD-3-Clause',
  '3clause bsd': 'BSD-3-Clause',
  'bsd 3 clause license': 'BSD-3-Clause',
  'simplified bsd': 'BSD-2-Clause',
  'bsd 2 clause': 'BSD-2-Clause',
  'bsd 2clause': 'BSD-2-Clause',
  '2 clause bsd': 'BSD-2-Clause',
  isc: 'ISC',
  'isc license': 'ISC',
  psf: 'PSF-2.0',
  'psf license': 'PSF-2.0',
  'python software foundation license': 'PSF-2.0',
  'mpl 20': 'MPL-2.0',
  'mozilla public license 20': 'MPL-2.0',
  'mozilla public license 20 mpl 20': 'MPL-2.0',
  gplv2: 'GPL-2.0-only',
  'gplv2+': 'GPL-2.0-or-later',
  gplv3: 'GPL-3.0-only',
  'gplv3+': 'GPL-3.0-or-later',
  lgplv2: 'LGPL-2.0-only',
  'lgplv2+': 'LGPL-2.0-or-later',
  lgplv3: 'LGPL-3.0-only',
  'lgplv3+': 'LGPL-3.0-or-later',
  agplv3: 'AGPL-3.0-only',
  'agplv3+': 'AGPL-3.0-or-later',
  unlicense: 'Unlicense',
  'the unlicense': 'Unlicense',
  zlib: 'Zlib',
  'public domain': 'LicenseRef-Public-Domain'
}

/** Trove classifiers (after `License :: `) that name exactly one SPDX license. */
const CLASSIFIERS: Readonly<Record<string, string>> = {
  'OSI Approved :: MIT License': 'MIT',
  'OSI Approved :: MIT No Attribution License (MIT-0)': 'MIT-0',
  'OSI Approved :: ISC License (ISCL)': 'ISC',
  'OSI Approved :: Python Software Foundation License': 'PSF-2.0',
  'OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)': 'MPL-1.1',
  'OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'OSI Approved :: GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'OSI Approved :: GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'OSI Approved :: GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'OSI Approved :: GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
  'OSI Approved :: GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.0-or-later',
  'OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'OSI Approved :: GNU Affero General Public License v3': 'AGPL-3.0-only',
  'OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)': 'AGPL-3.0-or-later',
  'OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)': 'EPL-2.0',
  'OSI Approved :: Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
  'OSI Approved :: Universal Permissive License (UPL)': 'UPL-1.0',
  'OSI Approved :: The Unlicense (Unlicense)': 'Unlicense',
  'OSI Approved :: zlib/libpng License': 'Zlib',
  'OSI Approved :: European Union Public Licence 1.2 (EUPL 1.2)': 'EUPL-1.2',
  'CC0 1.0 Universal (CC0 1.0) Public Domain Dedication': 'CC0-1.0'
}

const nameKey = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9+ ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/(\d) (\d)/g, '$1$2')
    .replace(/\bv(ersion)? ?(?=\d)/g, '')
    .replace(/\s+/g, ' ')
    .trim()

/** The SPDX id a `License` field's name stands for, or undefined. */
export function spdxFromName(value: string): string | undefined {
  const key = nameKey(value)
  return NAMES[key] ?? NAMES[key.replace(/ license$/, '')]
}

/** The GNU licenses' published versions (SPDX ids `<family>-<version>-only` / `-or-later`). */
export const GNU_VERSIONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  GPL: ['1.0', '2.0', '3.0'],
  LGPL: ['2.0', '2.1', '3.0'],
  AGPL: ['1.0', '3.0'],
  GFDL: ['1.1', '1.2', '1.3']
})

/** Words a GNU license's name is made of; a name with any other word is not only a GNU license's. */
const GNU_WORDS =
  /\b(the|gnu|affero|lesser|library|general|public|licen[cs]e|agpl|lgpl|gpl|gplv|lgplv|agplv|version|ver|v|or|any|later|only|and|newer|above|\d+(\.\d+)?)\b/g

/** The GNU family a name speaks of (AGPL, LGPL, GPL), when it is only a GNU license's name. */
function gnuFamily(value: string): { family: string; text: string } | undefined {
  const text = value.toLowerCase().replace(/_/g, ' ')
  const spaced = text
    .replace(/(gpl|gplv)(\d)/g, '$1 $2')
    .replace(/\bv(\d)/g, 'v $1')
    .replace(/[()\-,/+:]/g, ' ')
  if (spaced.replace(GNU_WORDS, ' ').trim()) return undefined
  const family = /\b(agpl|affero)/.test(spaced)
    ? 'AGPL'
    : /\b(lgpl|lesser|library)\b/.test(spaced)
      ? 'LGPL'
      : /\b(gpl|general public licen[cs]e)\b/.test(spaced)
        ? 'GPL'
        : undefined
  return family ? { family, text } : undefined
}

/**
 * The SPDX id of a GNU license named in words ('GNU GPL v3', 'GPL-3', 'GPLv2+', 'LGPL 2.1 or later'); undefined
 * for anything else, and for a name without a version (see gnuUnstated).
 */
export function gnuFromName(value: string): string | undefined {
  const gnu = gnuFamily(value)
  const version = gnu && /(\d+)(?:\.(\d+))?/.exec(gnu.text)
  if (!gnu || !version) return undefined
  const v = `${version[1]}.${version[2] ?? '0'}`
  if (!GNU_VERSIONS[gnu.family].includes(v)) return undefined
  const later = /\+|or (any )?later|or newer|and later|or above/.test(gnu.text)
  return `${gnu.family}-${v}-${later ? 'or-later' : 'only'}`
}

/**
 * A GNU license named without its version (the `GNU General Public License (GPL)` classifier, 'GPL'): every
 * version it may be. Not "any version" (the licenses' own rule for a program that states none): the metadata of
 * a distribution is not the program's notice, and the distribution may be under one version only.
 */
export function gnuUnstated(value: string): string[] | undefined {
  const gnu = gnuFamily(value)
  if (!gnu || /\d/.test(gnu.text)) return undefined
  return GNU_VERSIONS[gnu.family].map((v) => `${gnu.family}-${v}-only`)
}

/** Names of license families without a version or variant: every license each may be. */
const FAMILIES: readonly [RegExp, readonly string[]][] = [
  [/^(the )?bsd( licen[cs]e)?$/, ['0BSD', 'BSD-*']],
  [/^apache software( licen[cs]e)?$/, ['Apache-1.0', 'Apache-1.1', 'Apache-2.0']],
  [/^(mozilla public licen[cs]e|mpl)( mpl)?$/, ['MPL-*']],
  [/^(the )?artistic( licen[cs]e)?$/, ['Artistic-*', 'ClArtistic']],
  [/^academic free licen[cs]e( afl)?$/, ['AFL-*']],
  [/^eclipse public licen[cs]e( epl)?$/, ['EPL-*']],
  [/^european union public licen[cs]e( eupl)?$/, ['EUPL-*']],
  [/^common development and distribution licen[cs]e( cddl)?$/, ['CDDL-*']],
  [/^zope public licen[cs]e( zpl)?$/, ['ZPL-*']]
]

/** Every license a family name may be (patterns `Prefix-*` allowed); undefined when it names no family. */
export function familyOf(value: string): string[] | undefined {
  const gnu = gnuUnstated(value)
  if (gnu) return gnu
  const key = nameKey(value)
  return FAMILIES.find(([re]) => re.test(key))?.[1].slice()
}

/**
 * A license's full text, recognized by its heading or its key sentence; several texts in one (a bundle of the
 * licenses of vendored code) are all of them (AND). Undefined when none is recognized.
 */
const TEXTS: readonly [RegExp, string][] = [
  [/GNU AFFERO GENERAL PUBLIC LICENSE\s+Version 3/i, 'AGPL-3.0-only'],
  [/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 3/i, 'LGPL-3.0-only'],
  [/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1/i, 'LGPL-2.1-only'],
  [/GNU LIBRARY GENERAL PUBLIC LICENSE\s+Version 2/i, 'LGPL-2.0-only'],
  [/GNU GENERAL PUBLIC LICENSE\s+Version 3/i, 'GPL-3.0-only'],
  [/GNU GENERAL PUBLIC LICENSE\s+Version 2/i, 'GPL-2.0-only'],
  [/Mozilla Public License,?\s+(?:Version|v\.)\s*2\.0/i, 'MPL-2.0'],
  [/Apache License\s+Version 2\.0/i, 'Apache-2.0'],
  [/Permission is hereby granted, free of charge, to any person obtaining a copy/i, 'MIT'],
  [/Permission to use, copy, modify, and\/or distribute this software for any\s+purpose with or without fee is hereby granted/i, 'ISC'],
  [/Redistribution and use in source and binary forms[\s\S]*Neither the name/i, 'BSD-3-Clause'],
  [/Redistribution and use in source and binary forms/i, 'BSD-2-Clause']
]

export function licenseFromText(text: string): string | undefined {
  const ids: string[] = []
  for (const [re, id] of TEXTS) if (re.test(text)) ids.push(id)
  const found = ids.includes('BSD-3-Clause') ? ids.filter((i) => i !== 'BSD-2-Clause') : ids
  return found.length ? found.join(' AND ') : undefined
}

/** A License field that is a license's name, not its text: one line of at most 100 characters, not 'UNKNOWN'. */
const isName = (field: string): boolean => Boolean(field) && !field.includes('\n') && field.length <= 100 && !/^unknown$/i.test(field)

/** The SPDX expression a name stands for (an SPDX expression itself, a well-known name, a GNU license in words). */
function expressionOfName(value: string): string | undefined {
  const parsed = parseExpression(value)
  if (parsed) return formatExpression(parsed)
  return spdxFromName(value) ?? gnuFromName(value)
}

/** A distribution's license, from its metadata (see the file comment for the order) and, last, the texts it ships. */
export function licenseOf(md: LicenseMetadata, texts: readonly { readonly text: string }[] = []): License {
  const fromExpression = md.licenseExpression ? parseExpression(md.licenseExpression) : undefined
  if (fromExpression) return { expression: formatExpression(fromExpression), names: [], source: 'License-Expression' }
  if (md.licenseExpression) return { expression: '', names: [md.licenseExpression], source: 'License-Expression', invalidExpression: md.licenseExpression }
  const field = md.license.trim()
  if (isName(field)) {
    const named = expressionOfName(field)
    if (named) return { expression: named, names: [], source: 'License' }
  } else if (field.length > 100) {
    // A License field of many lines (or a long one) is the license's text, not its name.
    const fromText = licenseFromText(field)
    if (fromText) return { expression: fromText, names: [], source: 'License' }
  }
  const trove = md.classifiers.map((c) => c.replace(/^License ::\s*/, '')).filter((c) => c && c !== 'OSI Approved')
  if (trove.length) {
    const ids = trove.map((c) => CLASSIFIERS[c] ?? expressionOfName(c.split(' :: ').pop() ?? c))
    if (ids.every((id) => id)) return { expression: [...new Set(ids)].join(' OR '), names: [], source: 'classifiers' }
    const names = trove.map((c) => c.split(' :: ').pop() ?? c)
    const families = names.map((n, i) => (ids[i] ? [ids[i] as string] : familyOf(n)))
    return families.every((f) => f)
      ? { expression: '', names, source: 'classifiers', family: [...new Set(families.flat() as string[])] }
      : { expression: '', names, source: 'classifiers' }
  }
  if (isName(field)) {
    const family = familyOf(field)
    return family ? { expression: '', names: [field], source: 'License', family } : { expression: '', names: [field], source: 'License' }
  }
  const fromTexts = licenseFromText(texts.map((t) => t.text).join('\n'))
  if (fromTexts) return { expression: fromTexts, names: [], source: 'license text' }
  return { expression: '', names: [], source: 'unknown' }
}

/** How a license is shown to people: the expression, the names, or 'unknown'. */
export function licenseText(l: License): string {
  if (l.invalidExpression) return `${l.invalidExpression} (not a valid SPDX expression)`
  return l.expression || l.names.join(', ') || 'unknown'
}

/** Whether the action could not classify a license: no SPDX expression and no known family (an invalid expression included). */
export function isUnclassified(l: License): boolean {
  return !l.expression && !l.family
}

const COPYLEFT_ID = /^(A?GPL|LGPL|MPL)-/i
const COPYLEFT_NAME = /\b(A?GPL|LGPL|MPL)(v?\d|\b)|General Public Licen[cs]e|Mozilla Public Licen[cs]e/i

/** Whether the license obliges (strong or weak copyleft: GPL, LGPL, AGPL, MPL) whatever choice is made. */
export function isCopyleft(l: License): boolean {
  if (l.expression) {
    const e = parseExpression(l.expression)
    return e ? unavoidable(e, (id) => COPYLEFT_ID.test(id)) : false
  }
  return l.names.some((n) => COPYLEFT_NAME.test(n))
}

/** The forms an SPDX id has had: GPL-3.0 (deprecated) is GPL-3.0-only, GPL-3.0+ is GPL-3.0-or-later. */
export function canonicalId(id: string): string {
  const fixed = spdxId(id) ?? id
  const m = /^((?:A|L)?GPL-\d\.\d|GFDL-\d\.\d)(\+)?$/i.exec(fixed)
  if (m) return `${spdxId(m[1]) ?? m[1]}${m[2] ? '-or-later' : '-only'}`
  return fixed
}

/**
 * The licenses one may choose under an id: itself; for `<GNU>-<v>-or-later`, every published version from v on
 * (as `-only`); for `<id>+` ("this version or any later version", SPDX), the later versions SPDX lists.
 */
export function choicesOf(id: string): string[] {
  const c = canonicalId(id)
  const gnu = /^(AGPL|LGPL|GPL|GFDL)-(\d\.\d)-(only|or-later)$/.exec(c)
  if (gnu) {
    if (gnu[3] === 'only') return [c]
    const versions = GNU_VERSIONS[gnu[1]] ?? [gnu[2]]
    return versions.filter((v) => v >= gnu[2]).map((v) => `${gnu[1]}-${v}-only`)
  }
  const plus = /^(.+)-(\d+)\.(\d+)\+$/.exec(c)
  if (plus) {
    const [major, minor] = [Number(plus[2]), Number(plus[3])]
    const later: string[] = []
    for (let a = major; a <= 9; a++) for (let b = a === major ? minor : 0; b <= 9; b++) later.push(fixupSpdxId(`${plus[1]}-${a}.${b}`) ?? '')
    return later.filter(Boolean)
  }
  return [c.endsWith('+') ? c.slice(0, -1) : c]
}

/** What license-deny says of a license: refused for sure, shipped, or cannot tell. */
export type DenyVerdict = 'denied' | 'allowed' | 'undecided'

/** The licenses license-deny refuses, each as the -only ids it stands for (GPL-2.0-or-later: 2.0 and 3.0). */
export function deniedSet(denied: readonly string[]): Set<string> {
  return new Set(denied.flatMap(choicesOf).map((d) => d.toLowerCase()))
}

/**
 * Whether license-deny refuses a license: `denied` when every way to comply with it uses a refused license (an
 * OR needs all of its choices refused, an AND any of its parts; `-or-later` is a choice among the versions from
 * there on); for a family name, `denied` when every member is refused and `undecided` when some are; for a
 * license that cannot be classified, `undecided`.
 */
export function denyVerdict(l: License, denied: readonly string[]): DenyVerdict {
  if (!denied.length) return 'allowed'
  const set = deniedSet(denied)
  const refused = (id: string): boolean => choicesOf(id).every((c) => set.has(c.toLowerCase()))
  if (l.expression) {
    const e = parseExpression(l.expression)
    if (e) return unavoidable(e, refused) ? 'denied' : 'allowed'
  }
  if (l.family) {
    const matches = (pattern: string): boolean =>
      pattern.endsWith('*') ? [...set].some((d) => d.startsWith(pattern.slice(0, -1).toLowerCase())) : refused(pattern)
    if (l.family.every((p) => !p.endsWith('*') && refused(p))) return 'denied'
    return l.family.some(matches) ? 'undecided' : 'allowed'
  }
  return 'undecided'
}

/** Whether license-deny refuses a license for sure. */
export function isDenied(l: License, denied: readonly string[]): boolean {
  return denyVerdict(l, denied) === 'denied'
}
