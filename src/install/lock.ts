/**
 * The project's lock file: which one the install uses (uv.lock, then
 * pylock.toml, in project-path), the layouts it refuses (a lock pip cannot
 * read, a uv workspace locked above the project), and the error for a lock
 * that no longer matches pyproject.toml. The commands that install from it
 * are each installer's (installers.ts).
 */
import * as path from 'node:path'
import type { Config } from '../config.js'
import { InputError, StageError } from '../errors.js'

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

/** The uv.lock of a uv workspace in a folder above `dir`, or undefined. */
export function workspaceLockAbove(dir: string, exists: (p: string) => boolean, read: (p: string) => string): string | undefined {
  for (let parent = path.dirname(dir), child = dir; parent !== child; child = parent, parent = path.dirname(parent)) {
    const lock = path.join(parent, 'uv.lock')
    const pyproject = path.join(parent, 'pyproject.toml')
    if (exists(lock) && exists(pyproject) && WORKSPACE_TABLE.test(read(pyproject))) return lock
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
  config: Pick<Config, 'projectDir' | 'lock' | 'installer'>,
  exists: (p: string) => boolean,
  read: (p: string) => string
): LockFile | undefined {
  if (config.lock === 'ignore') return undefined
  const kind = LOCK_KINDS.find((name) => exists(path.join(config.projectDir, name)))
  if (!kind) {
    const above = workspaceLockAbove(config.projectDir, exists, read)
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
