/** The figures: medians, ratios and the tables the bench prints. */
import type { BaselineResult } from './baselines.js'
import type { ActionResult } from './variants.js'

const STAGES = ['inputs', 'python', 'install', 'build', 'inspect', 'smoke', 'package']
export const TARGET_WARM_RATIO = 0.6
export const TARGET_OWN_SECONDS = 2

/** The results of every run of each variant: (a), (a') the baseline, (b), (c) the action. */
export interface Results {
  readonly a: BaselineResult[]
  readonly "a'": BaselineResult[]
  readonly b: ActionResult[]
  readonly c: ActionResult[]
}

/** The median of the finite numbers among `values`; undefined when there are none. */
export function median(values: readonly (number | undefined)[]): number | undefined {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (!v.length) return undefined
  const mid = Math.floor(v.length / 2)
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2
}

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

/** Prints the medians per stage, the ratios against the targets, the action's own time and the sizes. */
export function report(results: Results, runs: number): void {
  const variants = [
    { key: 'a', title: '(a) baseline', sub: 'empty pip cache' },
    { key: "a'", title: "(a') baseline", sub: 'warm pip cache' },
    { key: 'b', title: '(b) action', sub: 'cold cache' },
    { key: 'c', title: '(c) action', sub: 'warm cache' }
  ] as const
  const med = <K extends keyof Results>(key: K, pick: (r: Results[K][number]) => number | undefined): number | undefined =>
    median((results[key] as Results[K][number][]).map(pick))
  const seen = new Set(STAGES)
  for (const key of ['b', 'c'] as const) for (const r of results[key]) for (const s of Object.keys(r.stages)) seen.add(s)
  const stageRows = ['inputs', 'python', 'venv', 'install', ...[...seen].filter((s) => !['inputs', 'python', 'install'].includes(s))]
  const rows = stageRows.map((s) => [s, ...variants.map((v) => secs(med(v.key, (r) => r.stages[s])))])
  rows.push([
    'rest (wall − stages)',
    '—',
    '—',
    ...(['b', 'c'] as const).map((k) => secs(med(k, (r) => r.total - Object.values(r.stages).reduce((sum, x) => sum + x, 0))))
  ])
  const total = Object.fromEntries(variants.map((v) => [v.key, med(v.key, (r) => r.total)])) as Record<keyof Results, number | undefined>
  const post = { b: med('b', (r) => r.post), c: med('c', (r) => r.post) }
  const withPost = { b: med('b', (r) => r.total + r.post), c: med('c', (r) => r.total + r.post) }
  rows.push(['total wall time', ...variants.map((v) => secs(total[v.key]))])
  rows.push(['post step', '—', '—', secs(post.b), secs(post.c)])
  rows.push(['total + post step', secs(total.a), secs(total["a'"]), secs(withPost.b), secs(withPost.c)])

  console.log(`\nMedian wall time in seconds over ${runs} run${runs === 1 ? '' : 's'} of each (interleaved a, a', b, c)`)
  console.log('(per row, the median of that row; the action’s stages are its `timings` output, its total the process’s wall time)\n')
  console.log(
    table(
      [
        ['stage', ...variants.map((v) => v.title)],
        ['', ...variants.map((v) => v.sub)]
      ],
      rows
    )
  )

  const cA = ratio(total.c, total.a)
  const cAPost = ratio(withPost.c, total.a)
  console.log('\nRatios of median total wall time (the action’s main step alone, and with its post step added)')
  console.log(
    table(
      [['', 'main step', 'with post', '']],
      [
        ['b/a   cold action / baseline', fmtRatio(ratio(total.b, total.a)), fmtRatio(ratio(withPost.b, total.a)), ''],
        [
          'c/a   warm action / baseline',
          fmtRatio(cA),
          fmtRatio(cAPost),
          `target ≤ ${TARGET_WARM_RATIO.toFixed(2)}: ${met(cA === undefined ? undefined : cA <= TARGET_WARM_RATIO)}` +
            ` (with post: ${met(cAPost === undefined ? undefined : cAPost <= TARGET_WARM_RATIO)})`
        ],
        ["c/a'  warm action / warm-pip baseline", fmtRatio(ratio(total.c, total["a'"])), fmtRatio(ratio(withPost.c, total["a'"])), '']
      ]
    )
  )

  console.log('\nThe action’s own time: median of (Total − time in child processes), from its last line')
  for (const [key, name] of [
    ['b', '(b) cold cache'],
    ['c', '(c) warm cache']
  ] as const) {
    const own = med(key, (r) => r.own)
    console.log(`  ${name}   ${secs(own)} s   target ≤ ${TARGET_OWN_SECONDS} s: ${met(own === undefined ? undefined : own <= TARGET_OWN_SECONDS)}`)
  }

  console.log('\nSizes')
  for (const [key, name] of [
    ['b', '(b)'],
    ['c', '(c)']
  ] as const) {
    const names = [...new Set(results[key].flatMap((r) => r.assets.map((a) => a.name)))]
    for (const n of names) console.log(`  archive ${n} from ${name}: ${mb(med(key, (r) => r.assets.find((a) => a.name === n)?.size))}`)
    if (!names.length) console.log(`  archive from ${name}: none in the archives output`)
  }
  const exeAction = med('b', (r) => r.executableSize)
  const exeBase = med('a', (r) => r.executableSize)
  if (exeAction) console.log(`  executable built by the action: ${mb(exeAction)}`)
  if (exeBase) console.log(`  executable built by the baseline: ${mb(exeBase)}`)
  const cache = med('b', (r) => r.cacheSize)
  if (cache) console.log(`  dependency cache saved by (b)'s post step: ${mb(Math.round(cache))}`)
}
