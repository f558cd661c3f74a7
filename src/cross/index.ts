/**
 * Building for another system than the runner's (`target`): today Windows
 * x64 on a Linux runner, under Wine. The `wine` stage finds (or installs)
 * Wine, prepares the prefix and hands the executor its launcher; the rest
 * of the pipeline runs as on Windows, with the Platform this returns.
 */
import * as path from 'node:path'
import * as core from '@actions/core'
import { runCommand, useLauncher } from '../exec.js'
import { wineTarget, type Platform } from '../platform.js'
import type { FoundPython } from '../python.js'
import { DEFAULT_MANIFEST_URL } from '../python-install.js'
import type { Config } from '../config.js'
import { findWindowsPython, PYTHON_ORG_INDEX_URL } from './python.js'
import { endPrefix, ensureWine, parseWineVersion, prefixPath, preparePrefix, runsUv, wineLauncher, wineTitle, type WineSetup } from './wine.js'

/** What the post step needs to end the prefix's wineserver after a run that could not. */
export const WINE_STATE = { wineserver: 'wine-server', prefix: 'wine-prefix' } as const

export interface CrossBuild {
  readonly platform: Platform
  /** The configuration the run goes on with (pip instead of uv where this Wine cannot run uv). */
  readonly config: Config
  readonly setup: WineSetup
  /** `Wine 10.0`, for the log and the summary. */
  readonly title: string
  findPython(): Promise<FoundPython>
  /** Ends the prefix's processes (wineserver -k); names what a program left running. */
  end(): Promise<void>
}

/** The index the Windows Python comes from: python-versions-manifest when it was set to something else than actions/python-versions'. */
export function windowsIndexUrl(manifest: string): string {
  return manifest && manifest !== DEFAULT_MANIFEST_URL ? manifest : PYTHON_ORG_INDEX_URL
}

/** The `wine` stage: Wine, the prefix, the launcher; the Platform and configuration of the rest of the run. */
export async function prepareWine(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<CrossBuild> {
  const programs = await ensureWine(env)
  const out = await runCommand({ program: programs.wine, args: ['--version'] }, { silent: true })
  const version = parseWineVersion(`${out.stdout}${out.stderr}`)
  const title = wineTitle(version || '(unknown version)')
  const prefix = prefixPath(config.workDir, version)
  const started = Date.now()
  const { made } = await preparePrefix(programs, prefix)
  core.info(
    `${title} (${programs.wine}), prefix ${prefix}: ${made ? `made in Windows 10 mode in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'kept from an earlier run'}.`
  )
  const setup: WineSetup = { ...programs, version, prefix }
  core.saveState(WINE_STATE.wineserver, programs.wineserver)
  core.saveState(WINE_STATE.prefix, prefix)
  const toolCache = config.toolCache || path.join(config.workDir, 'wine', 'tool-cache')
  const runnerTemp = path.dirname(config.workDir)
  const workspace = process.env.GITHUB_WORKSPACE ? path.resolve(process.env.GITHUB_WORKSPACE) : ''
  useLauncher(wineLauncher(setup, [runnerTemp, config.workDir, config.projectDir, workspace, toolCache, config.outputDir]))
  let next = config
  if (config.installer === 'uv' && !runsUv(prefix)) {
    core.warning(
      `${title} cannot run uv.exe (it has no bcryptprimitives.dll, which Wine 9 and newer have): installing with pip instead. Install Wine 9 or newer for uv.`
    )
    next = Object.freeze({ ...config, installer: 'pip' as const })
  }
  const platform = wineTarget(config.target.arch)
  return {
    platform,
    config: next,
    setup,
    title,
    findPython: () => findWindowsPython(platform, config.pythonVersion, toolCache, windowsIndexUrl(config.pythonManifest)),
    end: async () => {
      const left = await endPrefix(setup)
      if (left.length) core.info(`Ended what still ran in the Wine prefix: ${left.join('; ')}`)
      useLauncher(undefined)
    }
  }
}
