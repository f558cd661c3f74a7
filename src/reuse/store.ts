/**
 * Where kept builds are stored: the Actions cache on a runner (restored at
 * once, saved by the post step, like the dependency cache), a folder of the
 * work folder for local runs (src/cli.ts), which survives between them.
 * Both take a kept build as a folder (record.ts) and give it back whole.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as cache from '@actions/cache'
import * as core from '@actions/core'
import { restoreTimeoutMs } from '../install/cache.js'
import { readRecord } from './record.js'

export interface BuildStore {
  /** How the log names it. */
  readonly name: string
  /** Whether it can be used here at all ('' when it can; else why not). */
  unavailable(): string
  /** Brings the build kept under `key` into `dir` (which does not exist yet); whether it was there. */
  fetch(key: string, dir: string): Promise<boolean>
  /** Keeps the complete folder `dir` under `key`: at once, or by the post step. */
  keep(key: string, dir: string): Promise<void>
}

/** State passed to the post step, which saves a kept build to the Actions cache. */
export const BUILD_STATE = { key: 'build-cache-key', dir: 'build-cache-dir' } as const

/** The Actions cache: restored with the exact key only (never a partial match), saved by the post step. */
export function actionsStore(timeoutMs = restoreTimeoutMs()): BuildStore {
  return {
    name: 'the Actions cache',
    unavailable: () => (cache.isFeatureAvailable() ? '' : 'the Actions cache service is not available here (no ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL)'),
    async fetch(key, dir) {
      let timer: NodeJS.Timeout | undefined
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)
        })
        return (await Promise.race([cache.restoreCache([dir], key, []), timeout])) === key
      } catch (e) {
        core.warning(`The kept build could not be restored (${(e as Error).message}); building.`)
        return false
      } finally {
        clearTimeout(timer)
      }
    },
    async keep(key, dir) {
      core.saveState(BUILD_STATE.key, key)
      core.saveState(BUILD_STATE.dir, dir)
    }
  }
}

/** Saves a kept build to the Actions cache (post step); a failure is a warning. */
export async function saveKept(dir: string, key: string): Promise<void> {
  try {
    const id = await cache.saveCache([dir], key)
    core.info(id === -1 ? `The build was not kept under ${key} (see the warning above).` : `The build was kept under ${key}: a run with the same key takes it.`)
  } catch (e) {
    core.warning(`The build could not be kept in the Actions cache (${(e as Error).message}). This run is not affected.`)
  }
}

/** How many builds the local store keeps: the most recently used. */
export const LOCAL_KEPT = 3

/**
 * A folder of kept builds, one folder per key; `link`: take a build with hard
 * links to the stored files instead of copies (only when nothing changes a
 * build's files in place afterwards: signing does).
 */
export function localStore(root: string, link: boolean): BuildStore {
  return {
    name: `the local store (${root})`,
    unavailable: () => '',
    async fetch(key, dir) {
      const entry = path.join(root, key)
      if (!readRecord(entry)) return false
      cloneTree(entry, dir, link)
      const now = new Date()
      fs.utimesSync(entry, now, now)
      return true
    },
    async keep(key, dir) {
      const entry = path.join(root, key)
      fs.mkdirSync(root, { recursive: true })
      fs.rmSync(entry, { recursive: true, force: true })
      fs.renameSync(dir, entry)
      const entries = fs
        .readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => ({ dir: path.join(root, d.name), used: fs.statSync(path.join(root, d.name)).mtimeMs }))
        .sort((a, b) => b.used - a.used)
      for (const old of entries.slice(LOCAL_KEPT)) fs.rmSync(old.dir, { recursive: true, force: true })
      core.info(`The build was kept under ${key} in ${root}: a local run with the same key takes it.`)
    }
  }
}

/**
 * Copies the tree `from` to `to`: folders made, links as links, files as hard
 * links when `link` (a copy where the file system has none), else as copies
 * (with their modes).
 */
export function cloneTree(from: string, to: string, link: boolean): void {
  fs.mkdirSync(to, { recursive: true })
  for (const d of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, d.name)
    const dst = path.join(to, d.name)
    if (d.isDirectory()) cloneTree(src, dst, link)
    else if (d.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst)
    else if (!link) fs.copyFileSync(src, dst)
    else
      try {
        fs.linkSync(src, dst)
      } catch {
        fs.copyFileSync(src, dst)
      }
  }
}
