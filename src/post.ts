/**
 * The action's post step: runs after the job's steps, even after a failure.
 * It removes what the run left under RUNNER_TEMP that may hold secrets, and
 * only warns: a post step must not turn a passing job red.
 */
import * as core from '@actions/core'
import * as io from '@actions/io'
import * as path from 'node:path'

export async function post(): Promise<void> {
  const runnerTemp = process.env.RUNNER_TEMP
  if (!runnerTemp) return
  const secrets = path.join(runnerTemp, 'build-standalone', 'secrets')
  try {
    await io.rmRF(secrets)
    core.info(`Removed ${secrets}`)
  } catch (e) {
    core.warning(`Could not remove ${secrets}: ${(e as Error).message}`)
  }
}

await post()
