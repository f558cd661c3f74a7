/**
 * What a distribution's metadata says about its license, as SPDX where it can
 * be said: the `License-Expression` field (PEP 639), else a `License` field
 * that is an SPDX expression or a well-known name, else the trove classifiers,
 * else unknown. And the questions asked of it: is it copyleft, is it denied.
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
  readonly source: 'License-Expression' | 'License' | 'classifiers' | 'unknown'
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
    const id = spdxId(t)
    if (!id) return undefined
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

/** A distribution's license, from its metadata (see the file comment for the order). */
export function licenseOf(md: LicenseMetadata): License {
  const fromExpression = md.licenseExpression ? parseExpression(md.licenseExpression) : undefined
  if (fromExpression) return { expression: formatExpression(fromExpression), names: [], source: 'License-Expression' }
  if (md.licenseExpression) return { expression: '', names: [md.licenseExpression], source: 'License-Expression' }
  const field = md.license.trim()
  // A License field of many lines (or a long one) is the license text, not its name.
  if (field && !field.includes('\n') && field.length <= 100 && !/^unknown$/i.test(field)) {
    const parsed = parseExpression(field)
    if (parsed) return { expression: formatExpression(parsed), names: [], source: 'License' }
    const named = spdxFromName(field)
    if (named) return { expression: named, names: [], source: 'License' }
  }
  const trove = md.classifiers.map((c) => c.replace(/^License ::\s*/, '')).filter((c) => c && c !== 'OSI Approved')
  if (trove.length) {
    const ids = trove.map((c) => CLASSIFIERS[c])
    if (ids.every((id) => id)) return { expression: [...new Set(ids)].join(' OR '), names: [], source: 'classifiers' }
    return { expression: '', names: trove.map((c) => c.split(' :: ').pop() ?? c), source: 'classifiers' }
  }
  if (field && !field.includes('\n') && field.length <= 100 && !/^unknown$/i.test(field)) return { expression: '', names: [field], source: 'License' }
  return { expression: '', names: [], source: 'unknown' }
}

/** How a license is shown to people: the expression, the names, or 'unknown'. */
export function licenseText(l: License): string {
  return l.expression || l.names.join(', ') || 'unknown'
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
  if (m) return `${m[1]}${m[2] ? '-or-later' : '-only'}`
  return fixed
}

/** Whether a license is denied: every way to comply with it uses a denied id. */
export function isDenied(l: License, denied: readonly string[]): boolean {
  if (!denied.length || !l.expression) return false
  const e = parseExpression(l.expression)
  const set = new Set(denied.map((d) => canonicalId(d).toLowerCase()))
  return e ? unavoidable(e, (id) => set.has(canonicalId(id).toLowerCase())) : false
}
