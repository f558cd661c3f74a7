/**
 * The PyInstaller builder: runs PyInstaller on the project's .spec file, or on
 * a spec generated from the entry points (spec.ts), and finds what it made.
 */
import * as path from 'node:path'
import * as core from '@actions/core'
import { writePlannedFiles } from '../files.js'
import { runChecked } from '../exec.js'
import { StageError } from '../errors.js'
import type { Platform } from '../platform.js'
import { applyMoves, checkMade, classifyDist, scanDist, type Build, type BuildPaths, type BuildResult } from './builds.js'
import { checkGeneratedInputs } from './checks.js'
import { planParts, sideBySide } from './parallel.js'
import { buildParts } from './parts.js'
import { pyinstallerCommand, pyinstallerEnv } from './pyinstaller-command.js'
import { planSpec, specInput, type SpecPlan } from './spec.js'
import type { Config } from '../config.js'

export { pyinstallerCommand, pyinstallerEnv } from './pyinstaller-command.js'

export async function buildPyInstaller(
  config: Config,
  platform: Platform,
  python: string,
  version: string,
  paths: BuildPaths,
  reproducible: Record<string, string | undefined>
): Promise<BuildResult> {
  const env = pyinstallerEnv(config, reproducible)
  if (config.spec) {
    await runChecked(
      'build',
      pyinstallerCommand(python, config.spec, paths, config.projectDir, env, config.builderArgs),
      `PyInstaller could not build ${path.relative(config.projectDir, config.spec) || config.spec}: the error is in the lines above.`
    )
    const builds = classifyDist(platform, paths.distDir, scanDist(paths.distDir, platform.os === 'windows'))
    if (!builds.length)
      throw new StageError(
        'build',
        `PyInstaller finished but ${paths.distDir} holds no executable. Check that the spec defines an EXE (and a COLLECT for a one-folder build).`
      )
    return { builds, entryTimes: [], processes: 1 }
  }
  await checkGeneratedInputs(config, platform, python)
  const input = specInput(config, version)
  if (sideBySide(input.entries.length, config.target.via)) {
    const parts = await buildParts(config, platform, python, planParts(platform, input, paths), paths, env)
    if (parts) return parts
  } else if (input.entries.length > 1) core.info(`${input.entries.length} entry points, analysed in one PyInstaller process under Wine.`)
  const plan = planSpec(platform, input, paths)
  writePlannedFiles(plan.files)
  return { builds: await runSerial(config, python, plan, paths, env), entryTimes: [], processes: 1 }
}

/** The one spec with every entry point, in one PyInstaller process. */
async function runSerial(config: Config, python: string, plan: SpecPlan, paths: BuildPaths, env: Record<string, string | undefined>): Promise<Build[]> {
  core.info(`Generated ${plan.specPath}:\n${plan.files.find((f) => f.path === plan.specPath)?.content ?? ''}`)
  await runChecked(
    'build',
    pyinstallerCommand(python, plan.specPath, paths, config.projectDir, env, config.builderArgs),
    'PyInstaller could not build the entry points: the error is in the lines above.'
  )
  applyMoves(plan.moves)
  return checkMade('PyInstaller', plan.builds)
}
