/**
 * The dependency cache: the installer's download/wheel cache and PyInstaller's
 * own cache folder, saved with @actions/cache under a key of os, arch, Python
 * version, installer and a hash of the files that decide the dependencies.
 * Restored before the install; saved once, by the post step, and only when
 * the restore did not already hit the same key. A cache service that is
 * missing, slow or failing gives a warning, never a failed build.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as cache from '@actions/cache'
import * as core from '@actions/core'
import type { Command } from '../exec.js'
import { readBounded } from '../files.js'
import { isInside, realPath } from '../input-files.js'
import type { Platform } from '../platform.js'

/** Files in the project folder whose content decides what gets installed. */
export const DEPENDENCY_FILES = ['pyproject.toml', 'setup.cfg', 'setup.py', 'uv.lock', 'poetry.lock', 'pdm.lock', 'Pipfile.lock', 'pylock.toml']

export const KEY_PREFIX = 'build-standalone-v1'

export interface KeyParts {
  readonly platform: Pick<Platform, 'os' | 'arch'>
  readonly pythonVersion: string
  readonly installer: string
  /** Contents of the dependency files, by name (order does not matter). */
  readonly files: Readonly<Record<string, string>>
  /** Other settings that change what is installed (extras, groups, the PyInstaller requirement). */
  readonly settings: readonly string[]
}

export interface CacheKeys {
  readonly primary: string
  /** Prefixes tried when the primary key misses: same os, arch, Python and installer. */
  readonly restore: readonly string[]
}

export function cacheKeys(parts: KeyParts): CacheKeys {
  const hash = createHash('sha256')
  for (const name of Object.keys(parts.files).sort()) hash.update(`${name}\0${parts.files[name]}\0`)
  for (const s of parts.settings) hash.update(`${s}\0`)
  const prefix = `${KEY_PREFIX}-${parts.platform.os}-${parts.platform.arch}-py${parts.pythonVersion}-${parts.installer}-`
  return { primary: `${prefix}${hash.digest('hex').slice(0, 32)}`, restore: [prefix] }
}

/** The largest dependency file read for the cache key: 64 MiB (a lock file of a large monorepo is a few MB). */
export const MAX_KEY_FILE_BYTES = 64 * 1024 * 1024

/**
 * Reads the dependency files of a project and the requirements files given as inputs, for the cache key: each a
 * regular file inside the workspace (links followed), read within MAX_KEY_FILE_BYTES. A file that is not (a link
 * out of the workspace, a FIFO, a device, a huge file) is left out of the key with a warning, never read.
 */
export function dependencyFiles(
  projectDir: string,
  requirements: readonly string[],
  workspace: string = projectDir,
  warn: (message: string) => void = core.warning
): Record<string, string> {
  const files: Record<string, string> = {}
  const names = [...DEPENDENCY_FILES, ...(fs.existsSync(projectDir) ? fs.readdirSync(projectDir).filter((f) => /^requirements.*\.(txt|in)$/.test(f)) : [])]
  const within = realPath(workspace) ?? workspace
  const take = (key: string, file: string): void => {
    const real = realPath(file)
    const r = real === undefined || !isInside(real, within) ? { problem: 'leads outside the workspace' } : readBounded(real, MAX_KEY_FILE_BYTES)
    if (r.problem !== undefined) warn(`${file} ${r.problem}: left out of the dependency cache key.`)
    else files[key] = r.text
  }
  for (const name of names) {
    const file = path.join(projectDir, name)
    if (fs.existsSync(file) && !fs.statSync(file).isDirectory()) take(name, file)
  }
  for (const file of requirements) take(path.relative(projectDir, file), file)
  return files
}

/** State passed from the main step to the post step. */
export const STATE = { key: 'cache-key', matched: 'cache-matched-key', paths: 'cache-paths', prune: 'cache-prune' } as const

/** Tells the post step not to save the dependency cache: nothing was installed (the run took a kept build). */
export function keepDependencyCacheAsIs(): void {
  core.saveState(STATE.key, '')
}

/** Whether the post step should save: a key was planned and the restore did not already hit it. */
export function shouldSave(primary: string, matched: string): boolean {
  return primary !== '' && primary !== matched
}

/** How long a restore may take before the build goes on without it (BUILD_STANDALONE_CACHE_TIMEOUT, seconds). */
export function restoreTimeoutMs(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const seconds = Number(env.BUILD_STANDALONE_CACHE_TIMEOUT)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 5 * 60 * 1000
}

/** Restores the cache; returns the key that matched ('' on a miss or a failure, which is only a warning). */
export async function restore(paths: string[], keys: CacheKeys, timeoutMs = restoreTimeoutMs()): Promise<string> {
  if (!cache.isFeatureAvailable()) {
    core.info('The dependency cache service is not available here (no ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL): installing without it.')
    return ''
  }
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)
    })
    const matched = await Promise.race([cache.restoreCache(paths, keys.primary, [...keys.restore]), timeout])
    core.info(
      matched
        ? `Dependency cache restored from key ${matched}${matched === keys.primary ? '' : ' (a partial match)'}.`
        : `No dependency cache for ${keys.primary} yet.`
    )
    return matched ?? ''
  } catch (e) {
    core.warning(`The dependency cache could not be restored (${(e as Error).message}); installing without it.`)
    return ''
  } finally {
    clearTimeout(timer)
  }
}

/** The prune command as the post step's state: variables to remove (undefined) are kept as null. */
export const pruneState = (cmd: Command): string => JSON.stringify(cmd, (_k, v: unknown) => (v === undefined ? null : v))

/** The prune command from the post step's state; undefined when there is none or it does not parse. */
export function readPruneState(text: string): Command | undefined {
  if (!text) return undefined
  try {
    const cmd = JSON.parse(text) as { program?: unknown; args?: unknown; env?: Record<string, string | null>; cwd?: string }
    if (typeof cmd.program !== 'string' || !Array.isArray(cmd.args)) return undefined
    // A reviver returning undefined would drop the key, and the variable would then be inherited instead of removed.
    const env = cmd.env && Object.fromEntries(Object.entries(cmd.env).map(([k, v]) => [k, v ?? undefined]))
    return { program: cmd.program, args: cmd.args as string[], ...(cmd.cwd ? { cwd: cmd.cwd } : {}), ...(env ? { env } : {}) }
  } catch {
    return undefined
  }
}

/**
 * Runs the installer's prune command before the cache is saved (post step); a failure is a warning, and the cache
 * is then saved as it is.
 */
export async function pruneBeforeSave(cmd: Command | undefined, run: (cmd: Command) => Promise<{ exitCode: number; stderr: string }>): Promise<void> {
  if (!cmd) return
  try {
    const r = await run(cmd)
    if (r.exitCode !== 0) core.warning(`Could not prune the dependency cache before saving it (exit code ${r.exitCode}); saving it whole.`)
  } catch (e) {
    core.warning(`Could not prune the dependency cache before saving it (${(e as Error).message}); saving it whole.`)
  }
}

/**
 * Saves the cache (post step); a failure is a warning. Every path is saved,
 * an empty folder for one that was never written: the cache version is a hash
 * of the path list, so saving fewer paths than the restore asks for would
 * never match.
 */
export async function save(paths: string[], key: string): Promise<void> {
  try {
    for (const p of paths) fs.mkdirSync(p, { recursive: true })
    const id = await cache.saveCache(paths, key)
    core.info(id === -1 ? `The dependency cache was not saved under ${key} (see the warning above).` : `Dependency cache saved under ${key}.`)
  } catch (e) {
    core.warning(`The dependency cache could not be saved (${(e as Error).message}). The build is not affected.`)
  }
}
