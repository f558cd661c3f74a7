/**
 * The action's outputs and its job summary.
 */
import * as path from 'node:path'
import * as core from '@actions/core'
import type { DataRule } from './config.js'
import type { Build, EntryTime } from './freeze/index.js'
import type { Maker } from './reuse/record.js'
import type { BuildFacts } from './inspect/facts.js'
import { describeFacts } from './inspect/describe.js'
import { glibcFloor } from './inspect/linux.js'
import type { Asset } from './package.js'
import type { Platform } from './platform.js'
import type { Timing } from './stage.js'
import type { SmokeTiming } from './smoke.js'
import type { Published } from './publish/index.js'
import type { PublishedFile } from './publish/artifacts.js'
import { copyleftDistributions, skippedTexts, unclassifiedDistributions, withoutText, type BuildDistributions } from './inspect/distributions.js'
import { licenseText } from './inspect/licenses.js'
import { largest } from './inspect/sizes.js'

export interface RunReport {
  readonly platform: Platform
  /** Where a cross-built run's programs ran (`Wine 10.0`): every asset says so in the summary. */
  readonly via?: string
  readonly version: string
  /** The build's key (src/reuse/), when builds are reused and kept. */
  readonly buildKey?: string
  /** Who made the build this run reused (it then neither installed nor built). */
  readonly reusedFrom?: Maker
  readonly python: string
  /** What built the executables, as people write it: PyInstaller or Nuitka. */
  readonly builder: string
  /** The lock file the dependencies were installed from, as describeLock names it; '' or absent when resolved afresh. */
  readonly lock?: string
  /** Each entry point's time when they were built side by side, and how many processes ran at once. */
  readonly entryTimes?: readonly EntryTime[]
  readonly processes?: number
  /** The builds, with the inspect stage's facts. */
  readonly builds: readonly (Build & { readonly facts?: BuildFacts })[]
  readonly assets: readonly Asset[]
  readonly smokeRuns: number
  /** How long each passing smoke command took (start-up plus the command), for the summary. */
  readonly startup?: readonly SmokeTiming[]
  readonly timings: readonly Timing[]
  readonly outputDir: string
  /** What add-data put into the executables, and the project folder its sources are shown relative to. */
  readonly addedData?: readonly DataRule[]
  readonly projectDir?: string
  /** Files in output-dir that this run did not write (a glob upload would take them too). */
  readonly otherFiles?: readonly string[]
  /** What each build ships (PyInstaller builds; empty otherwise). */
  readonly shipped?: readonly BuildDistributions[]
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** Every output, as name → string value. */
export function outputsFor(r: RunReport): Record<string, string> {
  const archives = r.assets.filter((a) => a.mode === 'onefile' || a.mode === 'onedir' || a.mode === 'app')
  return {
    version: r.version,
    'python-version': r.python,
    'output-dir': r.outputDir,
    archives: archives.map((a) => a.path).join('\n'),
    installers: r.assets
      .filter((a) => a.mode === 'deb' || a.mode === 'rpm' || a.mode === 'msi' || a.mode === 'dmg')
      .map((a) => a.path)
      .join('\n'),
    checksums: r.assets.find((a) => a.mode === 'checksums')?.path ?? '',
    sbom: r.assets
      .filter((a) => a.mode === 'sbom')
      .map((a) => a.path)
      .join('\n'),
    assets: JSON.stringify(
      r.assets.map(({ name, path, size, sha256, mode, glibc, macos, archs, windows }) => ({ name, path, size, sha256, mode, glibc, macos, archs, windows }))
    ),
    executables: JSON.stringify(r.builds.flatMap((b) => b.executables.map((e) => ({ name: e.name, path: e.path, mode: b.mode })))),
    timings: JSON.stringify(Object.fromEntries(r.timings.map((t) => [t.stage, Number(t.seconds.toFixed(2))]))),
    'build-reused': r.reusedFrom ? 'true' : 'false',
    'build-key': r.buildKey ?? '',
    'glibc-floor': glibcFloor(r.builds)
  }
}

/**
 * The job summary's start-up table: per executable of each build, its fastest
 * smoke command (start-up plus that command's work), so one-file and
 * one-folder builds of one program can be compared at a glance.
 */
export function startupMarkdown(timings: readonly SmokeTiming[]): string[] {
  const fastest = new Map<string, SmokeTiming>()
  for (const t of timings) {
    const key = `${t.build}\0${t.executable}`
    const seen = fastest.get(key)
    if (!seen || t.ms < seen.ms) fastest.set(key, t)
  }
  if (!fastest.size) return []
  const line = (t: SmokeTiming): string => [t.executable, ...t.args].join(' ')
  return [
    '### Start-up (fastest smoke test per executable)',
    '',
    '| executable | build | command | seconds |',
    '|---|---|---|---:|',
    ...[...fastest.values()].map(
      (t) => `| \`${escapeCell(t.executable)}\` | ${escapeCell(t.build)} (${t.mode}) | \`${escapeCell(line(t))}\` | ${(t.ms / 1000).toFixed(2)} |`
    ),
    ''
  ]
}

/** The summary's line about a reused build: whose it is, under which key. */
export function reusedMarkdown(r: Pick<RunReport, 'buildKey' | 'reusedFrom'>): string[] {
  if (!r.reusedFrom) return []
  const run = r.reusedFrom.url ? `[${escapeCell(r.reusedFrom.run)}](${r.reusedFrom.url})` : escapeCell(r.reusedFrom.run)
  return [
    `> [!NOTE]\n> Build reused from \`${escapeCell(r.buildKey ?? '')}\`, made by ${run} at ${r.reusedFrom.at}: no install, no build; the smoke tests ran on it as on a new one.`,
    ''
  ]
}

/** The job summary's table of each entry point's build time, when they had processes of their own. */
export function entryTimesMarkdown(times: readonly EntryTime[], processes: number): string[] {
  if (!times.length) return []
  return [
    `### Build per entry point (${times.length} PyInstaller processes, ${processes} at a time)`,
    '',
    '| entry point | seconds |',
    '|---|---:|',
    ...times.map((t) => `| \`${escapeCell(t.name)}\` | ${t.seconds.toFixed(1)} |`),
    ''
  ]
}

/** The job summary's lines about where the builds run (one per build with facts). */
export function systemsMarkdown(builds: RunReport['builds']): string[] {
  const lines = builds.flatMap((b) => (b.facts ? describeFacts(b.facts).map((line) => `- \`${escapeCell(b.name)}\` (${b.mode}): ${line}`) : []))
  return lines.length ? ['### Where the builds run', '', ...lines, ''] : []
}

/**
 * The outputs set right after packaging, before anything is published (a
 * failed upload leaves the archives' paths usable): all but timings, which
 * the report stage sets once, when every stage's time is known, and
 * glibc-floor, which the inspect stage set (before its limits are checked,
 * so that a step after a failure can read it). Each output is written once:
 * a second line of one name in GITHUB_OUTPUT is noise a reader must resolve.
 */
export function packagedOutputs(r: RunReport): Record<string, string> {
  const out = outputsFor(r)
  delete out.timings
  delete out['glibc-floor']
  return out
}

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|')

const publishedJson = (a: PublishedFile): PublishedFile => ({ name: a.name, id: a.id, url: a.url, size: a.size, sha256: a.sha256 })

/** The outputs of what was published. */
export function publishedOutputs(p: Published): Record<string, string> {
  return {
    artifacts: JSON.stringify(p.artifacts.map(publishedJson)),
    'artifact-ids': p.artifacts.map((a) => a.id).join(','),
    'release-url': p.release?.url ?? '',
    'release-assets': JSON.stringify((p.release?.assets ?? []).map(publishedJson))
  }
}

/** The job summary in Markdown. */
export function summaryMarkdown(r: RunReport, p: Published = { artifacts: [], notes: [] }): string {
  const lines = [
    `## build-standalone: ${r.builds.length} build${r.builds.length === 1 ? '' : 's'} for ${r.platform.os}-${r.platform.arch}`,
    '',
    `Version **${escapeCell(r.version)}**, Python ${r.python}, built with ${r.builder}, ${r.lock ? `dependencies from ${escapeCell(r.lock)}, ` : ''}${r.smokeRuns ? `${r.smokeRuns} smoke test${r.smokeRuns === 1 ? '' : 's'} passed` : 'no smoke tests'}.`,
    '',
    ...reusedMarkdown(r),
    ...assetsMarkdown(r),
    ...systemsMarkdown(r.builds),
    ...startupMarkdown(r.startup ?? []),
    ...entryTimesMarkdown(r.entryTimes ?? [], r.processes ?? 1)
  ]
  if (p.artifacts.length)
    lines.push(
      '### Workflow artifacts',
      '',
      '| artifact | size | sha256 |',
      '|---|---:|---|',
      ...p.artifacts.map((a) => `| [${escapeCell(a.name)}](${a.url}) | ${formatSize(a.size)} | \`${a.sha256}\` |`),
      ''
    )
  if (p.release)
    lines.push(
      `### Release [${p.release.draft ? 'draft ' : ''}${escapeCell(p.release.tag)}](${p.release.url})${p.release.created ? ' (created)' : ''}`,
      '',
      '| asset | size | sha256 | |',
      '|---|---:|---|---|',
      ...p.release.assets.map((a) => `| [${escapeCell(a.name)}](${a.url}) | ${formatSize(a.size)} | \`${a.sha256}\` | ${a.replaced ? 'replaced' : 'new'} |`),
      ''
    )
  if (r.addedData?.length)
    lines.push(
      '### Data files added (add-data)',
      '',
      '| source | in the bundle | |',
      '|---|---|---|',
      ...r.addedData.map((d) => {
        const shown = r.projectDir && !d.outside ? path.relative(r.projectDir, d.source) || '.' : d.source
        return `| \`${escapeCell(shown.replace(/`/g, "'"))}\` | \`${escapeCell(d.dest.replace(/`/g, "'"))}\` | ${d.outside ? '**outside the project**' : ''} |`
      }),
      ''
    )
  if (r.otherFiles?.length) {
    const names = r.otherFiles.slice(0, 20).map((n) => `\`${escapeCell(n.replace(/[`\r\n]/g, '?'))}\``)
    lines.push(
      `> output-dir (${escapeCell(r.outputDir)}) also holds ${r.otherFiles.length} file${r.otherFiles.length === 1 ? '' : 's'} this run did not write: ${names.join(', ')}${r.otherFiles.length > 20 ? ', …' : ''}. A glob such as \`${escapeCell(r.outputDir)}/*\` would upload ${r.otherFiles.length === 1 ? 'it' : 'them'} too; use the archives output instead, or an empty output-dir.`,
      ''
    )
  }
  for (const note of p.notes) lines.push(`> ${note}`, '')
  for (const b of r.shipped ?? []) lines.push(...shippedMarkdown(b))
  lines.push('| stage | seconds |', '|---|---:|', ...r.timings.map((t) => `| ${t.stage} | ${t.seconds.toFixed(1)} |`), '')
  return lines.join('\n')
}

