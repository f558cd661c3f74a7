/**
 * The project's lock file: which one the install uses (uv.lock, then
 * pylock.toml, in project-path), the layouts it refuses (a lock pip cannot
 * read, a uv workspace locked above the project), and the error for a lock
 * that no longer matches pyproject.toml. The commands that install from it
 * are each installer's (installers.ts).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import type { Config } from '../config.js'
import { excerpt, InputError, StageError } from '../errors.js'
import { readBounded } from '../files.js'
import { isInside, realPath } from '../input-files.js'

export type LockKind = 'uv.lock' | 'pylock.toml'

/** The lock kinds in the order they are looked for. */
export const LOCK_KINDS: readonly LockKind[] = ['uv.lock', 'pylock.toml']

export interface LockFile {
  readonly kind: LockKind
  /** Absolute path of the lock file. */
  readonly path: string
}

/** What of the lock is installed: the chosen extras and dependency groups. */
export interface LockSelection {
  readonly extras: readonly string[]
  readonly groups: readonly string[]
  /**
   * The builder's distribution (pyinstaller, nuitka): never held to the lock, as the builder's version is the
   * pyinstaller-version or nuitka-version input's, also when the project locks one of its own.
   */
  readonly builder: string
  /** The project's name ([project] name): rebuilt from its sources on every install, never taken from uv's cache. */
  readonly project: string
}

/** `[tool.uv.workspace]` in a pyproject.toml: that folder is the root of a uv workspace. */
const WORKSPACE_TABLE = /^\s*\[\s*tool\s*\.\s*uv\s*\.\s*workspace\s*\]/m

/** The largest lock file the action reads itself (a pylock.toml, for its constraints) or lets uv read: 64 MiB. */
export const MAX_LOCK_BYTES = 64 * 1024 * 1024

/**
 * The uv.lock of a uv workspace in a folder above `dir` and inside `workspace` (the search stops at the
 * workspace's top: nothing of the machine above it is read), or undefined.
 */
export function workspaceLockAbove(dir: string, workspace: string, exists: (p: string) => boolean, read: (p: string) => string): string | undefined {
  for (let parent = path.dirname(dir), child = dir; parent !== child && isInside(parent, workspace); child = parent, parent = path.dirname(parent)) {
    const lock = path.join(parent, 'uv.lock')
    const pyproject = path.join(parent, 'pyproject.toml')
    if (exists(lock) && exists(pyproject) && WORKSPACE_TABLE.test(readOrEmpty(read, pyproject))) return lock
  }
  return undefined
}

/**
 * The lock file the install uses: uv.lock, else pylock.toml, in project-path;
 * undefined with `lock: ignore` or without a lock. Refuses a lock with
 * installer pip (which cannot install from either) and a project without a
 * lock of its own inside a uv workspace whose lock lies above it, rather than
 * silently resolving afresh what the workspace pins.
 */
export function findLock(
  config: Pick<Config, 'projectDir' | 'lock' | 'installer' | 'workspace'>,
  exists: (p: string) => boolean,
  read: (p: string) => string
): LockFile | undefined {
  if (config.lock === 'ignore') return undefined
  const kind = LOCK_KINDS.find((name) => exists(path.join(config.projectDir, name)))
  if (!kind) {
    const above = workspaceLockAbove(config.projectDir, config.workspace, exists, read)
    if (above)
      throw new InputError(
        'project-path',
        `${config.projectDir} has no lock file of its own, but it lies inside the uv workspace locked by ${above}: the action installs the project alone and would resolve its dependencies afresh, not as the workspace lock pins them.`,
        `Export the member's pins beside it (in the workspace root: \`uv export --locked --package <name> --no-emit-project --format pylock.toml -o ${path.join(path.relative(path.dirname(above), config.projectDir) || '.', 'pylock.toml')}\`) and commit it, or set lock: ignore to resolve afresh.`
      )
    return undefined
  }
  if (config.installer === 'pip')
    throw new InputError(
      'installer',
      `is pip, and project-path has a ${kind}, which pip cannot install from (lock is auto).`,
      `Set installer: uv to install exactly what ${kind} pins, or set lock: ignore to resolve the dependencies afresh with pip.`
    )
  return { kind, path: path.join(config.projectDir, kind) }
}

/** `read`, with '' for a file it cannot read (a FIFO, a device, one too big). */
function readOrEmpty(read: (p: string) => string, file: string): string {
  try {
    return read(file)
  } catch {
    return ''
  }
}

