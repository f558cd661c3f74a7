/**
 * Small Python programs run in the build venv to ask it something (do the
 * entry points exist, which names are importable, what did the install put
 * there): from an empty folder, so that the project's source tree does not
 * shadow what was installed, without the runner's PYTHONPATH, answering with
 * JSON on their last line.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { NO_PYTHON_LEAKS, runChecked, type Command } from './exec.js'

/** The empty folder the scripts run from (made when missing). */
export function scriptDir(workDir: string): string {
  const cwd = path.join(workDir, 'check')
  fs.mkdirSync(cwd, { recursive: true })
  return cwd
}

/** `python -c script args…` from `cwd`, kept to the venv's own environment. */
export function venvScript(python: string, script: string, args: readonly string[], cwd: string): Command {
  return { program: python, args: ['-c', script, ...args], cwd, env: NO_PYTHON_LEAKS }
}

/** Runs a script; returns the JSON it printed on its last line (`fallback` when it printed nothing). */
export async function runJsonScript<T>(stage: string, cmd: Command, failure: string, fallback: T): Promise<T> {
  const result = await runChecked(stage, cmd, failure, { silent: true })
  const last = result.stdout.trim().split('\n').pop()
  return last ? (JSON.parse(last) as T) : fallback
}
