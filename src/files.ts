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
