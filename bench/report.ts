/** The figures: medians, ratios against the targets, and the tables the bench prints. */
import type { BaselineResult } from './baselines.js'
import { PHASES, type Phases } from './phases.js'
import { median } from './stats.js'
import type { ActionResult, PlainResult, SerialResult } from './variants.js'

const STAGES = ['inputs', 'python', 'install', 'build', 'inspect', 'smoke', 'package']
/** Issue 17's targets, printed beside the figures (never asserted by a test). */
export const TARGETS = {
  /** Warm action / pip baseline, total wall time. */
  warmOverPip: 0.6,
  /** Warm action / uv baseline. */
  warmOverUv: 0.8,
  /** The action's own time outside child processes, seconds. */
  ownSeconds: 2,
  /** The warm install stage with a lock, seconds. */
  warmLockedInstall: 5,
  /** The action's build stage / plain PyInstaller on the same venv. */
  buildOverPlain: 1.05,
  /** |the action's executable / plain PyInstaller's − 1|. */
  sizeDifference: 0.01,
  /** One-file packing (PKG) time saved against PyInstaller's default level. */
  packingSaved: 0.4,
  /** Issue 27: a same-commit rerun (r) / the cold action (b). */
  rerunOverCold: 0.2,
  /** Issue 27: several entry points side by side (m) / the same in one process (s), on this machine. */
  parallelOverSerial: 0.7
} as const

/** The results of every run of each variant. */
export interface Results {
  /** pip, empty cache. */
  readonly a: BaselineResult[]
  /** pip, the cache (a) filled. */
  readonly "a'": BaselineResult[]
  /** uv, no cache. */
  readonly u: BaselineResult[]
  /** The action, cold dependency cache. */
  readonly b: ActionResult[]
  /** The action, warm dependency cache. */
  readonly c: ActionResult[]
  /** Plain PyInstaller in the venv of (c). */
  readonly d: PlainResult[]
  /** The action again on the commit of (c): the build (c) kept is taken. */
  readonly r: ActionResult[]
  /** The action on every entry point of the project, side by side (projects with several). */
  readonly m: ActionResult[]
  /** The spec of (m) with every entry point, in one PyInstaller process in the venv of (m). */
  readonly s: SerialResult[]
}

/** The machine, and the entry points (m) builds. */
export interface MultiSetup {
  readonly cores: number
  readonly entryPoints: readonly string[]
}

/** One-file against one-folder: size and start-up time of the action's builds of one entry point. */
export interface StartupFigures {
  readonly runs: number
  readonly command: string
  readonly rows: readonly { readonly label: string; readonly size: number; readonly seconds: number }[]
}

export { median }

export const secs = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(1))
const ratio = (x: number | undefined, y: number | undefined): number | undefined => (x === undefined || y === undefined || y === 0 ? undefined : x / y)
const fmtRatio = (x: number | undefined): string => (x === undefined ? '—' : x.toFixed(2))
const met = (ok: boolean | undefined): string => (ok === undefined ? 'n/a' : ok ? 'met' : 'not met')
/** Decimal megabytes and the exact byte count, as the README's figures give them. */
export const mb = (bytes: number | undefined): string => `${((bytes as number) / 1e6).toFixed(1)} MB (${Math.round(bytes as number)} B)`

/** A plain-text table: the first column left-aligned, the others right-aligned, a rule under the header rows. */
export function table(headers: readonly string[][], rows: readonly string[][]): string {
  const all = [...headers, ...rows]
  const widths = headers[0].map((_, i) => Math.max(...all.map((r) => r[i].length)))
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('   ')
      .trimEnd()
  return [...headers.map(line), widths.map((w) => '-'.repeat(w)).join('   '), ...rows.map(line)].join('\n')
}

const sum = (xs: readonly number[]): number => xs.reduce((t, x) => t + x, 0)
const pct = (x: number | undefined): string => (x === undefined ? '—' : `${(x * 100).toFixed(1)} %`)
const target = (ok: boolean | undefined, text: string): string => `target ${text}: ${met(ok)}`
const atMost = (x: number | undefined, limit: number): boolean | undefined => (x === undefined ? undefined : x <= limit)

