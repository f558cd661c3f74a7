/**
 * How PyInstaller is run on a spec: its command line and its environment,
 * for the builds in one process (pyinstaller.ts) and side by side (parts.ts).
 */
import { NO_PYTHON_LEAKS, type Command } from '../exec.js'
import { cacheLayout, pyinstallerConfigDir } from '../install/index.js'
import type { BuildPaths } from './builds.js'
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
  return {
    program: python,
    args: ['-m', 'PyInstaller', ...pyinstallerArgs(spec, paths, builderArgs)],
    cwd,
    env: { ...NO_PYTHON_LEAKS, ...env }
  }
}

/** PyInstaller's arguments (after `python -m PyInstaller`, or for PyInstaller.__main__.run in a forked process). */
export function pyinstallerArgs(
  spec: string,
  paths: Pick<BuildPaths, 'distDir' | 'workPath'>,
  builderArgs: Pick<BuilderArgs, 'command' | 'specArgs'> = NO_BUILDER_ARGS
): string[] {
  const specArgs = builderArgs.specArgs.length ? ['--', ...builderArgs.specArgs] : []
  return ['--noconfirm', '--distpath', paths.distDir, '--workpath', paths.workPath, ...builderArgs.command, spec, ...specArgs]
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
