/**
 * PyInstaller's own phases, read from its log: every line starts with the milliseconds since it started
 * (`26690 INFO: Building PYZ …`). Analysis runs from the start to the first PYZ; PYZ, PKG (the one-file payload),
 * EXE and COLLECT (the one-folder build) from their "Building …" line to their "… completed successfully." line.
 * Several Analyses (one per entry point) add up.
 */

export const PHASES = ['analysis', 'PYZ', 'PKG', 'EXE', 'COLLECT'] as const
export type Phase = (typeof PHASES)[number]

/** Seconds per phase, and `total`: the time of the last line (PyInstaller's "Build complete!"). */
export type Phases = Partial<Record<Phase | 'total', number>>

const LINE = /^(\d+) (?:INFO|WARNING|DEBUG|ERROR): (.*)$/
/** "Building PYZ (ZlibArchive) …", "Building PKG (CArchive) …", "Building EXE from …", "Building COLLECT COLLECT-00.toc". */
const START = /^Building (PYZ|PKG|EXE|COLLECT) (?:\(\w+\) |from |)\S/
const DONE = /completed successfully\.$/

/** The phases of one PyInstaller run's log (other lines, such as a runner's group markers, are skipped). */
export function pyinstallerPhases(log: string): Phases {
  const ms: Partial<Record<Phase, number>> = {}
  const add = (phase: Phase, span: number): void => {
    ms[phase] = (ms[phase] ?? 0) + span
  }
  let analysisFrom: number | undefined
  let open: { phase: Phase; at: number } | undefined
  let last: number | undefined
  for (const raw of log.split(/\r?\n/)) {
    const m = LINE.exec(raw.trim())
    if (!m) continue
    const at = Number(m[1])
    const text = m[2]
    last = at
    if (/^Running Analysis /.test(text)) analysisFrom ??= at
    const start = START.exec(text)
    if (start && !/ because /.test(text) && !DONE.test(text)) {
      if (analysisFrom !== undefined) {
        add('analysis', at - analysisFrom)
        analysisFrom = undefined
      }
      open = { phase: start[1] as Phase, at }
    } else if (open && DONE.test(text)) {
      add(open.phase, at - open.at)
      open = undefined
    }
  }
  const phases: Phases = Object.fromEntries(Object.entries(ms).map(([phase, span]) => [phase, span / 1000]))
  if (last !== undefined) phases.total = last / 1000
  return phases
}
