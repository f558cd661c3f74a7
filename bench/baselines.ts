/**
 * (a) and (a'): the hand-written workflow the action replaces, as a workflow does it today: `python3 -m venv`,
 * `pip install '.[extras]' pyinstaller==…` with the given PIP_CACHE_DIR (and PyInstaller cache folder), then
 * `pyinstaller --noconfirm <spec>`.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { projectRequirement, withoutLitter } from '../src/install/index.js'
import type { Platform } from '../src/platform.js'
import { cleanEnv } from './environment.js'
import { check, run, RunFailure } from './processes.js'

export interface BaselineJob {
  readonly platform: Platform
  /** The interpreter that makes the venv. */
  readonly python: string
  readonly projectDir: string
  /** The spec file, an absolute path. */
  readonly spec: string
  readonly extras: readonly string[]
  readonly pyinstallerVersion: string
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
}

export async function baseline(label: string, job: BaselineJob): Promise<BaselineResult> {
  const { projectDir } = job
  const env = { ...cleanEnv(), PIP_CACHE_DIR: job.pipCache, PYINSTALLER_CONFIG_DIR: job.pyinstallerConfig }
  const venv = path.join(job.dir, 'venv')
  const bin = path.join(venv, job.platform.venvBin)
  // pip builds the project in its own folder (build/, *.egg-info): leave the tree as it was, as the action does.
  return withoutLitter(projectDir, async () => {
    const started = process.hrtime.bigint()
    const venvRun = check(`${label} python3 -m venv`, await run(job.python, ['-m', 'venv', venv], { cwd: projectDir, env }))
    const install = check(
      `${label} pip install`,
      await run(path.join(bin, 'pip'), ['install', projectRequirement('.', job.extras), `pyinstaller==${job.pyinstallerVersion}`], { cwd: projectDir, env })
    )
    const distpath = path.join(job.dir, 'dist')
    const build = check(
      `${label} pyinstaller`,
      await run(path.join(bin, 'pyinstaller'), ['--noconfirm', '--distpath', distpath, '--workpath', path.join(job.dir, 'work'), job.spec], {
        cwd: projectDir,
        env
      })
    )
    const total = Number(process.hrtime.bigint() - started) / 1e9
    const built = fs.existsSync(distpath) ? fs.readdirSync(distpath).map((f) => path.join(distpath, f)) : []
    if (!built.length) throw new RunFailure(`${label} pyinstaller`, `built nothing in ${distpath}`, build.output)
    const executableSize = built.filter((f) => fs.statSync(f).isFile()).reduce((sum, f) => sum + fs.statSync(f).size, 0)
    return { stages: { venv: venvRun.seconds, install: install.seconds, build: build.seconds }, total, executableSize }
  })
}
