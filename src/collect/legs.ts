/**
 * The targets of a release (runner labels, or objects that also pick a Python
 * per target) and the report each matrix leg leaves behind as an artifact, so
 * that the release job knows which target built what, and which did not.
 */
import { InputError } from '../errors.js'
import { CROSS_TARGETS } from '../config.js'
import { ARCH_NAMES } from '../installers/meta.js'

export interface Target {
  /** Unique per target, safe in an artifact name. */
  readonly id: string
  readonly runsOn: string
  readonly pythonVersion: string
  /** The action's target input ('' for the runner's own system): windows-x64 on a Linux runner builds under Wine. */
  readonly target?: string
  /** As a person reads it: `ubuntu-latest`, `ubuntu-latest (python 3.12)`, `ubuntu-latest (windows-x64 under Wine)`. */
  readonly label: string
}

export interface LegAsset {
  readonly name: string
  readonly size: number
  readonly sha256: string
  readonly mode: string
}

/** The OS and architecture a leg ran on, as the archive names write them (linux-x64, windows-arm64, macos-arm64). */
export interface LegPlatform {
  readonly os: string
  readonly arch: string
}

export interface LegReport {
  readonly target: Target
  /** Where the leg ran, read by the leg's own step (not from its build): every file it reports names it. */
  readonly platform: LegPlatform
  /** The build step's outcome: success, failure, cancelled or skipped. */
  readonly outcome: string
  /** How many smoke-test commands each executable passed (0: none configured). */
  readonly smokeTests: number
  readonly assets: readonly LegAsset[]
}

const LEG_PREFIX = 'build-standalone-leg-'

export const legArtifactName = (t: Pick<Target, 'id'>): string => `${LEG_PREFIX}${t.id}.json`

/** One entry of the targets list: a runner label, or `{"runs-on": label, "python-version": "3.12", "target": "windows-x64"}`. */
export function targetOf(value: unknown, input = 'targets'): Target {
  let runsOn = ''
  let pythonVersion = ''
  let target = ''
  if (typeof value === 'string') runsOn = value.trim()
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>
    const unknown = Object.keys(o).filter((k) => k !== 'runs-on' && k !== 'python-version' && k !== 'target')
    if (unknown.length)
      throw new InputError(
        input,
        `a target has the key '${unknown[0]}'.`,
        "A target is a runner label, or an object with 'runs-on' and optionally 'python-version' and 'target' (windows-x64 on a Linux runner)."
      )
    target = typeof o.target === 'string' ? o.target.trim().toLowerCase() : ''
    runsOn = typeof o['runs-on'] === 'string' ? o['runs-on'].trim() : ''
    const py = o['python-version']
    if (typeof py === 'number')
      throw new InputError(
        input,
        `a target's python-version is the JSON number ${py}, which no longer says what was written (3.10 reads as 3.1).`,
        `Write it as a string: {"runs-on": ${JSON.stringify(runsOn)}, "python-version": "3.10"}.`
      )
    if (py !== undefined && typeof py !== 'string')
      throw new InputError(input, `a target's python-version is ${JSON.stringify(py)}, not a string.`, 'Write it as a string, such as "3.12".')
    pythonVersion = typeof py === 'string' ? py.trim() : ''
  }
  if (!runsOn)
    throw new InputError(
      input,
      `${JSON.stringify(value)} is not a target.`,
      'Give a runner label such as "ubuntu-latest", or {"runs-on": "ubuntu-latest", "python-version": "3.12"}.'
    )
  const id = `${runsOn}${target ? `-${target}` : ''}${pythonVersion ? `-py${pythonVersion}` : ''}`.replace(/[^A-Za-z0-9._-]+/g, '-')
  const notes = [...(target ? [`${target} under Wine`] : []), ...(pythonVersion ? [`python ${pythonVersion}`] : [])]
  return { id, runsOn, pythonVersion, ...(target ? { target } : {}), label: notes.length ? `${runsOn} (${notes.join(', ')})` : runsOn }
}

