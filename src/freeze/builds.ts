/**
 * What a build is, where the builders write, and how what they wrote is found
 * and checked: shared by both builders and the stages after them.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { StageError } from '../errors.js'
import type { Platform } from '../platform.js'
import type { Config } from '../config.js'

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
  /** One folder per entry point built in a process of its own (dist and work of each). */
  readonly partsDir: string
}

/** How long one entry point's PyInstaller process took. */
export interface EntryTime {
  readonly name: string
  readonly seconds: number
}

/** What the build stage made, and how: per entry point when each had a process of its own. */
export interface BuildResult {
  readonly builds: readonly Build[]
  /** Each entry point's time, when the entry points were built side by side; empty otherwise. */
  readonly entryTimes: readonly EntryTime[]
  /** How many processes ran at once (1 for a build in one process). */
  readonly processes: number
}

export function buildPaths(config: Pick<Config, 'workDir'>): BuildPaths {
  const at = (name: string): string => path.join(config.workDir, name)
  return { distDir: at('dist'), workPath: at('work'), specDir: at('spec'), onedirDir: at('onedir'), nuitkaDir: at('nuitka'), partsDir: at('parts') }
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

/** A file that can be run: a Windows program by its .exe name (Windows, or built for it under Wine), elsewhere by its mode. */
const isRunnable = (file: string, windows: boolean): boolean => {
  try {
    const st = fs.statSync(file)
    return st.isFile() && (windows ? /\.exe$/i.test(file) || process.platform === 'win32' : (st.mode & 0o111) !== 0)
  } catch {
    return false
  }
}

/** Reads a dist folder into the entries `classifyDist` takes; `windows`: the programs are for Windows (the runner's, or built under Wine). */
export function scanDist(distDir: string, windows = process.platform === 'win32'): DistEntry[] {
  if (!fs.existsSync(distDir)) return []
  return fs.readdirSync(distDir, { withFileTypes: true }).map((d) => {
    const full = path.join(distDir, d.name)
    if (!d.isDirectory()) return { name: d.name, isDir: false, executable: isRunnable(full, windows) }
    const inner = d.name.endsWith('.app') ? path.join(full, 'Contents', 'MacOS') : full
    const programs = fs.existsSync(inner) ? fs.readdirSync(inner).filter((f) => isRunnable(path.join(inner, f), windows)) : []
    return { name: d.name, isDir: true, programs }
  })
}

/** Moves what a builder made from where it writes to where it is shipped from. */
export function applyMoves(moves: readonly { readonly from: string; readonly to: string }[]): void {
  for (const move of moves) {
    fs.mkdirSync(path.dirname(move.to), { recursive: true })
    fs.renameSync(move.from, move.to)
  }
}

/** The planned builds, once every executable is checked to exist. */
export function checkMade(builder: string, builds: readonly Build[]): Build[] {
  for (const b of builds)
    for (const e of b.executables) if (!fs.existsSync(e.path)) throw new StageError('build', `${builder} finished but ${e.path} was not made.`)
  return [...builds]
}