/** Prints the medians per stage, the ratios against the targets, PyInstaller's phases, sizes and start-up times. */
export function report(results: Results, runs: number, startup: StartupFigures | undefined, multi: MultiSetup): void {
  const columns = [
    { key: 'a', title: '(a) pip', sub: 'empty cache' },
    { key: "a'", title: "(a') pip", sub: 'warm cache' },
    { key: 'u', title: '(u) uv', sub: 'no cache' },
    { key: 'b', title: '(b) action', sub: 'cold cache' },
    { key: 'c', title: '(c) action', sub: 'warm, next commit' },
    { key: 'r', title: '(r) action', sub: 'same commit' }
  ] as const
  type Key = (typeof columns)[number]['key']
  const runsOf = (key: Key): readonly (BaselineResult | ActionResult)[] => results[key]
  const med = (key: Key, pick: (r: BaselineResult | ActionResult) => number | undefined): number | undefined => median(runsOf(key).map(pick))
  const seen = new Set(STAGES)
  for (const key of ['b', 'c', 'r'] as const) for (const r of results[key]) for (const s of Object.keys(r.stages)) seen.add(s)
  const stageRows = ['inputs', 'python', 'venv', 'install', ...[...seen].filter((s) => !['inputs', 'python', 'install'].includes(s))]
  const rows = stageRows.map((s) => [s, ...columns.map((v) => secs(med(v.key, (r) => r.stages[s])))])
  const actionOnly = (pick: (r: ActionResult) => number): string[] => [
    '—',
    '—',
    '—',
    ...(['b', 'c', 'r'] as const).map((k) => secs(median(results[k].map(pick))))
  ]
  rows.push(['rest (wall − stages)', ...actionOnly((r) => r.total - sum(Object.values(r.stages)))])
  const total = Object.fromEntries(columns.map((v) => [v.key, med(v.key, (r) => r.total)])) as Record<Key, number | undefined>
  rows.push(['total wall time', ...columns.map((v) => secs(total[v.key]))])
  rows.push(['post step', ...actionOnly((r) => r.post)])
  const withPost = {
    b: median(results.b.map((r) => r.total + r.post)),
    c: median(results.c.map((r) => r.total + r.post)),
    r: median(results.r.map((r) => r.total + r.post))
  }

  console.log(
    `\nMedian wall time in seconds over ${runs} run${runs === 1 ? '' : 's'} of each (interleaved a, a', u, b, c, d, r${results.m.length ? ', m, s' : ''})`
  )
  console.log('(c): the dependency caches warm, one line of a source file changed and committed since (b), as a next commit would;')
  console.log('(r): the commit of (c) again (a re-run, a tag on a commit already built): the build (c) kept is taken, then smoke-tested')
  console.log('(per row, the median of that row; the action’s stages are its `timings` output, its total the process’s wall time)\n')
  console.log(
    table(
      [
        ['stage', ...columns.map((v) => v.title)],
        ['', ...columns.map((v) => v.sub)]
      ],
      rows
    )
  )

  const ratioRow = (label: string, x: Key, y: Key, limit?: number): string[] => {
    const main = ratio(total[x], total[y])
    const post = x === 'b' || x === 'c' || x === 'r' ? ratio(withPost[x], total[y]) : undefined
    return [label, fmtRatio(main), fmtRatio(post), limit === undefined ? '' : target(atMost(main, limit), `≤ ${limit.toFixed(2)}`)]
  }
  console.log('\nRatios of median total wall time (the action’s main step alone, and with its post step added)')
  console.log(
    table(
      [['', 'main step', 'with post', '']],
      [
        ratioRow('c/a   warm action / pip baseline', 'c', 'a', TARGETS.warmOverPip),
        ratioRow('c/u   warm action / uv baseline', 'c', 'u', TARGETS.warmOverUv),
        ratioRow("c/a'  warm action / warm-pip baseline", 'c', "a'"),
        ratioRow('b/a   cold action / pip baseline', 'b', 'a'),
        ratioRow('b/u   cold action / uv baseline', 'b', 'u'),
        ratioRow('rerun/a   same commit / pip baseline', 'r', 'a'),
        ratioRow('rerun/b   same commit / cold action', 'r', 'b', TARGETS.rerunOverCold)
      ]
    )
  )

  console.log('\nThe action’s own time: median of (Total − time in child processes), from its last line')
  for (const [key, name] of [
    ['b', '(b) cold cache'],
    ['c', '(c) warm cache']
  ] as const) {
    const own = median(results[key].map((r) => r.own))
    console.log(`  ${name}   ${secs(own)} s   ${target(atMost(own, TARGETS.ownSeconds), `≤ ${TARGETS.ownSeconds} s`)}`)
  }
  const warmInstall = median(results.c.map((r) => r.stages.install))
  const lock = results.c[0]?.lock
  const installed = median(results.c.map((r) => r.installed))
  const shipped = median(results.c.map((r) => r.shipped))
  console.log(
    `\nWarm install stage: ${secs(warmInstall)} s for ${installed ?? '?'} distributions installed (${shipped ?? '?'} of them shipped in the executable), ` +
      `${lock ? `from ${lock}` : 'no lock (resolved against the index)'}` +
      (lock ? `   ${target(atMost(warmInstall, TARGETS.warmLockedInstall), `≤ ${TARGETS.warmLockedInstall} s with a lock`)}` : '')
  )

  reportPhases(results)
  reportSizes(results)
  if (startup) reportStartup(startup)
  if (results.m.length) reportEntryPoints(results, multi)
}

