/** readConfig over a plain record of inputs, and the InputError a bad record gives, for the input tests. */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { expect } from '@jest/globals'
import { InputError } from '../src/errors.js'
import type { Config } from '../src/config.js'
import { readConfig, type Environment } from '../src/inputs/index.js'

export function readInputs(values: Readonly<Record<string, string>>, env: Environment): Config {
  return readConfig((name) => values[name] ?? '', env)
}

/** The InputError that `read` throws; fails the test when it throws nothing (or something else). */
export function inputErrorOf(read: () => unknown, inputs: Readonly<Record<string, string>>): InputError {
  try {
    read()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error(`readConfig accepted ${JSON.stringify(inputs)}`)
}

/**
 * A throw-away workspace `ws` holding a project `proj` with this pyproject.toml, and a RUNNER_TEMP: the
 * environment readInputs needs for inputs that do not care about the project. `remove` deletes it all.
 */
export function tempWorkspace(
  prefix: string,
  pyproject = '[project]\nname = "x"\nversion = "1"\n[project.scripts]\nx = "x:main"\n'
): { env: Record<string, string>; remove: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  fs.mkdirSync(path.join(root, 'ws', 'proj'), { recursive: true })
  fs.writeFileSync(path.join(root, 'ws', 'proj', 'pyproject.toml'), pyproject)
  fs.mkdirSync(path.join(root, 'tmp'))
  return {
    env: { RUNNER_TEMP: path.join(root, 'tmp'), GITHUB_WORKSPACE: path.join(root, 'ws') },
    remove: () => fs.rmSync(root, { recursive: true, force: true })
  }
}
