/**
 * The build stage: what a build is, the checks every builder shares, and the
 * choice of builder (PyInstaller in pyinstaller.ts, Nuitka in nuitka.ts).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as io from '@actions/io'
import * as core from '@actions/core'
import { readHead } from '../files.js'
import { NO_PYTHON_LEAKS, runChecked, runCommand, type Command } from '../exec.js'
import { InputError, StageError } from '../errors.js'
import { normalizeName } from '../pyproject.js'
import { CHECK_ENTRYPOINTS_SCRIPT, describeTarget, entrypointError, type EntrypointProblem } from './entrypoints.js'
import { iconFormat, nativeIconFormat, needsConversion } from './icon.js'
import type { SpecInput } from './spec.js'
import { buildNuitka } from './nuitka.js'
import { buildPyInstaller } from './pyinstaller.js'
import type { Platform } from '../platform.js'
import { BUILDER_TITLES, type BuilderName, type CollectRule, type Config, type EntryPoint } from '../config.js'

export type Mode = 'onefile' | 'onedir' | 'app'

export interface Executable {
  readonly name: string
  readonly path: string
}

/** One thing PyInstaller made, archived as one asset. */
export interface Build {
  readonly mode: Mode
  /** The file name of the executable, or of the folder / bundle. */
  readonly name: string
  /** The one-file executable, the one-folder folder or the .app bundle. */
  readonly root: string
  /** What the smoke tests run. */
  readonly executables: readonly Executable[]
  /** The SOURCE_DATE_EPOCH the build ran with ('' or unset: none): the package stage dates the archive's entries with it. */
  readonly sourceDateEpoch?: string
}

/** A dist folder's top-level entry, as `scanDist` sees it. */
export interface DistEntry {
  readonly name: string
  readonly isDir: boolean
  /** For a file: whether it can be run. */
  readonly executable?: boolean
  /** For a folder: its top-level files that can be run (or, for a .app, those in Contents/MacOS). */
  readonly programs?: readonly string[]
}

export interface BuildPaths {
  /** Where one-file executables (and macOS .app bundles) are made. */
  readonly distDir: string
  /** PyInstaller's work folder. */
  readonly workPath: string
  /** The generated spec, wrappers and version files. */
  readonly specDir: string
  /** Where the shared one-folder build of entry points ends up. */
  readonly onedirDir: string
  /** Nuitka's output folders, one per run (and the folder it runs from). */
  readonly nuitkaDir: string
}

export function buildPaths(config: Pick<Config, 'workDir'>): BuildPaths {
  const at = (name: string): string => path.join(config.workDir, name)
  return { distDir: at('dist'), workPath: at('work'), specDir: at('spec'), onedirDir: at('onedir'), nuitkaDir: at('nuitka') }
}

const NOT_PROGRAMS = /\.(so(\.\d+)*|dylib|dll|pyd|toc|pkg|txt|json|plist)$/i

/** Which top-level dist entries are builds, for the given platform. */
export function classifyDist(platform: Platform, distDir: string, entries: readonly DistEntry[]): Build[] {
  const join = platform.path.join
  const builds: Build[] = []
  for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue
    const root = join(distDir, entry.name)
    if (!entry.isDir) {
      const runnable = platform.os === 'windows' ? entry.name.toLowerCase().endsWith('.exe') : entry.executable === true && !NOT_PROGRAMS.test(entry.name)
      if (runnable) builds.push({ mode: 'onefile', name: entry.name, root, executables: [{ name: entry.name, path: root }] })
      continue
    }
    const programs = (entry.programs ?? []).filter((p) => (platform.os === 'windows' ? p.toLowerCase().endsWith('.exe') : !NOT_PROGRAMS.test(p))).sort()
    if (!programs.length) continue
    const app = platform.os === 'macos' && entry.name.endsWith('.app')
    const base = app ? join(root, 'Contents', 'MacOS') : root
    builds.push({ mode: app ? 'app' : 'onedir', name: entry.name, root, executables: programs.map((p) => ({ name: p, path: join(base, p) })) })
  }
  return builds
}