/** The time `times` take on `lanes` processes started in order, each on the lane that is free first. */
export function makespan(times: readonly number[], lanes: number): number {
  const ends = new Array<number>(Math.max(1, lanes)).fill(0)
  for (const t of times) {
    const first = ends.indexOf(Math.min(...ends))
    ends[first] += t
  }
  return Math.max(...ends)
}

/** Several entry points: one PyInstaller process for all (s) against one each, side by side (m). */
function reportEntryPoints(results: Results, { cores, entryPoints }: MultiSetup): void {
  const serial = median(results.s.map((r) => r.seconds))
  const parallel = median(results.m.map((r) => r.stages.build))
  const each = entryPoints.map((name) => ({ name, seconds: median(results.m.map((r) => r.entryTimes[name])) }))
  const times = each.map((e) => e.seconds ?? 0)
  const lanes = Math.min(cores, entryPoints.length)
  // What the build stage adds to its processes (checks, laying out the builds): the stage less its processes' schedule.
  const added = median(
    results.m.map(
      (r) =>
        r.stages.build -
        makespan(
          entryPoints.map((n) => r.entryTimes[n] ?? 0),
          lanes
        )
    )
  )
  const wide = added === undefined ? undefined : Math.max(...times) + added
  console.log(`\n${entryPoints.length} entry points (${entryPoints.join(', ')}), one-file and one-folder, medians of ${results.m.length} runs`)
  console.log(`  (s) in one PyInstaller process, the spec with every entry point:        ${secs(serial)} s`)
  console.log(
    `  (m) side by side, the action's build stage, ${lanes} processes at a time on ${cores} cores: ${secs(parallel)} s = ${fmtRatio(ratio(parallel, serial))} of (s)   ` +
      target(atMost(ratio(parallel, serial), TARGETS.parallelOverSerial), `≤ ${TARGETS.parallelOverSerial.toFixed(2)}`)
  )
  console.log(`  each entry point's process in (m): ${each.map((e) => `${e.name} ${secs(e.seconds)} s`).join(', ')}`)
  console.log(
    `  with ${entryPoints.length} cores or more, every entry point at once: about the slowest process plus what the stage adds (${secs(added)} s) = ${secs(wide)} s = ${fmtRatio(ratio(wide, serial))} of (s)`
  )
}

