/**
 * Which Python distributions ship in a build: read from what the builder
 * collected (the executable's archive, the one-folder files), mapped to the
 * venv's distributions through their installed file lists, by the Python
 * helper in shipped-script.ts.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { NO_PYTHON_LEAKS, runChecked, type Command } from '../exec.js'
import { StageError } from '../errors.js'
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

/** A license file the metadata names that was not read, and why (a path out of the distribution, too big, …). */
export interface SkippedText {
  /** As the metadata names it (control characters removed, at most 200 characters). */
  readonly file: string
  readonly reason: string
}

/** A distribution whose metadata could not be read as it should (not UTF-8, too big, no file list). */
export interface MetadataProblem {
  /** `name version (folder)`, or the folder alone when no name could be read. */
  readonly distribution: string
  readonly problem: string
}

/**
 * The limits of what the helper reads of a distribution's metadata. A license
 * text: 2 MiB, four times the largest measured (torch 2.5.1's LICENSE, 507,602
 * bytes; numpy 2.4.6's largest is 46,794, SciPy 1.17.1's 46,838, pyarrow
 * 26.0.1's 110,383, opencv-python-headless 5.1.0.95's 181,105). A notices
 * file (every text of one build): 32 MiB, some 28 times what those five
 * together ship (1.15 MB). METADATA: 16 MiB (it may hold a long description);
 * RECORD: 64 MiB (a file list of a hundred thousand entries).
 */
export const LIMITS = Object.freeze({ licenseText: 2 * 1024 * 1024, notices: 32 * 1024 * 1024, metadata: 16 * 1024 * 1024, record: 64 * 1024 * 1024 })

/** One distribution whose files ship in a build, as the helper reports it. */
export interface ShippedDistribution extends LicenseMetadata {
  readonly name: string
  readonly version: string
  readonly summary: string
  readonly licenseTexts: readonly LicenseFile[]
  /** License files its metadata names that were not read. */
  readonly skippedTexts: readonly SkippedText[]
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
  /** Distributions of the venv whose metadata could not be read as it should. */
  readonly problems: readonly MetadataProblem[]
}

/** The helper's argument. */
export interface ShippedRequest {
  readonly root: string
  readonly mode: Build['mode']
  readonly executables: readonly string[]
  readonly needles: readonly string[]
  /** Where the helper writes its report (JSON): a file, as one line of stdout would be read line by line. */
  readonly out: string
  readonly limits: typeof LIMITS
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

/** The helper's report, from the file it wrote. */
export function parseShippedReport(text: string): ShippedReport {
  const parsed = JSON.parse(text) as Partial<ShippedReport>
  return {
    distributions: (parsed.distributions ?? []).map((d) => ({ ...d, skippedTexts: d.skippedTexts ?? [] })),
    entries: parsed.entries ?? 0,
    leaks: parsed.leaks ?? [],
    problems: parsed.problems ?? []
  }
}

/** Says what ships in a build. */
export type ShippedReader = (build: Build) => Promise<ShippedReport>

/**
 * Reads what ships from the build venv (`python`), or from a kept build's
 * record (`kept`, by build root: a reused build has no venv); each report goes
 * into `seen` too, for the record of a build that is kept.
 */
export function shippedReader(
  config: Config,
  platform: Platform,
  python: string | undefined,
  kept: ReadonlyMap<string, ShippedReport> | undefined,
  seen: Map<string, ShippedReport>
): ShippedReader {
  return async (build) => {
    const known = kept?.get(build.root)
    if (kept && !known) throw new StageError('inspect', `the kept build's record does not say what ships in ${build.name}.`)
    if (!known && !python) throw new StageError('inspect', `there is no build venv to read what ships in ${build.name} with.`)
    const report = known ?? (await shippedDistributions(config, platform, build, python as string))
    seen.set(build.root, report)
    return report
  }
}

/** Reads which distributions ship in a PyInstaller build. */
export async function shippedDistributions(config: Config, platform: Platform, build: Build, python: string): Promise<ShippedReport> {
  // An empty folder: the project's source tree must not shadow what was installed.
  const cwd = path.join(config.workDir, 'check')
  fs.mkdirSync(cwd, { recursive: true })
  const script = path.join(cwd, 'shipped.py')
  fs.writeFileSync(script, SHIPPED_SCRIPT)
  // The helper runs on the build's system: paths as its Python sees them (Z:\… under Wine).
  const out = path.join(cwd, 'shipped.json')
  const request: ShippedRequest = {
    root: targetPath(platform, build.root),
    mode: build.mode,
    executables: build.executables.map((e) => targetPath(platform, e.path)),
    needles: pathNeedles(platform, config.workDir),
    out: targetPath(platform, out),
    limits: LIMITS
  }
  fs.rmSync(out, { force: true })
  await runChecked(
    'inspect',
    shippedCommand(python, script, request, cwd),
    `Could not read which distributions ship in ${build.name}: the error is in the lines above.`,
    { silent: true }
  )
  return parseShippedReport(fs.readFileSync(out, 'utf8'))
}
