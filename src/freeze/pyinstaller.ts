/**
 * The PyInstaller builder: runs PyInstaller on the project's .spec file, or on
 * a spec generated from the entry points (spec.ts), and finds what it made.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { writePlannedFiles } from '../files.js'
import { NO_PYTHON_LEAKS, runChecked, type Command } from '../exec.js'
import { StageError } from '../errors.js'
import { cacheLayout, pyinstallerConfigDir } from '../install/index.js'
import type { Platform } from '../platform.js'
import { checkMade, classifyDist, scanDist, type Build, type BuildPaths } from './builds.js'
import { checkGeneratedInputs } from './checks.js'
import { planSpec, specInput } from './spec.js'
import { type BuilderArgs, type Config, NO_BUILDER_ARGS } from '../config.js'

/**
 * Runs PyInstaller on a spec file: builder-args' build options before it, and
 * (with the project's spec) the lines for the spec after `--`, which
 * PyInstaller 6 hands to the spec as its sys.argv.
 */
export function pyinstallerCommand(
  python: string,
  spec: string,
  paths: Pick<BuildPaths, 'distDir' | 'workPath'>,
  cwd: string,
  env: Record<string, string | undefined>,
  builderArgs: Pick<BuilderArgs, 'command' | 'specArgs'> = NO_BUILDER_ARGS
): Command {
  const specArgs = builderArgs.specArgs.length ? ['--', ...builderArgs.specArgs] : []
  return {
    program: python,
    args: ['-m', 'PyInstaller', '--noconfirm', '--distpath', paths.distDir, '--workpath', paths.workPath, ...builderArgs.command, spec, ...specArgs],
    cwd,
    env: { ...NO_PYTHON_LEAKS, ...env }
  }
}

/** PyInstaller's environment: reproducibility, its cache folder (in the dependency cache), the compression level. */
export function pyinstallerEnv(
  config: Pick<Config, 'compressionLevel' | 'workDir'>,
  reproducible: Record<string, string | undefined>
): Record<string, string | undefined> {
  return {
    ...reproducible,
    PYINSTALLER_CONFIG_DIR: pyinstallerConfigDir(cacheLayout(config)),
    // Read by PyInstaller's archive writers (PyInstaller/archive/writers.py, 6.x) for the PYZ and the one-file payload alike.
    PYINSTALLER_ZLIB_COMPRESSION_LEVEL: String(config.compressionLevel)
  }
}

export async function buildPyInstaller(
  config: Config,
  platform: Platform,
  python: string,
  version: string,
  paths: BuildPaths,
  reproducible: Record<string, string | undefined>
): Promise<Build[]> {
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
    return builds
  }
  await checkGeneratedInputs(config, platform, python)
  const plan = planSpec(platform, specInput(config, version), paths)
  writePlannedFiles(plan.files)
  core.info(`Generated ${plan.specPath}:\n${plan.files.find((f) => f.path === plan.specPath)?.content ?? ''}`)
  await runChecked(
    'build',
    pyinstallerCommand(python, plan.specPath, paths, config.projectDir, env, config.builderArgs),
    'PyInstaller could not build the entry points: the error is in the lines above.'
  )
  for (const move of plan.moves) {
    fs.mkdirSync(path.dirname(move.to), { recursive: true })
    fs.renameSync(move.from, move.to)
  }
  return checkMade('PyInstaller', plan.builds)
}