/** PyInstaller's phases per variant, and the action's build stage against plain PyInstaller on the same venv (d). */
function reportPhases(results: Results): void {
  const columns = [
    { title: '(a) pip', phases: results.a.map((r) => r.phases) },
    { title: '(u) uv', phases: results.u.map((r) => r.phases) },
    { title: '(b) action', phases: results.b.map((r) => r.phases) },
    { title: '(c) action', phases: results.c.map((r) => r.phases) },
    { title: '(d) plain, venv of (c)', phases: results.d.map((r) => r.phases) }
  ]
  const phaseMedian = (phases: readonly Phases[], phase: keyof Phases): number | undefined => median(phases.map((p) => p[phase]))
  const used = [...PHASES, 'total' as const].filter((ph) => columns.some((c) => phaseMedian(c.phases, ph) !== undefined))
  console.log('\nPyInstaller’s own phases, median seconds from its log (analysis: to the first PYZ; PKG: the one-file payload)\n')
  console.log(
    table(
      [['phase', ...columns.map((c) => c.title)]],
      used.map((ph) => [ph, ...columns.map((c) => secs(phaseMedian(c.phases, ph)))])
    )
  )

  const build = median(results.c.map((r) => r.stages.build))
  const plain = median(results.d.map((r) => r.seconds))
  const buildRatio = ratio(build, plain)
  console.log(
    `\nThe action's build stage (c) against plain PyInstaller on the same venv (d): ${secs(build)} s / ${secs(plain)} s = ${fmtRatio(buildRatio)}   ` +
      target(atMost(buildRatio, TARGETS.buildOverPlain), `≤ ${TARGETS.buildOverPlain.toFixed(2)}`)
  )
  const exeC = median(results.c.map((r) => r.executableSize))
  const exeD = median(results.d.map((r) => r.executableSize))
  const sizeRatio = ratio(exeC, exeD)
  const sizeDiff = sizeRatio === undefined ? undefined : sizeRatio - 1
  console.log(
    `Executable: ${exeC === undefined ? '—' : mb(exeC)} against ${exeD === undefined ? '—' : mb(exeD)}: ${sizeDiff === undefined ? '—' : `${sizeDiff >= 0 ? '+' : ''}${pct(sizeDiff)}`}   ` +
      target(sizeDiff === undefined ? undefined : Math.abs(sizeDiff) <= TARGETS.sizeDifference, `within ${pct(TARGETS.sizeDifference)}`)
  )
  const pkgC = phaseMedian(
    results.c.map((r) => r.phases),
    'PKG'
  )
  const pkgD = phaseMedian(
    results.d.map((r) => r.phases),
    'PKG'
  )
  const saved = pkgC === undefined || pkgD === undefined || pkgD === 0 ? undefined : 1 - pkgC / pkgD
  if (saved !== undefined)
    console.log(
      `One-file packing (PKG) at the action's compression-level against PyInstaller's default 9: ${secs(pkgC)} s / ${secs(pkgD)} s, ${pct(saved)} faster, ` +
        `${sizeDiff === undefined ? '—' : pct(sizeDiff)} larger   ` +
        target(
          sizeDiff === undefined ? undefined : saved >= TARGETS.packingSaved && sizeDiff <= TARGETS.sizeDifference,
          `≥ ${pct(TARGETS.packingSaved)} faster at ≤ ${pct(TARGETS.sizeDifference)} larger`
        )
    )
}

function reportSizes(results: Results): void {
  console.log('\nSizes')
  for (const [key, name] of [
    ['b', '(b)'],
    ['c', '(c)']
  ] as const) {
    const names = [...new Set(results[key].flatMap((r) => r.assets.map((a) => a.name)))]
    for (const n of names) console.log(`  archive ${n} from ${name}: ${mb(median(results[key].map((r) => r.assets.find((a) => a.name === n)?.size)))}`)
    if (!names.length) console.log(`  archive from ${name}: none in the archives output`)
  }
  for (const [key, name] of [
    ['b', 'the action (b)'],
    ['a', 'the pip baseline (a)'],
    ['u', 'the uv baseline (u)']
  ] as const) {
    const size = median(results[key].map((r) => r.executableSize))
    if (size) console.log(`  executable built by ${name}: ${mb(size)}`)
  }
  const cache = median(results.b.map((r) => r.cacheSize))
  if (cache) console.log(`  dependency cache saved by (b)'s post step: ${mb(Math.round(cache))}`)
  const kept = median(results.c.map((r) => r.keptSize))
  if (kept) console.log(`  build kept by (c)'s post step (Actions cache entry): ${mb(Math.round(kept))}`)
}

function reportStartup(startup: StartupFigures): void {
  console.log(
    `\nOne-file against one-folder (the action's builds): what ships, and \`${startup.command}\`, median of ${startup.runs} runs, no Python on PATH\n`
  )
  console.log(
    table(
      [['', 'ships', 'start-up']],
      startup.rows.map((r) => [r.label, `${(r.size / 1e6).toFixed(1)} MB`, `${(r.seconds * 1000).toFixed(0)} ms`])
    )
  )
}
