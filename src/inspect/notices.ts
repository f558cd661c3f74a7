/**
 * THIRD-PARTY-NOTICES.txt: every shipped distribution's name, version,
 * license and license texts, one file per build, placed where the archive
 * carries it next to the executable (inside the .app's Resources for a
 * bundle).
 */
import * as fs from 'node:fs'
import type { Build } from '../freeze/index.js'
import type { Platform } from '../platform.js'
import { licenseText, type License } from './licenses.js'
import type { LicenseFile, SkippedText } from './shipped.js'

export const NOTICES_FILE = 'THIRD-PARTY-NOTICES.txt'

export interface NoticeEntry {
  readonly name: string
  readonly version: string
  readonly license: License
  readonly licenseTexts: readonly LicenseFile[]
  /** License files the metadata names that were not read (outside the distribution, too big, …). */
  readonly skippedTexts?: readonly SkippedText[]
}

const RULE = '='.repeat(78)
const THIN = '-'.repeat(78)

/** The notices text: a header, then one section per distribution with its license texts in full. */
export function noticesText(product: { name: string; version: string; build: string }, entries: readonly NoticeEntry[]): string {
  const lines = [
    `Third-party software in ${product.build} (${product.name} ${product.version})`,
    '',
    entries.length
      ? `This program includes the ${entries.length} Python distribution${entries.length === 1 ? '' : 's'} below. Each is listed with its version, its license and the license texts it ships with.`
      : 'This program includes no third-party Python distributions.',
    ''
  ]
  if (entries.length) lines.push(...entries.map((e) => `  ${e.name} ${e.version}: ${licenseText(e.license)}`), '')
  for (const e of entries) {
    lines.push(RULE, `${e.name} ${e.version}`, `License: ${licenseText(e.license)}`, RULE, '')
    if (!e.licenseTexts.length) lines.push('No license text was found in its metadata.', '')
    for (const t of e.licenseTexts) lines.push(`${t.file}:`, THIN, t.text.replace(/\r\n?/g, '\n').trimEnd(), THIN, '')
    for (const k of e.skippedTexts ?? []) lines.push(`Not included: '${k.file}', named by its metadata, ${k.reason}.`)
    if (e.skippedTexts?.length) lines.push('')
  }
  return `${lines.join('\n')}\n`
}

/**
 * Where a build's notices go: into a one-folder build beside its executables,
 * into a .app's Contents/Resources, and for a one-file executable (a single
 * file, archived alone) into `spare`, a folder of its own that the archiver
 * adds beside the executable.
 */
export function noticesPath(platform: Platform, build: Build, spare: string): string {
  const join = platform.path.join
  if (build.mode === 'onedir') return join(build.root, NOTICES_FILE)
  if (build.mode === 'app') return join(build.root, 'Contents', 'Resources', NOTICES_FILE)
  return join(spare, NOTICES_FILE)
}

/** Writes the notices; returns the path written. */
export function writeNotices(platform: Platform, build: Build, spare: string, text: string): string {
  const file = noticesPath(platform, build, spare)
  fs.mkdirSync(platform.path.dirname(file), { recursive: true })
  // A new file, never written through an existing one: a kept build's files may be hard links to the store's.
  fs.rmSync(file, { force: true })
  fs.writeFileSync(file, text)
  return file
}
