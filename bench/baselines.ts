/**
 * The hand-written workflow the action replaces, as a workflow does it today: a fresh venv, an install of the project
 * and PyInstaller, then PyInstaller with its defaults (the spec, or `--onefile` on the entry point).
 * - (a) and (a'): `python3 -m venv`, `pip install '.[extras]' pyinstaller==…` with the given PIP_CACHE_DIR (empty for
 *   (a), the one (a) filled for (a'));
 * - (u): `uv venv`, `uv pip install --no-cache '.[extras]' pyinstaller==…` (uv, with no cache).
 * A one-file build is run once with the smoke test's arguments: a baseline that builds a broken executable is no
 * baseline.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { projectRequirement, withoutLitter } from '../src/install/index.js'
import type { Platform } from '../src/platform.js'
import { cleanEnv } from './environment.js'
import { pyinstallerPhases, type Phases } from './phases.js'
import { check, run, RunFailure, smokeOnce } from './processes.js'
import { plainBuildArgs, type Target } from './target.js'

export interface BaselineJob {
  readonly platform: Platform
  /** The interpreter that makes the venv. */
  readonly python: string
  readonly projectDir: string
  readonly target: Target
  readonly extras: readonly string[]
  readonly pyinstallerVersion: string
  /** The smoke test's arguments, run on a one-file build. */
  readonly smoke: readonly string[]
  /** The run's own folder: venv, dist and work folders. */
  readonly dir: string
  readonly pipCache: string
  readonly pyinstallerConfig: string
}

export interface BaselineResult {
  readonly stages: Readonly<Record<string, number>>
  readonly total: number
  /** The files PyInstaller put into its dist folder, added up. */
  readonly executableSize: number
  readonly phases: Phases
}

/** The installer of a baseline: pip in a `python -m venv`, or uv (its path) with no cache in a `uv venv`. */
export type BaselineInstaller = { readonly kind: 'pip' } | { readonly kind: 'uv'; readonly uv: string }

export async function baseline(label: string, job: BaselineJob, installer: BaselineInstaller): Promise<BaselineResult> {
  const { projectDir } = job
  const env = { ...cleanEnv(), PIP_CACHE_DIR: job.pipCache, PYINSTALLER_CONFIG_DIR: job.pyinstallerConfig }
  const venv = path.join(job.dir, 'venv')
  const bin = path.join(venv, job.platform.venvBin)
  const requirements = [projectRequirement('.', job.extras), `pyinstaller==${job.pyinstallerVersion}`]
  // pip builds the project in its own folder (build/, *.egg-info): leave the tree as it was, as the action does.
  return withoutLitter(projectDir, async () => {
    const started = process.hrtime.bigint()
    const venvRun =
      installer.kind === 'pip'
        ? check(`${label} python3 -m venv`, await run(job.python, ['-m', 'venv', venv], { cwd: projectDir, env }))
        : check(`${label} uv venv`, await run(installer.uv, ['venv', '--python', job.python, venv], { cwd: projectDir, env }))
    const install =
      installer.kind === 'pip'
        ? check(`${label} pip install`, await run(path.join(bin, 'pip'), ['install', ...requirements], { cwd: projectDir, env }))
        : check(
            `${label} uv pip install`,
            await run(installer.uv, ['pip', 'install', '--no-cache', '--python', path.join(bin, 'python'), ...requirements], { cwd: projectDir, env })
          )
    const distpath = path.join(job.dir, 'dist')
    const build = check(
      `${label} pyinstaller`,
      await run(
        path.join(bin, 'pyinstaller'),
        ['--noconfirm', '--distpath', distpath, '--workpath', path.join(job.dir, 'work'), ...plainBuildArgs(job.target, path.join(job.dir, 'spec'))],
        { cwd: projectDir, env }
      )
    )
    const total = Number(process.hrtime.bigint() - started) / 1e9
    const built = fs.existsSync(distpath) ? fs.readdirSync(distpath).map((f) => path.join(distpath, f)) : []
    if (!built.length) throw new RunFailure(`${label} pyinstaller`, `built nothing in ${distpath}`, build.output)
    if (job.target.kind === 'entry') await smokeOnce(label, path.join(distpath, job.target.name), job.smoke, job.dir)
    const executableSize = built.filter((f) => fs.statSync(f).isFile()).reduce((sum, f) => sum + fs.statSync(f).size, 0)
    return {
      stages: { venv: venvRun.seconds, install: install.seconds, build: build.seconds },
      total,
      executableSize,
      phases: pyinstallerPhases(build.output)
    }
  })
}
