/**
 * Running PyInstaller on the project's .spec file, and finding what it made:
 * one-file executables, one-folder builds and macOS .app bundles.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as io from '@actions/io'
import type { Config } from './inputs.js'
import { runChecked, type Command } from './exec.js'
import { StageError } from './errors.js'
import type { Platform } from './platform.js'

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
  readonly distDir: string
  readonly workPath: string
}

export function buildPaths(config: Pick<Config, 'workDir'>): BuildPaths {
  return { distDir: path.join(config.workDir, 'dist'), workPath: path.join(config.workDir, 'work') }
}

export function planSpecBuild(config: Config, python: string, paths: BuildPaths): Command {
  return {
    program: python,
    args: ['-m', 'PyInstaller', '--noconfirm', '--distpath', paths.distDir, '--workpath', paths.workPath, config.spec],
    cwd: config.projectDir,
    env: { PYTHONPATH: undefined, PYTHONHOME: undefined, PYTHONNOUSERSITE: '1' }
  }
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

export async function build(config: Config, platform: Platform, python: string): Promise<Build[]> {
  const paths = buildPaths(config)
  await io.rmRF(paths.distDir)
  await runChecked(
    'build',
    planSpecBuild(config, python, paths),
    `PyInstaller could not build ${path.relative(config.projectDir, config.spec) || config.spec}: the error is in the lines above.`
  )
  const builds = classifyDist(platform, paths.distDir, scanDist(paths.distDir))
  if (!builds.length)
    throw new StageError(
      'build',
      `PyInstaller finished but ${paths.distDir} holds no executable. Check that the spec defines an EXE (and a COLLECT for a one-folder build).`
    )
  return builds
}
