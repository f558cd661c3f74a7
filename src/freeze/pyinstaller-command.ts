/**
 * How PyInstaller is run on a spec: its command line and its environment,
 * for the builds in one process (pyinstaller.ts) and side by side (parts.ts).
 */
import { NO_PYTHON_LEAKS, type Command } from '../exec.js'
import { cacheLayout, pyinstallerConfigDir } from '../install/index.js'
import type { BuildPaths } from './builds.js'
import type { Config } from '../config.js'

/** Runs PyInstaller on a spec file. */
export function pyinstallerCommand(
  python: string,
  spec: string,
  paths: Pick<BuildPaths, 'distDir' | 'workPath'>,
  cwd: string,
  env: Record<string, string | undefined>
): Command {
  return {
    program: python,
    args: ['-m', 'PyInstaller', '--noconfirm', '--distpath', paths.distDir, '--workpath', paths.workPath, spec],
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