/** Under Wine: what each asset was built and tested under, and what that does not prove. */
export function crossNote(r: Pick<RunReport, 'via' | 'smokeRuns'>): string {
  return r.smokeRuns ? `built and smoke-tested under ${r.via}` : `built under ${r.via}, not smoke-tested`
}

/** The assets table; a cross-built run says on every asset where it was built and tested, and what that leaves to a Windows machine. */
export function assetsMarkdown(r: RunReport): string[] {
  const row = (a: Asset): string => `| \`${escapeCell(a.name)}\` | ${a.mode} | ${formatSize(a.size)} | \`${a.sha256}\` |`
  if (!r.via) return ['| asset | mode | size | sha256 |', '|---|---|---:|---|', ...r.assets.map(row), '']
  return [
    `> Cross-built on Linux: ${crossNote(r)}, not on Windows. Wine does not show what Windows Defender and SmartScreen make of the programs, how a GUI toolkit draws on Windows, nor how a Windows service runs: smoke-test a release once on a real Windows runner.`,
    '',
    '| asset | mode | size | sha256 | built |',
    '|---|---|---:|---|---|',
    ...r.assets.map((a) => `${row(a)} ${a.mode === 'checksums' ? '' : crossNote(r)} |`),
    ''
  ]
}

/** A build's shipped distributions: the ten largest, the total, copyleft licenses and missing license texts. */
export function shippedMarkdown(b: BuildDistributions): string[] {
  const n = b.distributions.length
  const top = largest([...b.distributions, ...(b.project ? [b.project] : [])], 10)
  const lines = [
    `### Shipped in \`${escapeCell(b.buildName)}\`: ${n} third-party distribution${n === 1 ? '' : 's'}, ${formatSize(b.total)} before compression`,
    ''
  ]
  if (top.length)
    lines.push(
      '| distribution | version | license | size |',
      '|---|---|---|---:|',
      ...top.map(
        (d) =>
          `| ${escapeCell(d.name)}${d === b.project ? ' (the project)' : ''} | ${escapeCell(d.version)} | ${escapeCell(licenseText(d.license))} | ${formatSize(d.size)} |`
      ),
      `| **total** | | | **${formatSize(b.total)}** |`,
      ''
    )
  const copyleft = copyleftDistributions(b)
  if (copyleft.length)
    lines.push(`> [!NOTE]\n> Copyleft licenses: ${copyleft.map(escapeCell).join(', ')}. Check what they require of a redistributed executable.`, '')
  const missing = withoutText(b)
  if (missing.length)
    lines.push(`> [!WARNING]\n> No license text found for: ${missing.map(escapeCell).join(', ')}. THIRD-PARTY-NOTICES.txt lists them without one.`, '')
  const unclassified = unclassifiedDistributions(b)
  if (unclassified.length)
    lines.push(
      `> [!WARNING]\n> Licenses the action cannot classify (not an SPDX expression, nor a name it knows): ${unclassified.map(escapeCell).join(', ')}. license-deny cannot vouch for them; check them by hand.`,
      ''
    )
  const skipped = skippedTexts(b)
  if (skipped.length)
    lines.push(
      `> [!WARNING]\n> License files named by the metadata and left out of THIRD-PARTY-NOTICES.txt (only regular files inside the distribution's own folders, within the size limits, are read): ${skipped
        .slice(0, 20)
        .map((k) => escapeCell(k.replace(/[`\r\n]/g, "'")))
        .join('; ')}${skipped.length > 20 ? `; and ${skipped.length - 20} more (see the log)` : ''}.`,
      ''
    )
  if (b.problems.length)
    lines.push(
      `> [!WARNING]\n> Metadata read with problems: ${b.problems
        .slice(0, 20)
        .map((p) => escapeCell(`${p.distribution}: ${p.problem}`))
        .join('; ')}.`,
      ''
    )
  return lines
}

export function failureMarkdown(message: string, timings: readonly Timing[]): string {
  return [
    '## build-standalone failed',
    '',
    '```',
    // A fence inside the message would end the code block early.
    message.replace(/```/g, "'''"),
    '```',
    '',
    '| stage | seconds |',
    '|---|---:|',
    ...timings.map((t) => `| ${t.stage} | ${t.seconds.toFixed(1)} |`),
    ''
  ].join('\n')
}