/** Reads a lock (or a pyproject.toml beside one) within MAX_LOCK_BYTES, as a regular file; throws an InputError naming lock otherwise. */
export function readLockText(file: string): string {
  const r = readBounded(file, MAX_LOCK_BYTES)
  if (r.problem !== undefined)
    throw new InputError('lock', `is auto, and ${file} ${r.problem}; a lock file is read only as a regular file.`, 'Fix the lock file, or set lock: ignore.')
  return r.text
}

/**
 * Why the action refuses to install from a lock file ('' when it does not): it must be a regular file inside the
 * workspace, links followed, of at most MAX_LOCK_BYTES. A uv.lock linked to /proc/self/environ would otherwise have
 * uv print the environment in its parse error, into the log.
 */
export function lockFileProblem(file: string, workspace: string): string {
  const real = realPath(file)
  if (real === undefined) return 'is a symbolic link to a path that does not exist'
  if (!isInside(real, realPath(workspace) ?? workspace)) return `leads outside the workspace (${workspace}) through a symbolic link`
  let st: fs.Stats
  try {
    st = fs.statSync(real)
  } catch (e) {
    return `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`
  }
  if (!st.isFile()) return 'is not a regular file'
  if (st.size > MAX_LOCK_BYTES) return `is ${st.size} bytes, more than the ${MAX_LOCK_BYTES} a lock file may have`
  return ''
}

/** Refuses a lock file that lockFileProblem refuses, naming the lock input. */
export function checkLockFile(lock: LockFile | undefined, workspace: string): void {
  const problem = lock ? lockFileProblem(lock.path, workspace) : ''
  if (lock && problem)
    throw new InputError(
      'lock',
      `is auto, and ${lock.path} ${problem}; a lock file is read only as a regular file inside the workspace.`,
      `Put the ${lock.kind} itself in project-path, or set lock: ignore to resolve the dependencies afresh.`
    )
}

const LOCK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const LOCK_VERSION = /^[A-Za-z0-9.+!_-]+$/
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f#]/

/**
 * The constraints of a pylock.toml (PEP 751) for what is installed beside it (requirements files, the builder):
 * one `name==version` line per package the lock pins, with its marker when it has one, so that uv keeps every
 * locked package at its locked version, or fails naming the conflict. The builder's own distribution is left out
 * (its version is the pyinstaller-version or nuitka-version input's), and so are packages without a version (a
 * local folder or a VCS checkout). Throws an InputError for a lock that is not TOML.
 */
export function pylockConstraints(text: string, file: string, builder: string): string {
  let doc: { packages?: unknown }
  try {
    doc = parseToml(text) as { packages?: unknown }
  } catch (e) {
    throw new InputError(
      'lock',
      `is auto, and ${file} is not valid TOML: ${excerpt((e as Error).message.split('\n')[0], 200)}.`,
      'Fix the lock file, or set lock: ignore.'
    )
  }
  const norm = (n: string): string => n.toLowerCase().replace(/[-_.]+/g, '-')
  const lines: string[] = []
  for (const p of Array.isArray(doc.packages) ? (doc.packages as Record<string, unknown>[]) : []) {
    const { name, version, marker } = p ?? {}
    if (typeof name !== 'string' || typeof version !== 'string' || !LOCK_NAME.test(name) || !LOCK_VERSION.test(version)) continue
    if (norm(name) === norm(builder)) continue
    const when = typeof marker === 'string' && marker.trim() && !LINE_BREAKING.test(marker) ? ` ; ${marker.trim()}` : ''
    lines.push(`${name}==${version}${when}`)
  }
  return lines.length ? `${lines.join('\n')}\n` : ''
}

/** What uv says when `--locked` finds a uv.lock that does not match pyproject.toml. */
const STALE = /lockfile at `?[^`\n]*uv\.lock`? needs to be updated/i

/**
 * The error for an install from a lock that failed: when uv said the lock is
 * stale, one that names the fix (`uv lock`); otherwise undefined (the
 * command's own error stands).
 */
export function staleLockError(message: string, lock: LockFile): StageError | undefined {
  if (lock.kind !== 'uv.lock' || !STALE.test(message)) return undefined
  return new StageError(
    'install',
    `${lock.path} does not match pyproject.toml (pyproject.toml changed since the lock was made), so the locked versions cannot be installed. Run \`uv lock\` in project-path (${path.dirname(lock.path)}) and commit uv.lock, or set lock: ignore to resolve the dependencies afresh.`
  )
}

/** How the log and the job summary name the lock used, e.g. 'uv.lock (uv sync --locked)'. */
export function describeLock(lock: LockFile | undefined): string {
  if (!lock) return ''
  return lock.kind === 'uv.lock' ? 'uv.lock (uv sync --locked)' : 'pylock.toml (uv pip install -r pylock.toml)'
}
