/**
 * The action's post step: runs after the job's steps, even after a failure.
 * It saves the dependency cache and the build this run kept (src/reuse/),
 * removes what the run left under RUNNER_TEMP that may hold secrets, and
 * only warns: a post step must not turn a passing job red.
 */
import * as core from '@actions/core'
import * as path from 'node:path'
import { pruneBeforeSave, readPruneState, save, shouldSave, STATE } from './install/cache.js'
import { BUILD_STATE, saveKept } from './reuse/store.js'
import { runCommand } from './exec.js'
import { cleanupMac, KEYCHAIN_STATE } from './sign/index.js'
import { WINE_STATE } from './cross/index.js'
import { endPrefix } from './cross/wine.js'
import { removeSecrets, secretsDir } from './sign/secrets.js'

export async function post(): Promise<void> {
  const key = core.getState(STATE.key)
  if (shouldSave(key, core.getState(STATE.matched))) {
    await pruneBeforeSave(readPruneState(core.getState(STATE.prune)), runCommand)
    await save(JSON.parse(core.getState(STATE.paths) || '[]') as string[], key)
  } else if (key) core.info(`The dependency cache was restored from ${key} exactly: nothing new to save.`)
  // The build this run made, kept for a later run with the same key (src/reuse/): set only once its record is complete.
  const buildKey = core.getState(BUILD_STATE.key)
  const buildDir = core.getState(BUILD_STATE.dir)
  if (buildKey && buildDir) await saveKept(buildDir, buildKey)
  const problems = await cleanupMac((name) => core.getState(name), runCommand)
  for (const p of problems) core.warning(`Could not undo a keychain change: ${p}`)
  if (core.getState(KEYCHAIN_STATE.path) && !problems.length) core.info('Removed the temporary keychain and restored the keychain search list.')
  // A run that built under Wine ended its prefix itself; this ends it after a run that was stopped or crashed.
  const wineserver = core.getState(WINE_STATE.wineserver)
  const prefix = core.getState(WINE_STATE.prefix)
  if (wineserver && prefix) {
    const left = await endPrefix({ wineserver, prefix }).catch(() => [])
    if (left.length) core.info(`Ended what still ran in the Wine prefix ${prefix}: ${left.join('; ')}`)
  }
  const runnerTemp = process.env.RUNNER_TEMP
  if (!runnerTemp) return
  const workDir = path.join(runnerTemp, 'build-standalone')
  try {
    const removed = removeSecrets(workDir)
    // Said only when there was something to remove.
    if (removed) core.info(`Removed ${removed}`)
  } catch (e) {
    core.warning(`Could not remove ${secretsDir(workDir)}: ${(e as Error).message}`)
  }
}

await post()
process.exit(0)