/** A checked target as the build matrix takes it: the label, or the object with what it sets. */
export function matrixEntry(t: Target): string | Record<string, string> {
  if (!t.pythonVersion && !t.target) return t.runsOn
  return { 'runs-on': t.runsOn, ...(t.pythonVersion ? { 'python-version': t.pythonVersion } : {}), ...(t.target ? { target: t.target } : {}) }
}

/**
 * The system a leg's files are for, as its own report says: the runner's (`host`, read by the reporting step), or
 * the target's when the leg builds it under Wine from this runner (CROSS_TARGETS: windows-x64 from linux-x64).
 */
export function legPlatform(t: Pick<Target, 'target'>, host: LegPlatform): LegPlatform {
  if (!t.target || !CROSS_TARGETS[`${host.os}-${host.arch}`]?.[t.target]) return { os: host.os, arch: host.arch }
  const [os, arch] = t.target.split('-')
  return { os, arch }
}

/** The targets input: a JSON list of targets, each once. */
export function parseTargets(json: string, input = 'targets'): Target[] {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw new InputError(input, `is not JSON: ${json.slice(0, 200)}`, 'Give a JSON list of runner labels, e.g. ["ubuntu-latest", "windows-latest"].')
  }
  if (!Array.isArray(value) || value.length === 0)
    throw new InputError(input, 'is not a non-empty JSON list.', 'Give a JSON list of runner labels, e.g. ["ubuntu-latest", "windows-latest"].')
  const targets = value.map((v) => targetOf(v, input))
  const ids = new Set<string>()
  for (const t of targets) {
    if (ids.has(t.id)) throw new InputError(input, `lists ${t.label} twice.`, 'List each target once.')
    ids.add(t.id)
  }
  return targets
}

/** Reads a leg report; throws on anything else. */
export function parseLegReport(text: string, source: string): LegReport {
  const r = JSON.parse(text) as Partial<LegReport>
  const isAsset = (a: unknown): a is LegAsset =>
    Boolean(a) &&
    typeof (a as LegAsset).name === 'string' &&
    typeof (a as LegAsset).sha256 === 'string' &&
    typeof (a as LegAsset).mode === 'string' &&
    typeof (a as LegAsset).size === 'number'
  if (
    !r ||
    typeof r !== 'object' ||
    !r.target ||
    typeof r.target.id !== 'string' ||
    !r.platform ||
    typeof r.platform.os !== 'string' ||
    typeof r.platform.arch !== 'string' ||
    typeof r.outcome !== 'string' ||
    !Array.isArray(r.assets) ||
    !r.assets.every(isAsset)
  )
    throw new Error(`${source} is not a leg report of build-standalone`)
  return { target: r.target, platform: r.platform, outcome: r.outcome, smokeTests: Number(r.smokeTests) || 0, assets: r.assets }
}

/** What a leg may report: archives of each build mode, their SBOMs, its installers and its one checksums file. */
export const LEG_MODES: readonly string[] = ['onefile', 'onedir', 'app', 'sbom', 'deb', 'rpm', 'msi', 'dmg', 'checksums']

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Each kind of file, for messages. */
const KINDS: Readonly<Record<string, string>> = {
  onefile: 'a one-file archive',
  onedir: 'a one-folder archive',
  app: 'an .app archive',
  sbom: 'an SBOM',
  checksums: 'its checksums file',
  deb: 'a .deb package',
  rpm: 'an .rpm package',
  msi: 'an MSI package',
  dmg: 'a disk image'
}

/** A package name as the installers write it (installers/meta.ts packageName): lower case, letters, digits and . + -. */
const PACKAGE = '[a-z0-9][a-z0-9.+-]*'

/**
 * How a file of each kind is named on a leg's platform (undefined: a kind the platform does not make): `pattern`
 * for the name, `shape` the same for people. Archives, SBOMs and the checksums file end with the OS and
 * architecture ({name}-{version}-{os}-{arch}[-onedir|-app].tar.gz|.zip|.cdx.json, …-SHA256SUMS.txt), as the MSI and
 * the disk image do ({name}-{version}-windows-{arch}.msi, …-macos-{arch}.dmg); the deb and rpm are named as Debian
 * and RPM name packages, with their own names of the architecture: {name}_{version}_{amd64|arm64}.deb,
 * {name}-{version}-1.{x86_64|aarch64}.rpm (installers/deb.ts, rpm.ts).
 */