const isRunnable = (file: string): boolean => {
  try {
    const st = fs.statSync(file)
    return st.isFile() && (process.platform === 'win32' || (st.mode & 0o111) !== 0)
  } catch {
    return false
  }
}

/** Reads a dist folder into the entries `classifyDist` takes. */
export function scanDist(distDir: string): DistEntry[] {
  if (!fs.existsSync(distDir)) return []
  return fs.readdirSync(distDir, { withFileTypes: true }).map((d) => {
    const full = path.join(distDir, d.name)
    if (!d.isDirectory()) return { name: d.name, isDir: false, executable: isRunnable(full) }
    const inner = d.name.endsWith('.app') ? path.join(full, 'Contents', 'MacOS') : full
    const programs = fs.existsSync(inner) ? fs.readdirSync(inner).filter((f) => isRunnable(path.join(inner, f))) : []
    return { name: d.name, isDir: true, programs }
  })
}

/** The variables that make a build reproducible: a fixed hash seed, and timestamps from the last commit. */
export function reproducibleEnv(sourceDateEpoch: string): Record<string, string | undefined> {
  return { PYTHONHASHSEED: '0', ...(sourceDateEpoch ? { SOURCE_DATE_EPOCH: sourceDateEpoch } : {}) }
}

/** SOURCE_DATE_EPOCH as set by the workflow, or the time of the project's last commit, or '' outside git. */
async function sourceDateEpoch(projectDir: string): Promise<string> {
  if (process.env.SOURCE_DATE_EPOCH) return process.env.SOURCE_DATE_EPOCH
  const git = await io.which('git', false)
  if (!git) return ''
  const r = await runCommand({ program: git, args: ['-C', projectDir, 'log', '-1', '--format=%ct'] }, { silent: true }).catch(() => undefined)
  const epoch = r?.exitCode === 0 ? r.stdout.trim() : ''
  return /^\d+$/.test(epoch) ? epoch : ''
}

/** Builds the executables with the configured builder; returns what was made. */
export async function build(config: Config, platform: Platform, python: string, version: string): Promise<Build[]> {
  const paths = buildPaths(config)
  // What an earlier build left (the work folder survives between runs of the local entry) goes first.
  for (const dir of [paths.distDir, paths.specDir, paths.onedirDir, paths.nuitkaDir]) await io.rmRF(dir)
  const epoch = await sourceDateEpoch(config.projectDir)
  if (epoch) core.info(`SOURCE_DATE_EPOCH=${epoch} (last commit), PYTHONHASHSEED=0: the build is reproducible.`)
  const builder = config.builder === 'nuitka' ? buildNuitka : buildPyInstaller
  const builds = await builder(config, platform, python, version, paths, reproducibleEnv(epoch))
  return builds.map((b) => ({ ...b, sourceDateEpoch: epoch }))
}

/** The checks before a build from entry points: the functions exist, the icon can be used, UPX is there. */
export async function checkGeneratedInputs(config: Config, platform: Platform, python: string): Promise<void> {
  await checkEntrypoints(config, python)
  await checkIcon(config, platform, python)
  await checkUpx(config)
}

/** The planned builds, once every executable is checked to exist. */
export function checkMade(builder: string, builds: readonly Build[]): Build[] {
  for (const b of builds)
    for (const e of b.executables) if (!fs.existsSync(e.path)) throw new StageError('build', `${builder} finished but ${e.path} was not made.`)
  return [...builds]
}

/** What the generated spec needs from the config and the project. */
export function specInput(config: Config, version: string): SpecInput {
  const entries = config.entrypoints
  const productName = config.project.name || entries[0]?.name || 'app'
  return {
    entries,
    projectDir: config.projectDir,
    onefile: config.onefile,
    onedir: config.onedir,
    collectName: entries.length === 1 ? entries[0].name : config.name || productName,
    icon: config.icon,
    hiddenImports: config.hiddenImports,
    collect: withOwnData(config.collect, entries),
    datas: config.addData,
    excludes: config.excludeModules,
    upx: config.upx,
    strip: config.strip,
    facts: { version, productName, company: config.project.authors[0] || productName, description: config.project.description || productName },
    bundleIdPrefix: `org.${normalizeName(productName).replace(/[^a-z0-9-]/g, '')}`
  }
}