/** GitHub drops a step's job summary over 1 MiB; the action keeps its own well under that. */
export const SUMMARY_MAX_BYTES = 512 * 1024

/** `markdown` cut to at most `max` bytes of UTF-8, saying so, with an open code block closed. */
export function boundSummary(markdown: string, max = SUMMARY_MAX_BYTES): string {
  if (Buffer.byteLength(markdown) <= max) return markdown
  const note = `\n\n> The summary was cut at ${Math.round(max / 1024)} KiB (GitHub drops job summaries over 1 MiB); the log has the rest.\n`
  // Cut on a character boundary, leaving room for the note and a closing fence.
  let cut = Buffer.from(markdown)
    .subarray(0, max - Buffer.byteLength(note) - 8)
    .toString('utf8')
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1)
  const fences = (cut.match(/^```/gm) ?? []).length
  return `${cut}${fences % 2 ? '\n```' : ''}${note}`
}

/** Writes the summary when the runner gave a summary file (no-op otherwise), never over SUMMARY_MAX_BYTES. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(boundSummary(markdown), true).write()
}

export function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}

/** Sets the publish outputs and the timings, and writes the job summary. */
export async function report(r: RunReport, p: Published): Promise<void> {
  setOutputs({ ...publishedOutputs(p), timings: outputsFor(r).timings })
  await writeSummary(summaryMarkdown(r, p))
  for (const a of r.assets) core.info(`${a.name}  ${formatSize(a.size)}  sha256 ${a.sha256}`)
}
