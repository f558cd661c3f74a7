/**
 * The inputs stage: reads and validates every input once, into a frozen
 * Config. Each group of inputs has its module (Python and install, build,
 * checks, signing, publishing) that reads its part of the Config; this one
 * only composes them. A bad value throws an InputError that names the input,
 * the problem and the fix.
 */
import * as fs from 'node:fs'
import type { Config } from '../config.js'
import { readBuildInputs } from './build.js'
import { readCheckInputs } from './checks.js'
import { readContext } from './context.js'
import { readInstallerInputs } from './installers.js'
import { checkLicenseBuilder } from './licenses.js'
import { checkInputText, type Environment, type InputReader } from './names.js'
import { readPublishInputs } from './publish.js'
import { readPythonInputs } from './python.js'
import { readSigning } from './signing.js'
import { readTarget, type HostSystem } from './target.js'
import { currentPlatform } from '../platform.js'

export { INPUT_NAMES, SECRET_INPUTS, type Environment, type InputReader } from './names.js'

/** `host`: the runner's system, which decides the targets it builds for; the target's system decides the formats. */
export function readConfig(get: InputReader, env: Environment, exists: (p: string) => boolean = fs.existsSync, host: HostSystem = currentPlatform()): Config {
  checkInputText(get)
  const context = readContext(get, env, exists)
  const python = readPythonInputs(context)
  const build = readBuildInputs(context)
  const checks = readCheckInputs(context)
  checkLicenseBuilder(get, build.builder)
  const signing = readSigning(context)
  const publish = readPublishInputs(context)
  const target = readTarget(get, host, build.builder)
  const installers = readInstallerInputs(context, target.os)
  return Object.freeze({
    target,
    workspace: context.workspace,
    projectDir: context.projectDir,
    project: context.project,
    workDir: context.workDir,
    ...python,
    ...build,
    ...checks,
    signing,
    ...publish,
    ...installers
  })
}
