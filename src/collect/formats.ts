/**
 * The formats of one call of the reusable workflow: the caller asks once
 * (`formats: archive, deb, rpm, msi, dmg`) and each leg makes those its own
 * system makes. The targets job checks the list against the targets (a format
 * that no target can make, a target that would make none of them) and gives
 * the legs one list per system, keyed as `runner.os` names the system, which
 * each leg picks with `fromJSON(needs.targets.outputs.formats)[runner.os]` —
 * a leg that builds windows-x64 on a Linux runner under Wine picks Windows'.
 */
import { FORMAT_SYSTEMS, FORMAT_TITLES, FORMATS, SYSTEM_TITLES, type FormatName } from '../config.js'
import { InputError } from '../errors.js'
import { formatList } from '../installers/meta.js'
import type { Target } from './legs.js'

type System = keyof typeof SYSTEM_TITLES
const SYSTEMS = Object.keys(SYSTEM_TITLES) as System[]

/** `runner.os` of a leg: Linux, Windows or macOS. */
export type RunnerOs = (typeof SYSTEM_TITLES)[System]

const FIX =
  'Write archive (the default), deb and rpm (made by the Linux targets), msi (the Windows targets) or dmg (the macOS targets), one a line or separated by commas: each target makes those its system makes.'

/** The workflow's formats input: known formats, each once, in the order given (empty: archive). */
export function parseWorkflowFormats(raw: string): FormatName[] {
  return formatList(raw, FIX)
}

/** Words of a runner label that name a system: GitHub's images (ubuntu-24.04, windows-2025, macos-15-intel) and self-hosted labels. */
const LABEL_WORDS: Readonly<Record<string, System>> = { ubuntu: 'linux', linux: 'linux', windows: 'windows', macos: 'macos', osx: 'macos' }

/**
 * The system a target's leg builds for: the target's own when it builds another system's under Wine
 * (windows-x64 on a Linux runner), else the one its runner label says (undefined when it does not, e.g. a
 * self-hosted label).
 */
export function targetSystem(target: Pick<Target, 'runsOn' | 'target'>): System | undefined {
  const built = target.target?.split('-')[0]
  if (built) return SYSTEMS.find((s) => s === built)
  const found = new Set(
    target.runsOn
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .map((w) => LABEL_WORDS[w])
      .filter((s): s is System => s !== undefined)
  )
  return found.size === 1 ? [...found][0] : undefined
}

const list = (formats: readonly string[]): string => formats.join(', ')

/**
 * What each system's legs make of `formats`, keyed by runner.os. A system that makes none of them gets the list as
 * it is, so that a leg whose label did not say its system (self-hosted) fails on the formats input naming why.
 * Refused: a format that no target can make (a target whose label does not say its system might), and a target
 * whose system makes none of them.
 */
export function formatsBySystem(formats: readonly FormatName[], targets: readonly Target[]): Record<RunnerOs, string> {
  const systems = targets.map((t) => ({ target: t, system: targetSystem(t) }))
  for (const format of formats) {
    if (systems.some(({ system }) => system === undefined || FORMAT_SYSTEMS[format].includes(system))) continue
    const makers = FORMAT_SYSTEMS[format].map((s) => SYSTEM_TITLES[s]).join(' or ')
    throw new InputError(
      'formats',
      `asks for ${FORMAT_TITLES[format]}, which is made on ${makers} runners only, and no target is one (${systems.map(({ target, system }) => `${target.label}: ${SYSTEM_TITLES[system as System]}`).join(', ')}).`,
      `Add a ${makers} target to targets, or remove ${format} from formats.`
    )
  }
  const made = Object.fromEntries(SYSTEMS.map((s) => [s, formats.filter((f) => FORMAT_SYSTEMS[f].includes(s))])) as Record<System, FormatName[]>
  for (const { target, system } of systems)
    if (system && !made[system].length) {
      const own = FORMATS.filter((f) => FORMAT_SYSTEMS[f].includes(system))
      throw new InputError(
        'formats',
        `${list(formats)} ${formats.length > 1 ? 'are' : 'is'} made on other systems only, and the target ${target.label} is a ${SYSTEM_TITLES[system]} runner: its leg would make nothing.`,
        `Add what a ${SYSTEM_TITLES[system]} runner makes (${list(own)}) to formats, or remove the target.`
      )
    }
  return Object.fromEntries(SYSTEMS.map((s) => [SYSTEM_TITLES[s], list(made[s].length ? made[s] : formats)])) as Record<RunnerOs, string>
}
