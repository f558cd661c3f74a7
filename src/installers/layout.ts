/**
 * Which build an installer holds and the files it installs: the one-folder
 * build when there is one (a .app on macOS), else the one-file executable
 * with its notices beside it; every entry named relative to the install
 * folder, in the archives' order (a folder before its contents, sorted).
 */
import * as path from 'node:path'
import { type ArchiveEntry, listEntries } from '../archive.js'
import type { Build } from '../freeze/builds.js'
import type { Platform } from '../platform.js'

/** The build an installer is made from: one-folder (or the .app), else one-file; undefined when there is none. */
export function installedBuild<B extends Build>(builds: readonly B[], prefer: readonly Build['mode'][] = ['onedir', 'app', 'onefile']): B | undefined {
  for (const mode of prefer) {
    const hit = builds.find((b) => b.mode === mode)
    if (hit) return hit
  }
  return undefined
}

/** One entry of the install folder: `name` relative to it ('' never), folders without a trailing '/'. */
export type InstallEntry = ArchiveEntry

/**
 * The install folder's entries: a one-folder build's contents (its own
 * folder left out), or a one-file executable and `beside` (its notices).
 */
export function installEntries(platform: Pick<Platform, 'os'>, build: Build, beside: readonly string[] = []): InstallEntry[] {
  if (build.mode === 'onefile') return [build.root, ...beside].flatMap((f) => listEntries(platform, f)).sort((a, b) => (a.name < b.name ? -1 : 1))
  const prefix = `${path.basename(build.root)}/`
  return listEntries(platform, build.root)
    .slice(1)
    .map((e) => ({
      ...e,
      name: e.name.slice(prefix.length).replace(/\/$/, ''),
      ...(e.type === 'link' ? { linkname: (e.linkname as string).slice(prefix.length) } : {})
    }))
}

/** Where each executable of the build lies in the install folder, relative to it, by its name. */
export function executablesIn(build: Build): { name: string; path: string }[] {
  if (build.mode === 'onefile') return build.executables.map((e) => ({ name: e.name, path: path.basename(build.root) }))
  return build.executables.map((e) => ({ name: e.name, path: path.relative(build.root, e.path).split(path.sep).join('/') }))
}
