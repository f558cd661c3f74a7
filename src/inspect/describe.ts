/**
 * The lines that say where a build runs, one per system found in it: for the
 * log and the job summary. Pure: the stage and the report both use it.
 */
import type { BuildFacts, RunsOn } from './facts.js'
import { describeLinux } from './linux.js'
import { describeMac } from './macho.js'
import { describeWindows } from './pe.js'

/** The lines the log and the summary give a build's facts, one per system found in it. */
export function describeFacts(facts: BuildFacts): string[] {
  return [
    ...(facts.linux ? [describeLinux(facts.linux)] : []),
    ...(facts.macos ? [describeMac(facts.macos)] : []),
    ...(facts.windows ? [describeWindows(facts.windows.files, facts.windows.programs)] : [])
  ]
}

/** The facts an asset carries in the assets output: the floors and the machines, per system found. */
export function runsOn(facts: BuildFacts | undefined): RunsOn {
  if (!facts) return {}
  const programs = facts.windows?.files.filter(
    (f) => !f.facts.dll && facts.windows?.programs.some((p) => f.path.split('/').pop()?.toLowerCase() === `${p.toLowerCase()}.exe`)
  )
  const machines = [...new Set((programs ?? []).map((f) => f.facts.machine))].sort()
  return {
    ...(facts.linux ? { glibc: facts.linux.glibc } : {}),
    ...(facts.macos ? { macos: facts.macos.minos?.minos ?? '', archs: [...facts.macos.archs] } : {}),
    ...(machines.length ? { windows: machines.join(',') } : {})
  }
}