/**
 * The collect rules plus the data files of the packages the entry points live
 * in: PyInstaller does not bundle package data by itself, and a project's own
 * data (a commands.json, templates) is almost always read at run time.
 */
export function withOwnData(collect: readonly CollectRule[], entries: readonly EntryPoint[]): CollectRule[] {
  const out = [...collect]
  for (const e of entries) {
    if (e.target.kind !== 'function') continue
    const pkg = e.target.module.split('.')[0]
    if (!out.some((c) => c.package === pkg && (c.kind === 'data' || c.kind === 'all'))) out.push({ kind: 'data', package: pkg })
  }
  return out
}

export function checkEntrypointsCommand(python: string, entries: readonly EntryPoint[], cwd: string): Command | undefined {
  const refs = entries.filter((e) => e.target.kind === 'function').map((e) => describeTarget(e.target))
  if (!refs.length) return undefined
  return { program: python, args: ['-c', CHECK_ENTRYPOINTS_SCRIPT, ...refs], cwd, env: NO_PYTHON_LEAKS }
}

/** An empty folder for the build venv's check scripts, so that the project's source tree does not shadow what was installed. */
export function checkDir(config: Pick<Config, 'workDir'>): string {
  const cwd = path.join(config.workDir, 'check')
  fs.mkdirSync(cwd, { recursive: true })
  return cwd
}

/** Runs a check script in the build venv; returns the JSON list it prints on its last line. */
export async function runJsonCheck<T>(cmd: Command, failure: string): Promise<T[]> {
  const result = await runChecked('build', cmd, failure, { silent: true })
  return JSON.parse(result.stdout.trim().split('\n').pop() || '[]') as T[]
}

async function checkEntrypoints(config: Config, python: string): Promise<void> {
  const cmd = checkEntrypointsCommand(python, config.entrypoints, checkDir(config))
  if (!cmd) return
  const problems = await runJsonCheck<EntrypointProblem>(cmd, 'Could not check the entry points.')
  const error = entrypointError(problems, config.entrypoints)
  if (error) throw error
}

/** The module each builder converts icons with, and the package that provides it. */
const ICON_CONVERTERS: Readonly<Record<BuilderName, { module: string; package: string }>> = {
  pyinstaller: { module: 'PIL', package: 'pillow' },
  nuitka: { module: 'imageio', package: 'imageio' }
}

async function checkIcon(config: Config, platform: Platform, python: string): Promise<void> {
  if (!config.icon) return
  const native = nativeIconFormat(platform)
  if (!native) {
    core.info(`icon: ${platform.os} executables carry no icon; ${config.icon} is used on Windows and macOS.`)
    return
  }
  const format = iconFormat(readHead(config.icon, 8))
  if (!format || !needsConversion(platform, format)) return
  const converter = ICON_CONVERTERS[config.builder]
  const r = await runCommand({ program: python, args: ['-c', `import ${converter.module}`] }, { silent: true })
  if (r.exitCode !== 0)
    throw new InputError(
      'icon',
      `${path.basename(config.icon)} is ${format.toUpperCase()}, and ${platform.os} needs ${native.toUpperCase()}: ${BUILDER_TITLES[config.builder]} converts it only when ${converter.package} is installed, and it is not.`,
      `Give a .${native} file, or add ${converter.package} to the requirements (or a dependency group) that the action installs.`
    )
}

async function checkUpx(config: Config): Promise<void> {
  if (config.upx && !(await io.which('upx', false)))
    throw new InputError(
      'upx',
      `is true, but no upx program is on PATH, and ${BUILDER_TITLES[config.builder]} would not compress.`,
      'Install UPX before this step (apt-get install upx-ucl, choco install upx, brew install upx), or set upx: false.'
    )
}
