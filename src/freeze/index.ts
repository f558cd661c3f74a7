/**
 * The build stage: the choice of builder (PyInstaller in pyinstaller.ts,
 * Nuitka in nuitka.ts) and what makes a build reproducible. What a build is
 * lives in builds.ts, the checks both builders run in checks.ts.
 */
import * as io from '@actions/io'
import * as core from '@actions/core'
import { runCommand } from '../exec.js'
import { buildPaths, type BuildResult } from './builds.js'
import { buildNuitka } from './nuitka.js'
import { buildPyInstaller } from './pyinstaller.js'
import type { Platform } from '../platform.js'
import type { Config } from '../config.js'

export type { Build, BuildResult, EntryTime, Executable, Mode } from './builds.js'

/** The variables that make a build reproducible: a fixed hash seed, and timestamps from the last commit. */
export function reproducibleEnv(sourceDateEpoch: string): Record<string, string | undefined> {
  return { PYTHONHASHSEED: '0', ...(sourceDateEpoch ? { SOURCE_DATE_EPOCH: sourceDateEpoch } : {}) }
}

/** SOURCE_DATE_EPOCH as set by the workflow, or the time of the project's last commit, or '' outside git. */
export async function sourceDateEpoch(projectDir: string): Promise<string> {
  if (process.env.SOURCE_DATE_EPOCH) return process.env.SOURCE_DATE_EPOCH
  const git = await io.which('git', false)
  if (!git) return ''
  const r = await runCommand({ program: git, args: ['-C', projectDir, 'log', '-1', '--format=%ct'] }, { silent: true }).catch(() => undefined)
  const epoch = r?.exitCode === 0 ? r.stdout.trim() : ''
  return /^\d+$/.test(epoch) ? epoch : ''
}

/** Builds the executables with the configured builder; returns what was made. `epoch`: sourceDateEpoch's answer. */
export async function build(config: Config, platform: Platform, python: string, version: string, epoch: string): Promise<BuildResult> {
  const paths = buildPaths(config)
  // What an earlier build left (the work folder survives between runs of the local entry) goes first.
  for (const dir of [paths.distDir, paths.specDir, paths.onedirDir, paths.nuitkaDir, paths.partsDir]) await io.rmRF(dir)
  if (epoch) core.info(`SOURCE_DATE_EPOCH=${epoch} (last commit), PYTHONHASHSEED=0: the build is reproducible.`)
  const result =
    config.builder === 'nuitka'
      ? { builds: await buildNuitka(config, platform, python, version, paths, reproducibleEnv(epoch)), entryTimes: [], processes: 1 }
      : await buildPyInstaller(config, platform, python, version, paths, reproducibleEnv(epoch))
  return { ...result, builds: result.builds.map((b) => ({ ...b, sourceDateEpoch: epoch })) }
}
