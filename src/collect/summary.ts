/** The release job's summary: one table of target × file (archives, SBOMs, installers) × size × smoke tests, then the checksums and the release. */
import { formatSize } from '../report.js'
import type { LegResult } from './collect.js'

export interface ReleaseLine {
  readonly tag: string
  readonly url: string
  readonly created: boolean
  readonly assets: number
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function smokeCell(l: LegResult): string {
  if (!l.ok) return `❌ ${l.reason}`
  const n = l.report?.smokeTests ?? 0
  return n ? `✅ passed (${n} command${n > 1 ? 's' : ''})` : '— none configured'
}

export function releaseSummary(legs: readonly LegResult[], sumsCount: number, release?: ReleaseLine, skipped?: string): string {
  const rows: string[] = []
  for (const l of legs) {
    const released = l.files.filter((f) => f.mode !== 'checksums')
    if (!released.length) rows.push(`| ${cell(l.target.label)} | — | — | ${cell(smokeCell(l))} |`)
    for (const a of released) rows.push(`| ${cell(l.target.label)} | \`${a.name}\` | ${formatSize(a.size)} | ${cell(smokeCell(l))} |`)
  }
  const ok = legs.filter((l) => l.ok).length
  const lines = [
    `### Standalone executables: ${ok} of ${legs.length} target${legs.length > 1 ? 's' : ''} built`,
    '',
    '| Target | File | Size | Smoke tests |',
    '|---|---|---|---|',
    ...rows,
    '',
    `\`SHA256SUMS\` lists ${sumsCount} file${sumsCount === 1 ? '' : 's'} (each checked against its leg's checksums file).`
  ]
  if (release) lines.push('', `Release [${release.tag}](${release.url}) (${release.created ? 'created' : 'updated'}): ${release.assets} assets.`)
  if (skipped) lines.push('', skipped)
  return `${lines.join('\n')}\n`
}
