/**
 * The checks before a build from entry points, shared by both builders: the
 * functions exist in the build venv, the icon can be used, UPX is there.
 */
import * as path from 'node:path'
import * as io from '@actions/io'
import * as core from '@actions/core'
import { readHead } from '../files.js'
import { runCommand, type Command } from '../exec.js'
import { InputError } from '../errors.js'
import { runJsonScript, scriptDir, venvScript } from '../venv-script.js'
import { CHECK_ENTRYPOINTS_SCRIPT, describeTarget, entrypointError, type EntrypointProblem } from './entrypoints.js'
import { iconFormat, nativeIconFormat, needsConversion } from './icon.js'
import type { Platform } from '../platform.js'
import { BUILDER_TITLES, type BuilderName, type Config, type EntryPoint } from '../config.js'

/** The checks before a build from entry points: the functions exist, the icon can be used, UPX is there. */
export async function checkGeneratedInputs(config: Config, platform: Platform, python: string): Promise<void> {
  await checkEntrypoints(config, python)
  await checkIcon(config, platform, python)
  await checkUpx(config)
}

export function checkEntrypointsCommand(python: string, entries: readonly EntryPoint[], cwd: string): Command | undefined {
  const refs = entries.filter((e) => e.target.kind === 'function').map((e) => describeTarget(e.target))
  if (!refs.length) return undefined
  return venvScript(python, CHECK_ENTRYPOINTS_SCRIPT, refs, cwd)
}

async function checkEntrypoints(config: Config, python: string): Promise<void> {
  const cmd = checkEntrypointsCommand(python, config.entrypoints, scriptDir(config.workDir))
  if (!cmd) return
  const problems = await runJsonScript<EntrypointProblem[]>('build', cmd, 'Could not check the entry points.', [])
  const error = entrypointError(problems, config.entrypoints)
  if (error) throw error
}

/** The module each builder converts icons with, and the package that provides it. */
const ICON_CONVERTERS: Readonly<Record<BuilderName, { module: string; package: string }>> = {
  pyinstaller: { module: 'PIL', package: 'pillow' },
  nuitka: { module: 'imageio', package: 'imageio' }
}

async function checkIcon(config: Config, platform: Platform, python: string): Promise<void> {
  if (!config.icon) return
  const native = nativeIconFormat(platform)
  if (!native) {
    core.info(`icon: ${platform.os} executables carry no icon; ${config.icon} is used on Windows and macOS.`)
    return
  }
  const format = iconFormat(readHead(config.icon, 8))
  if (!format || !needsConversion(platform, format)) return
  const converter = ICON_CONVERTERS[config.builder]
  const r = await runCommand({ program: python, args: ['-c', `import ${converter.module}`] }, { silent: true })
  if (r.exitCode !== 0)
    throw new InputError(
      'icon',
      `${path.basename(config.icon)} is ${format.toUpperCase()}, and ${platform.os} needs ${native.toUpperCase()}: ${BUILDER_TITLES[config.builder]} converts it only when ${converter.package} is installed, and it is not.`,
      `Give a .${native} file, or add ${converter.package} to the requirements (or a dependency group) that the action installs.`
    )
}

async function checkUpx(config: Config): Promise<void> {
  if (config.upx && !(await io.which('upx', false)))
    throw new InputError(
      'upx',
      `is true, but no upx program is on PATH, and ${BUILDER_TITLES[config.builder]} would not compress.`,
      'Install UPX before this step (apt-get install upx-ucl, choco install upx, brew install upx), or set upx: false.'
    )
}
