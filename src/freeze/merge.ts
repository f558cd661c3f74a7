/**
 * Merging build folders that were made apart into one: the one-folder builds
 * of entry points analysed in separate processes (parallel.ts) and Nuitka's
 * standalone runs (nuitka.ts). A file both folders hold must be the same file;
 * otherwise the folders cannot be one build, and nothing is moved.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'

/** Whether two entries are the same: files of equal bytes (and, off Windows, equal exec bits), or links to one target. */
export function sameEntry(a: string, b: string): boolean {
  const sa = fs.lstatSync(a)
  const sb = fs.lstatSync(b)
  if (sa.isSymbolicLink() || sb.isSymbolicLink()) return sa.isSymbolicLink() && sb.isSymbolicLink() && fs.readlinkSync(a) === fs.readlinkSync(b)
  if (!sa.isFile() || !sb.isFile() || sa.size !== sb.size) return false
  if (process.platform !== 'win32' && (sa.mode & 0o111) !== (sb.mode & 0o111)) return false
  return fs.readFileSync(a).equals(fs.readFileSync(b))
}

/**
 * The first entry (a path relative to `to`, forward slashes) that `from` and
 * `to` both hold and that differs, in name order; undefined when the
 * folders can be merged.
 */
export function folderClash(from: string, to: string, rel = ''): string | undefined {
  for (const entry of fs.readdirSync(from, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const src = path.join(from, entry.name)
    const dst = path.join(to, entry.name)
    const inside = rel ? `${rel}/${entry.name}` : entry.name
    const there = fs.lstatSync(dst, { throwIfNoEntry: false })
    if (!there) continue
    if (entry.isDirectory() && there.isDirectory()) {
      const clash = folderClash(src, dst, inside)
      if (clash) return clash
    } else if (!sameEntry(src, dst)) return inside
  }
  return undefined
}

/** Moves what `from` holds and `to` lacks into `to`; what both hold stays as `to` has it. */
export function moveInto(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true })
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name)
    const dst = path.join(to, entry.name)
    const there = fs.lstatSync(dst, { throwIfNoEntry: false })
    if (!there) fs.renameSync(src, dst)
    else if (entry.isDirectory() && there.isDirectory()) moveInto(src, dst)
  }
}

/** Merges `from` into `to` when no file clashes; returns the clashing path (and moves nothing) otherwise. */
export function mergeFolders(from: string, to: string): string | undefined {
  const clash = fs.existsSync(to) ? folderClash(from, to) : undefined
  if (!clash) moveInto(from, to)
  return clash
}
