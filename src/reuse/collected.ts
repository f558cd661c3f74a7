/**
 * The files a PyInstaller build collected from outside the build venv and the
 * project: the interpreter's standard library and extension modules, and the
 * system's shared libraries and data (libssl, Tcl/Tk on Linux). The key names
 * the runner image and the interpreter's build, but a self-hosted machine or a
 * laptop updates a system library without either changing: a kept build
 * records these files' hashes (from PyInstaller's Analysis TOC files in its
 * work folders), and a run takes it only when every one is unchanged.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { inside } from './project.js'

/** The Analysis TOC files below `dir` (PyInstaller's work folders: one per spec, one per part). */
export function analysisTocs(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /^Analysis-\d+\.toc$/.test(path.basename(f)))
    .map((f) => path.join(dir, f))
    .sort()
}

/**
 * The absolute paths a TOC file's text names: its quoted strings that start
 * like a POSIX or Windows absolute path (Python's repr: single quotes, or
 * double quotes around a string that holds one, backslashes doubled).
 */
export function tocPaths(text: string): string[] {
  const out = new Set<string>()
  for (const m of text.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g)) {
    const s = (m[1] ?? m[2]).replace(/\\\\/g, '\\')
    if (s.startsWith('/') || /^[A-Za-z]:\\/.test(s)) out.add(s)
  }
  return [...out]
}

/** sha256 of a file's content; '' when it cannot be read (gone, or not a file). */
export function fileHash(file: string): string {
  try {
    return fs.statSync(file).isFile() ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : ''
  } catch {
    return ''
  }
}

/** The files the TOCs below `workDirs` name outside the `excluded` folders, with their hashes, sorted by path. */
export function collectedOutside(workDirs: readonly string[], excluded: readonly string[]): Record<string, string> {
  const paths = new Set<string>()
  for (const dir of workDirs) for (const toc of analysisTocs(dir)) for (const p of tocPaths(fs.readFileSync(toc, 'utf8'))) paths.add(p)
  const out: Record<string, string> = {}
  for (const p of [...paths].sort()) {
    if (excluded.some((e) => p === e || inside(e, p))) continue
    const hash = fileHash(p)
    if (hash) out[p] = hash
  }
  return out
}

/** The first recorded file that is gone or changed, as a reason ('' when all are as recorded). */
export function changedCollected(recorded: Readonly<Record<string, string>>): string {
  for (const [file, hash] of Object.entries(recorded)) {
    const now = fileHash(file)
    if (now !== hash) return `${file}, which the kept build holds, ${now ? 'changed' : 'is gone'} since it was made`
  }
  return ''
}
