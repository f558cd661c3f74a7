/**
 * The release job's first half: every leg's report and files from the run's
 * artifacts, each file checked against the sums its leg computed, and one
 * merged list of checksums. A target whose leg failed, never reported, or
 * whose files do not match is reported with the reason; the others stay usable.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { StageError } from '../errors.js'
import type { Asset } from '../package.js'
import { legArtifactName, legAssetProblem, parseLegReport, type LegReport, type Target } from './legs.js'
import { mergeSums, parseSums, sha256File, type SumLine } from './sums.js'

export interface StoredArtifact {
  readonly name: string
  readonly id: number
}

/** The run's workflow artifacts (@actions/artifact in the action; a folder in unit tests). */
export interface ArtifactStore {
  list(): Promise<StoredArtifact[]>
  /** Downloads one artifact into `dir` as a file named like the artifact; returns its path. */
  download(artifact: StoredArtifact, dir: string): Promise<string>
}

export interface LegResult {
  readonly target: Target
  readonly ok: boolean
  /** Why the target has nothing to release (empty when ok). */
  readonly reason: string
  readonly report?: LegReport
  /** The leg's downloaded, checked files: archives, SBOMs, installers and its checksums file. */
  readonly files: readonly Asset[]
}

export interface Collected {
  readonly legs: readonly LegResult[]
  /** Every file of the usable legs (its checksums file left out), by name. */
  readonly sums: readonly SumLine[]
}

const OUTCOME_REASON: Record<string, string> = {
  failure: 'the build failed',
  cancelled: 'the build was cancelled',
  skipped: 'the build step did not run (an earlier step of the leg failed)'
}

async function collectLeg(target: Target, listed: readonly StoredArtifact[], store: ArtifactStore, dir: string): Promise<LegResult> {
  const fail = (reason: string, report?: LegReport): LegResult => ({ target, ok: false, reason, report, files: [] })
  const reportArtifact = listed.find((a) => a.name === legArtifactName(target))
  if (!reportArtifact) return fail('no report from its leg: the job did not finish (no runner for the label, cancelled, or a failure before the build step)')
  const report = parseLegReport(fs.readFileSync(await store.download(reportArtifact, path.join(dir, 'reports')), 'utf8'), reportArtifact.name)
  // A report is its leg's own: the target it names is the one its artifact is named for.
  if (report.target.id !== target.id)
    return fail(
      `its report (${reportArtifact.name}) is for another target (${String(report.target.label ?? report.target.id).slice(0, 100)}): a report that did not come from its leg`
    )
  if (report.outcome !== 'success') return fail(OUTCOME_REASON[report.outcome] ?? `the build step's outcome is ${report.outcome.slice(0, 40)}`, report)
  for (const a of report.assets) {
    const problem = legAssetProblem(a, report.platform)
    if (problem) return fail(`its report ${problem}`, report)
  }
  const names = report.assets.map((a) => a.name)
  const twice = names.find((n, i) => names.indexOf(n) !== i)
  if (twice) return fail(`its report lists ${twice} twice`, report)
  if (!report.assets.some((a) => a.mode !== 'checksums')) return fail('the build reported no archives or installers', report)
  if (report.assets.filter((a) => a.mode === 'checksums').length !== 1) return fail('its report does not name exactly one checksums file', report)
  const files: Asset[] = []
  for (const a of report.assets) {
    const artifact = listed.find((x) => x.name === a.name)
    if (!artifact) return fail(`${a.name} is not among the run's artifacts (was upload turned off?)`, report)
    const file = await store.download(artifact, path.join(dir, 'files'))
    const sha256 = sha256File(file)
    if (sha256 !== a.sha256) return fail(`${a.name} does not match the checksum its leg computed (${sha256} downloaded, ${a.sha256} built)`, report)
    files.push({ name: a.name, path: file, size: fs.statSync(file).size, sha256, mode: a.mode as Asset['mode'] })
  }
  const sumsFile = files.find((f) => f.mode === 'checksums')
  if (!sumsFile) return fail('the leg uploaded no checksums file', report)
  const lines = parseSums(fs.readFileSync(sumsFile.path, 'utf8'), sumsFile.name)
  const sumNames = lines.map((l) => l.name)
  const again = sumNames.find((n, i) => sumNames.indexOf(n) !== i)
  if (again) return fail(`${sumsFile.name} lists ${again} twice`, report)
  for (const f of files.filter((x) => x.mode !== 'checksums')) {
    const line = lines.find((l) => l.name === f.name)
    if (!line) return fail(`${sumsFile.name} does not list ${f.name}`, report)
    if (line.sha256 !== f.sha256) return fail(`${f.name} does not match ${sumsFile.name} (${f.sha256} downloaded, ${line.sha256} listed)`, report)
  }
  return { target, ok: true, reason: '', report, files }
}

/**
 * The legs, with every file that two legs report taken from both: a leg releases only its own files, and one
 * that reports a file of the same name as another leg's cannot say which is which.
 */
export function withoutSharedFiles(legs: readonly LegResult[]): LegResult[] {
  const owners = new Map<string, string[]>()
  for (const l of legs.filter((x) => x.ok)) for (const f of l.files) owners.set(f.name, [...(owners.get(f.name) ?? []), l.target.label])
  return legs.map((l) => {
    if (!l.ok) return l
    const shared = l.files.find((f) => (owners.get(f.name) ?? []).length > 1)
    if (!shared) return l
    const others = (owners.get(shared.name) ?? []).filter((o) => o !== l.target.label)
    return {
      ...l,
      ok: false,
      files: [],
      reason: `${shared.name} is reported by the leg of ${others.join(', ') || 'another target with the same label'} too: two legs built a file of the same name (give each target its own os/arch), so neither is released`
    }
  })
}

export async function collect(targets: readonly Target[], store: ArtifactStore, dir: string): Promise<Collected> {
  const listed = await store.list()
  const collected: LegResult[] = []
  for (const t of targets) {
    try {
      collected.push(await collectLeg(t, listed, store, path.join(dir, t.id)))
    } catch (e) {
      collected.push({ target: t, ok: false, reason: `its files could not be read: ${(e as Error).message}`, files: [] })
    }
  }
  const legs = withoutSharedFiles(collected)
  const sums = mergeSums(
    legs
      .filter((l) => l.ok)
      .map((l) => {
        const sumsFile = l.files.find((f) => f.mode === 'checksums')!
        const names = new Set(l.files.map((f) => f.name))
        return { source: sumsFile.name, lines: parseSums(fs.readFileSync(sumsFile.path, 'utf8'), sumsFile.name).filter((x) => names.has(x.name)) }
      })
  )
  return { legs, sums }
}

/** The message of a release job with failed targets. */
export function failureMessage(legs: readonly LegResult[], allowPartial: boolean): string {
  const failed = legs.filter((l) => !l.ok)
  const list = failed.map((l) => `${l.target.label}: ${l.reason}`).join('; ')
  const ok = legs.length - failed.length
  const rest = ok
    ? ` The ${ok} other target${ok > 1 ? 's were' : ' was'} built and checked: ${ok > 1 ? 'their' : 'its'} files are workflow artifacts of this run, listed in the SHA256SUMS artifact.`
    : ''
  const next = allowPartial ? '' : ' No release was made; fix the failed targets and re-run the failed jobs, or set allow-partial: true to release the others.'
  return `${failed.length} of ${legs.length} target${legs.length > 1 ? 's' : ''} failed — ${list}.${rest}${next}`
}

export function requireSome(legs: readonly LegResult[]): void {
  if (!legs.some((l) => l.ok)) throw new StageError('collect', failureMessage(legs, false))
}
