/**
 * Paths given as inputs: each is resolved inside the folder it belongs to (the
 * workspace, the project, or RUNNER_TEMP) after following links, so that a
 * symbolic link, an absolute path or `../` cannot make the action read a file
 * of the host (`/proc/self/environ`, `~/.ssh/…`) or write outside its folders.
 * Files are read only when they are regular files, and only up to a size cap.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { excerpt, InputError } from './errors.js'

/** The largest file input the action reads itself (.python-version, pyproject.toml): 1 MiB. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024

/** A folder a path input may resolve into, and how a message calls it. */
export interface Root {
  readonly dir: string
  readonly name: string
}

/** True when `child` is `parent` or inside it (both absolute). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

/**
 * The real path of `p` with every link followed; for a path that does not
 * exist (yet), the real path of its nearest existing folder with the rest
 * appended. Undefined when a link on the way leads nowhere.
 */
export function realPath(p: string): string | undefined {
  const rest: string[] = []
  let cur = p
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(cur), ...rest)
    } catch {
      // A link that exists but whose target does not: the path cannot be trusted to stay anywhere.
      try {
        if (fs.lstatSync(cur).isSymbolicLink()) return undefined
      } catch {
        // cur does not exist: look at its parent
      }
    }
    const parent = path.dirname(cur)
    if (parent === cur) return p
    rest.unshift(path.basename(cur))
    cur = parent
  }
}

/** Characters that may not appear in a path input: control characters (newline, NUL, escape…). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** Refuses a path input with a control character in it (a newline would start a new log line). */
export function checkPathText(input: string, value: string, fix: string): void {
  if (value.length > 4096) throw new InputError(input, `is ${value.length} characters long, more than a path can be (4096).`, fix)
  if (CONTROL.test(value)) throw new InputError(input, `'${excerpt(value)}' holds a control character (such as a newline or NUL).`, fix)
}

/**
 * Resolves `value` against `base` and returns its real path, which must lie
 * inside one of `roots` (themselves compared by their real paths).
 * Throws an InputError naming `input` otherwise.
 */
export function resolveInside(input: string, value: string, base: string, roots: readonly Root[], fix: string): string {
  checkPathText(input, value, fix)
  const full = path.resolve(base, value)
  const real = realPath(full)
  const names = roots.map((r) => `${r.name} (${r.dir})`).join(' or ')
  if (real === undefined) throw new InputError(input, `${excerpt(value)} is a symbolic link to a path that does not exist.`, fix)
  const inside = roots.some((r) => isInside(full, r.dir) && isInside(real, realPath(r.dir) ?? r.dir))
  if (!inside) {
    const how = isInside(full, roots[0].dir) || roots.some((r) => isInside(full, r.dir)) ? ' through a symbolic link' : ''
    throw new InputError(input, `${excerpt(value)} leads outside ${names}${how}; the action reads and writes only there.`, fix)
  }
  return real
}

/** What a path is: a regular file, a folder, something else, or nothing. */
export function kindOf(p: string): 'file' | 'folder' | 'other' | 'missing' {
  try {
    const st = fs.statSync(p)
    return st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other'
  } catch {
    return 'missing'
  }
}

/** Refuses anything but a regular file, naming the input. */
export function expectFile(input: string, value: string, file: string, fix: string): void {
  const kind = kindOf(file)
  if (kind === 'folder') throw new InputError(input, `${excerpt(value)} is a folder (${file}), and a file is expected.`, fix)
  if (kind === 'other') throw new InputError(input, `${excerpt(value)} is not a regular file (${file}).`, fix)
}

/**
 * Reads a regular file of at most `max` bytes as UTF-8. Throws an InputError
 * naming `input` for anything else (a folder, a device, a /proc file, a file
 * too big); the message never quotes the file's content.
 */
export function readInputFile(input: string, file: string, fix: string, max = MAX_INPUT_FILE_BYTES): string {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
  } catch (e) {
    throw new InputError(input, `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, fix)
  }
  try {
    const st = fs.fstatSync(fd)
    if (st.isDirectory()) throw new InputError(input, `${file} is a folder, and a file is expected.`, fix)
    if (!st.isFile()) throw new InputError(input, `${file} is not a regular file.`, fix)
    // Read one byte more than allowed rather than trust st.size, which is 0 for /proc files.
    const buf = Buffer.alloc(max + 1)
    let n = 0
    for (let r = -1; r !== 0 && n < buf.length; n += r) r = fs.readSync(fd, buf, n, buf.length - n, n)
    if (n > max) throw new InputError(input, `${file} is larger than ${max} bytes.`, fix)
    return buf.subarray(0, n).toString('utf8')
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Why the action could not write into folder `dir` ('' when it can): the
 * folder, or the nearest folder above it that exists (it is created later),
 * must be a folder this process may write into.
 */
export function writableProblem(dir: string): string {
  for (let cur = dir; ; cur = path.dirname(cur)) {
    const kind = kindOf(cur)
    if (kind === 'folder') {
      try {
        fs.accessSync(cur, fs.constants.W_OK | fs.constants.X_OK)
        return ''
      } catch (e) {
        return `${cur} is not writable (${(e as NodeJS.ErrnoException).code ?? 'error'})`
      }
    }
    if (kind !== 'missing') return `${cur} is a file, not a folder`
    if (path.dirname(cur) === cur) return `no part of ${dir} exists`
  }
}

/**
 * The first symbolic link under folder `dir` whose target lies outside
 * `root` (or leads nowhere), as a path relative to `dir`; undefined when there
 * is none among the first `limit` entries.
 */
export function linkLeaving(dir: string, root: string, limit = 20_000): string | undefined {
  const realRoot = realPath(root) ?? root
  const pending = [dir]
  let seen = 0
  while (pending.length && seen < limit) {
    const current = pending.pop() as string
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(current, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      if (++seen > limit) break
      const full = path.join(current, entry.name)
      if (entry.isSymbolicLink()) {
        const real = realPath(full)
        if (real === undefined || !isInside(real, realRoot)) return path.relative(dir, full)
      } else if (entry.isDirectory()) pending.push(full)
    }
  }
  return undefined
}
