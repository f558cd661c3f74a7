/**
 * The action's outputs and its job summary.
 */
import * as core from '@actions/core'
import type { Build } from './build/index.js'
import type { Asset } from './package.js'
import type { Platform } from './platform.js'
import type { Timing } from './stage.js'

export interface RunReport {
  readonly platform: Platform
  readonly version: string
  readonly python: string
  readonly builds: readonly Build[]
  readonly assets: readonly Asset[]
  readonly smokeRuns: number
  readonly timings: readonly Timing[]
  readonly outputDir: string
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** Every output, as name → string value. */
export function outputsFor(r: RunReport): Record<string, string> {
  const archives = r.assets.filter((a) => a.mode !== 'checksums')
  return {
    version: r.version,
    'python-version': r.python,
    'output-dir': r.outputDir,
    archives: archives.map((a) => a.path).join('\n'),
    checksums: r.assets.find((a) => a.mode === 'checksums')?.path ?? '',
    assets: JSON.stringify(r.assets.map((a) => ({ name: a.name, path: a.path, size: a.size, sha256: a.sha256, mode: a.mode }))),
    executables: JSON.stringify(r.builds.flatMap((b) => b.executables.map((e) => ({ name: e.name, path: e.path, mode: b.mode })))),
    timings: JSON.stringify(Object.fromEntries(r.timings.map((t) => [t.stage, Number(t.seconds.toFixed(2))])))
  }
}

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|')

/** The job summary in Markdown. */
export function summaryMarkdown(r: RunReport): string {
  const lines = [
    `## build-standalone: ${r.builds.length} build${r.builds.length === 1 ? '' : 's'} for ${r.platform.os}-${r.platform.arch}`,
    '',
    `Version **${escapeCell(r.version)}**, Python ${r.python}, ${r.smokeRuns ? `${r.smokeRuns} smoke test${r.smokeRuns === 1 ? '' : 's'} passed` : 'no smoke tests'}.`,
    '',
    '| asset | mode | size | sha256 |',
    '|---|---|---:|---|',
    ...r.assets.map((a) => `| \`${escapeCell(a.name)}\` | ${a.mode} | ${formatSize(a.size)} | \`${a.sha256}\` |`),
    '',
    '| stage | seconds |',
    '|---|---:|',
    ...r.timings.map((t) => `| ${t.stage} | ${t.seconds.toFixed(1)} |`),
    ''
  ]
  return lines.join('\n')
}

export function failureMarkdown(message: string, timings: readonly Timing[]): string {
  return [
    '## build-standalone failed',
    '',
    '```',
    message,
    '```',
    '',
    '| stage | seconds |',
    '|---|---:|',
    ...timings.map((t) => `| ${t.stage} | ${t.seconds.toFixed(1)} |`),
    ''
  ].join('\n')
}

/** Writes the summary when the runner gave a summary file (no-op otherwise). */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(markdown, true).write()
}

export async function report(r: RunReport): Promise<void> {
  for (const [name, value] of Object.entries(outputsFor(r))) core.setOutput(name, value)
  await writeSummary(summaryMarkdown(r))
  for (const a of r.assets) core.info(`${a.name}  ${formatSize(a.size)}  sha256 ${a.sha256}`)
}
