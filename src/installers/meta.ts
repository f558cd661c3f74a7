/**
 * What an installer says about its package, from the project (pyproject.toml
 * and the run's version) and the inputs, and how each packaging system wants
 * a name, a version and an architecture written. Pure.
 */
import { FORMATS, NEEDS_MAINTAINER, type Config, type FormatName, type ProjectFacts } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import type { Arch } from '../platform.js'
import { inputList } from '../words.js'

export interface PackageMeta {
  /** The package's name: lower case, letters, digits and . + - (Debian's rule, which RPM and MSI accept too). */
  readonly name: string
  /** The run's version, as the archives name it. */
  readonly version: string
  /** One line. */
  readonly summary: string
  readonly license: string
  readonly homepage: string
  /** `Name <email>`, '' when nobody is named (rpm and dmg only). */
  readonly maintainer: string
  /** The maintainer's name without the email (RPM's Vendor, MSI's Manufacturer). */
  readonly vendor: string
  /** Seconds since 1970: the time of every entry and of the package itself (the build's SOURCE_DATE_EPOCH). */
  readonly epoch: number
}

/** A package name from any name: lower case, runs of other characters as '-', starting with a letter or digit, at least two characters. */
export function packageName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9.+-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
  return name.length >= 2 ? name : `${name || 'app'}-app`.slice(0, Math.max(2, name.length + 4))
}

/** `[project.urls]`'s home page: Homepage (any case, PEP 753 normalization), else Home, Repository or Source, else the first. */
export function homepageOf(urls: Readonly<Record<string, string>>): string {
  const entries = Object.entries(urls).filter(([, u]) => /^https?:\/\//i.test(u))
  const key = (label: string): string => label.toLowerCase().replace(/[^a-z]/g, '')
  for (const wanted of ['homepage', 'home', 'repository', 'source', 'sourcecode']) {
    const hit = entries.find(([label]) => key(label) === wanted)
    if (hit) return hit[1]
  }
  return entries[0]?.[1] ?? ''
}

/** One printable line: control characters and runs of white space as one space, cut at `max`. */
export function oneLine(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

export function packageMeta(
  config: Pick<Config, 'name' | 'project' | 'packageMaintainer'>,
  fallbackName: string,
  version: string,
  epoch: number,
  shippedLicense = ''
): PackageMeta {
  const name = packageName(config.name || config.project.name || fallbackName)
  const maintainer = oneLine(config.packageMaintainer || config.project.contacts[0] || '')
  return {
    name,
    version,
    summary: oneLine(config.project.description) || `${name} ${version}`,
    license: oneLine(config.project.license || shippedLicense),
    homepage: oneLine(homepageOf(config.project.urls)),
    maintainer,
    vendor: maintainer.replace(/\s*<[^>]*>\s*$/, '').trim() || maintainer,
    epoch
  }
}

/**
 * A formats list, the action's formats input (inputs/installers.ts) or the
 * reusable workflow's (collect/formats.ts): known formats, each once, in the
 * order given; empty is archive. An unknown one is an input error naming
 * `formats`, shown as written, with `fix`.
 */
export function formatList(raw: string, fix: string): FormatName[] {
  const formats: FormatName[] = []
  for (const value of inputList(raw)) {
    const format = value.toLowerCase() as FormatName
    if (!FORMATS.includes(format)) throw new InputError('formats', `'${excerpt(value, 40)}' is not a format.`, fix)
    if (!formats.includes(format)) formats.push(format)
  }
  return formats.length ? formats : ['archive']
}

/**
 * Whether the maintainer can be known before the project is installed:
 * pyproject.toml has a [project] table whose maintainers and authors are
 * static, so the built distribution names exactly those (PEP 621). Otherwise
 * (setup.py, setup.cfg, Poetry's [tool.poetry] authors, dynamic fields) only
 * the installed distribution's metadata knows.
 */
export function contactsAreStatic(project: Pick<ProjectFacts, 'hasProjectTable' | 'dynamic'>): boolean {
  return project.hasProjectTable && !project.dynamic.includes('authors') && !project.dynamic.includes('maintainers')
}

/**
 * The input error of a deb or msi with nobody to name as its maintainer (no
 * package-maintainer, no maintainer or author in the project), undefined when
 * someone is named or no such format is asked for. `read` says where the
 * project's contacts were looked for, `fix` where the project names them.
 */
export function missingMaintainer(config: Pick<Config, 'formats' | 'packageMaintainer' | 'project'>, read: string, fix: string): InputError | undefined {
  const needs = config.formats.find((f) => NEEDS_MAINTAINER.includes(f))
  if (!needs || config.packageMaintainer || config.project.contacts.length) return undefined
  return new InputError(
    'package-maintainer',
    `is empty, and no maintainer or author is named in ${read}, so the ${needs} package would name nobody as its ${needs === 'deb' ? 'Maintainer' : 'Manufacturer'}.`,
    `Set package-maintainer: Jane Doe <jane@example.org>, or ${fix}.`
  )
}

/**
 * A PEP 440 version as Debian and RPM order it: a pre-release or development
 * release gets a tilde (1.0rc1 → 1.0~rc1, which sorts before 1.0 in dpkg and
 * rpm ≥ 4.10), a development release two (1.0.dev1 → 1.0~~dev1, before
 * 1.0~a1), a local label keeps its plus (1.0+abc); an epoch N! becomes N: for
 * Debian (RPM's file name and version drop it). Characters neither allows become '.'.
 */
export function systemVersion(version: string, system: 'deb' | 'rpm'): string {
  const m = /^(?:(\d+)!)?([^+]*)(?:\+(.*))?$/.exec(version.trim().toLowerCase()) as RegExpExecArray
  const pre = m[2].replace(/^v/, '').replace(/[-_.]?(a|b|c|rc|alpha|beta|pre|preview)(?=\d|$)(\d*)/g, '~$1$2')
  // A development release comes before the pre-releases of its version: '~~' sorts before '~'.
  const dev = pre.replace(/[-_.]?dev(\d*)/, (_, n: string, at: number) => `${pre.slice(0, at).includes('~') ? '~' : '~~'}dev${n}`)
  let v = `${dev}${m[3] ? `+${m[3]}` : ''}`
  v = system === 'deb' ? v.replace(/[^a-z0-9.+~]/g, '.') : v.replace(/[^a-z0-9.+~_]/g, '.')
  if (!/^\d/.test(v)) v = `0.${v}`
  return system === 'deb' && m[1] ? `${m[1]}:${v}` : v
}

/** Each system's name for an architecture. */
export const ARCH_NAMES: Readonly<Record<'deb' | 'rpm', Readonly<Record<Arch, string>>>> = {
  deb: { x64: 'amd64', arm64: 'arm64', x86: 'i386' },
  rpm: { x64: 'x86_64', arm64: 'aarch64', x86: 'i686' }
}
