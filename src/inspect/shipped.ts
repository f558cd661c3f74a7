/**
 * Which Python distributions ship in a build: read from what the builder
 * collected (the executable's archive, the one-folder files), mapped to the
 * venv's distributions through their installed file lists, by the Python
 * helper in shipped-script.ts.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { NO_PYTHON_LEAKS, runChecked, type Command } from '../exec.js'
import type { Build } from '../freeze/index.js'
import { targetPath, type Platform } from '../platform.js'
import type { Config } from '../config.js'
import { SHIPPED_SCRIPT } from './shipped-script.js'
import type { LicenseMetadata } from './licenses.js'

export interface LicenseFile {
  /** The file's name (LICENSE, COPYING.md, …). */
  readonly file: string
  readonly text: string
}

/** One distribution whose files ship in a build, as the helper reports it. */
export interface ShippedDistribution extends LicenseMetadata {
  readonly name: string
  readonly version: string
  readonly summary: string
  readonly licenseTexts: readonly LicenseFile[]
  /** How many of the build's entries (modules, binaries, data files) are its files. */
  readonly files: number
  /** Their bytes before compression. */
  readonly size: number
}

export interface ShippedReport {
  /** Sorted by normalized name; the project itself among them when its files ship. */
  readonly distributions: readonly ShippedDistribution[]
  /** How many entries the build holds (modules and files). */
  readonly entries: number
  /** Entries that hold the absolute path of the action's work folder (the venv, the build folders). */
  readonly leaks: readonly string[]
}

/** The helper's argument. */
export interface ShippedRequest {
  readonly root: string
  readonly mode: Build['mode']
  readonly executables: readonly string[]
  readonly needles: readonly string[]
}

/** The absolute paths no shipped file should hold: the action's work folder, in both slash styles. */
export function pathNeedles(platform: Platform, workDir: string): string[] {
  // Under Wine, the builder saw the work folder as Z:\… (and the host path may appear too).
  const seen = targetPath(platform, workDir)
  return platform.os === 'windows' ? [...new Set([seen, seen.replace(/\\/g, '/'), workDir])] : [workDir]
}

/** The command that runs the helper (written to `script`) in the build venv. */
export function shippedCommand(python: string, script: string, request: ShippedRequest, cwd: string): Command {
  return { program: python, args: [script, JSON.stringify(request)], cwd, env: NO_PYTHON_LEAKS }
}

/** The helper's report, from the last line of its output. */
export function parseShippedOutput(stdout: string): ShippedReport {
  const last = stdout.trim().split('\n').pop() ?? ''
  const parsed = JSON.parse(last) as ShippedReport
  return { distributions: parsed.distributions ?? [], entries: parsed.entries ?? 0, leaks: parsed.leaks ?? [] }
}

/** Reads which distributions ship in a PyInstaller build. */
export async function shippedDistributions(config: Config, platform: Platform, build: Build, python: string): Promise<ShippedReport> {
  // An empty folder: the project's source tree must not shadow what was installed.
  const cwd = path.join(config.workDir, 'check')
  fs.mkdirSync(cwd, { recursive: true })
  const script = path.join(cwd, 'shipped.py')
  fs.writeFileSync(script, SHIPPED_SCRIPT)
  // The helper runs on the build's system: paths as its Python sees them (Z:\… under Wine).
  const request: ShippedRequest = {
    root: targetPath(platform, build.root),
    mode: build.mode,
    executables: build.executables.map((e) => targetPath(platform, e.path)),
    needles: pathNeedles(platform, config.workDir)
  }
  const result = await runChecked(
    'inspect',
    shippedCommand(python, script, request, cwd),
    `Could not read which distributions ship in ${build.name}: the error is in the lines above.`,
    { silent: true }
  )
  return parseShippedOutput(result.stdout)
}
