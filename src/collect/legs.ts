/**
 * The targets of a release (runner labels, or objects that also pick a Python
 * per target) and the report each matrix leg leaves behind as an artifact, so
 * that the release job knows which target built what, and which did not.
 */
import { InputError } from '../errors.js'

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

export interface LegReport {
  readonly target: Target
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
    pythonVersion = typeof o['python-version'] === 'string' ? o['python-version'].trim() : o['python-version'] === undefined ? '' : String(o['python-version'])
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
  if (!r || typeof r !== 'object' || !r.target || typeof r.outcome !== 'string' || !Array.isArray(r.assets))
    throw new Error(`${source} is not a leg report of build-standalone`)
  return { target: r.target, outcome: r.outcome, smokeTests: Number(r.smokeTests) || 0, assets: r.assets }
}

/** Counts the smoke-test commands of the smoke-test input (comments and blank lines left out). */
export function countSmokeTests(input: string): number {
  return input.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length
}
