/**
 * The few file operations several stages share: writing the files a planner
 * planned, and reading the first bytes of a file to tell its format.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'

/** A file a planner wants written before its commands run. */
export interface PlannedFile {
  readonly path: string
  readonly content: string
}

export function writePlannedFiles(files: readonly PlannedFile[]): void {
  for (const file of files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true })
    fs.writeFileSync(file.path, file.content)
  }
}

/** The first `n` bytes of a file (fewer when it is shorter). */
export function readHead(file: string, n: number): Uint8Array {
  const fd = fs.openSync(file, 'r')
  try {
    const buf = Buffer.alloc(n)
    return buf.subarray(0, fs.readSync(fd, buf, 0, n, 0))
  } finally {
    fs.closeSync(fd)
  }
}

/** A file read within a size limit, or why it was not read. */
export type Bounded = { readonly text: string; readonly problem?: undefined } | { readonly problem: string; readonly text?: undefined }

/**
 * Reads a regular file of at most `max` bytes as UTF-8, without ever
 * blocking or reading without end: opened non-blocking (a FIFO does not wait
 * for a writer), refused unless it is a regular file (a device, /proc file or
 * folder), and read one byte past the limit rather than trusting its size
 * (which is 0 for /proc files). Never throws: a problem is returned in words.
 */
export function readBounded(file: string, max: number): Bounded {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` }
  }
  try {
    const st = fs.fstatSync(fd)
    if (!st.isFile()) return { problem: st.isDirectory() ? 'is a folder' : 'is not a regular file' }
    if (st.size > max) return { problem: `is ${st.size} bytes, more than the ${max} read` }
    const chunks: Buffer[] = []
    let n = 0
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024)
      const r = fs.readSync(fd, chunk, 0, chunk.length, n)
      if (r === 0) break
      chunks.push(chunk.subarray(0, r))
      n += r
      if (n > max) return { problem: `is more than the ${max} bytes read` }
    }
    return { text: Buffer.concat(chunks).toString('utf8') }
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` }
  } finally {
    fs.closeSync(fd)
  }
}
