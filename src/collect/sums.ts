/**
 * Checksums files in `sha256sum` format: reading a leg's file, checking the
 * files it lists, and writing the one merged, sorted SHA256SUMS of a release.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { StageError } from '../errors.js'

export interface SumLine {
  readonly sha256: string
  readonly name: string
}

/** Parses `<sha256>  <name>` lines (or `<sha256> *<name>`, binary mode); throws on any other line. */
export function parseSums(text: string, source: string): SumLine[] {
  const out: SumLine[] = []
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '')
    if (!line.trim()) continue
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line)
    if (!m) throw new StageError('collect', `${source}, line ${i + 1}, is not in sha256sum format ('<sha256>  <file name>'): '${line}'.`)
    out.push({ sha256: m[1].toLowerCase(), name: m[2] })
  }
  return out
}

/** Byte order of the names, as `LC_ALL=C sort -k2` gives: the same order on every machine. */
const byName = (a: SumLine, b: SumLine): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/** One list from several legs' lists, sorted by name; the same file listed twice with two sums is an error. */
export function mergeSums(lists: readonly { readonly source: string; readonly lines: readonly SumLine[] }[]): SumLine[] {
  const seen = new Map<string, { sha256: string; source: string }>()
  for (const { source, lines } of lists)
    for (const l of lines) {
      const before = seen.get(l.name)
      if (before && before.sha256 !== l.sha256)
        throw new StageError(
          'collect',
          `${l.name} is listed by ${before.source} and by ${source} with different checksums: two legs built a file of the same name. Give each target its own os/arch (one runner label per architecture).`
        )
      seen.set(l.name, { sha256: l.sha256, source })
    }
  return [...seen].map(([name, { sha256 }]) => ({ name, sha256 })).sort(byName)
}

export function formatSums(lines: readonly SumLine[]): string {
  return [...lines]
    .sort(byName)
    .map((l) => `${l.sha256}  ${l.name}\n`)
    .join('')
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}