export function legFileName(mode: string, platform: LegPlatform): { readonly pattern: RegExp; readonly shape: string } | undefined {
  const own = `-${platform.os}-${platform.arch}`
  const ending = (shape: string, pattern = escape(shape)): { pattern: RegExp; shape: string } => ({ pattern: new RegExp(`${pattern}$`), shape: `…${shape}` })
  const archive = (suffix: string): { pattern: RegExp; shape: string } => ending(`${own}${suffix}.tar.gz or .zip`, `${escape(own + suffix)}\\.(tar\\.gz|zip)`)
  const linuxArch = (names: Readonly<Record<string, string>>): string | undefined =>
    platform.os === 'linux' && Object.hasOwn(names, platform.arch) ? names[platform.arch] : undefined
  const deb = linuxArch(ARCH_NAMES.deb)
  const rpm = linuxArch(ARCH_NAMES.rpm)
  switch (mode) {
    case 'onefile':
      return archive('')
    case 'onedir':
      return archive('-onedir')
    case 'app':
      return archive('-app')
    case 'sbom':
      return ending(`${own}[-onedir|-app].cdx.json`, `${escape(own)}(-onedir|-app)?\\.cdx\\.json`)
    case 'checksums':
      return ending(`${own}-SHA256SUMS.txt`)
    case 'deb':
      return deb ? { pattern: new RegExp(`^${PACKAGE}_[a-z0-9.+~]+_${deb}\\.deb$`), shape: `{name}_{version}_${deb}.deb` } : undefined
    case 'rpm':
      return rpm ? { pattern: new RegExp(`^${PACKAGE}-[a-z0-9.+~_]+-1\\.${rpm}\\.rpm$`), shape: `{name}-{version}-1.${rpm}.rpm` } : undefined
    case 'msi':
      return platform.os === 'windows' ? ending(`${own}.msi`) : undefined
    case 'dmg':
      return platform.os === 'macos' ? ending(`${own}.dmg`) : undefined
  }
  return undefined
}

/**
 * Why a file a leg reports cannot be released from it ('' when it can): its name must be a plain file name (the
 * artifact is downloaded to a path made from it), its kind known and one the leg's system makes, and its name end
 * as that kind's does on the leg's own OS and architecture (legFileName).
 */
export function legAssetProblem(a: LegAsset, platform: LegPlatform): string {
  const shown = JSON.stringify(a.name.slice(0, 120))
  if (!a.name || a.name.length > 255 || a.name === '.' || a.name === '..' || /[/\\]/.test(a.name) || CONTROL.test(a.name))
    return `reports the file ${shown}, which is not a plain file name`
  if (!LEG_MODES.includes(a.mode)) return `reports ${a.name} as '${a.mode.slice(0, 40)}', not one of ${LEG_MODES.join(', ')}`
  if (!/^[0-9a-f]{64}$/i.test(a.sha256)) return `reports ${a.name} without a SHA-256`
  if (a.mode === 'checksums' && !a.name.endsWith('-SHA256SUMS.txt')) return `reports ${a.name} as its checksums file, which is not named …-SHA256SUMS.txt`
  const named = legFileName(a.mode, platform)
  const where = `${platform.os.slice(0, 20)}-${platform.arch.slice(0, 20)}`
  if (!named) return `reports ${a.name} as ${KINDS[a.mode]}, which a leg on ${where} does not make: a file of another leg, or not of this action`
  if (!named.pattern.test(a.name))
    return `reports ${a.name} as ${KINDS[a.mode]}, which the leg's platform (${where}) names ${named.shape}: a file of another leg, or not of this action`
  return ''
}

/** Counts the smoke-test commands of the smoke-test input (comments and blank lines left out). */
export function countSmokeTests(input: string): number {
  return input.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length
}
