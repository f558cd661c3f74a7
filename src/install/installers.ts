/**
 * The installers the build environment can be made with, one strategy each:
 * how to bootstrap it, create the venv, install requirements, and which
 * folders hold its download cache.
 */
import { NO_PYTHON_LEAKS, type Command } from '../exec.js'
import { relocateScriptsCommand } from './relocate.js'
import type { Platform } from '../platform.js'
import type { InstallerName } from '../config.js'
import type { LockFile, LockSelection } from './lock.js'

/** The uv release installed from PyPI into the bootstrap folder. */
export const UV_VERSION = '0.13.9'

/** Where an installer keeps what the dependency cache saves. */
export interface CacheLayout {
  /** Root of everything cached, under RUNNER_TEMP. */
  readonly root: string
}

export interface Installer {
  readonly name: InstallerName
  /** A string that changes whenever the installer itself changes (part of the cache key). */
  readonly fingerprint: string
  /** Folders the dependency cache saves and restores. */
  cachePaths(cache: CacheLayout): string[]
  /** Variables every command of this installer gets. */
  env(cache: CacheLayout): Record<string, string | undefined>
  /**
   * The command the post step runs before it saves the dependency cache, to leave out of it what is faster to
   * download again than to restore; undefined when everything is worth keeping.
   */
  pruneCache?(cache: CacheLayout): Command
  /** Commands that make the installer available, given the interpreter found; [] when it already is. */
  bootstrap(python: string, cache: CacheLayout, exists: (p: string) => boolean): Command[]
  /** Commands that create the build venv. */
  createVenv(python: string, venvDir: string, cache: CacheLayout): Command[]
  /** The command that installs `requirements` (pip arguments: paths, `-r file`, specifiers) into the venv. */
  install(venvPython: string, requirements: readonly string[], cache: CacheLayout, cwd: string): Command
  /**
   * The commands that install the project and exactly what `lock` pins for the selection, without resolving
   * against the index, and the constraints file (written by those commands) that holds what is installed beside
   * to the lock's versions; no commands when this installer cannot (findLock refuses such a lock before planning).
   * `python` is the interpreter the venv was made from; `scratch` a folder of the action's for the files it writes.
   */
  installLocked(
    lock: LockFile,
    selection: LockSelection,
    python: string,
    venv: { readonly dir: string; readonly python: string },
    cache: CacheLayout,
    cwd: string,
    scratch: string
  ): LockedInstall
  /**
   * The command that prints, without installing anything, what installing `requirementsFile` (one requirement or
   * `-r file` a line) would install with `python`: every distribution, its version and where it comes from. Its
   * output is part of the build's key (src/reuse/): a new release on the index changes it.
   */
  resolve(python: string, requirementsFile: string, cache: CacheLayout, cwd: string): Command
  /**
   * Commands after the install that make the venv's console scripts independent of its path, so that
   * their RECORD hashes (which PyInstaller may collect) do not change with the build folder.
   */
  finish(venvPython: string): Command[]
}

/** What installing from a lock runs, and the constraints file that keeps what is installed beside at the lock's versions. */
export interface LockedInstall {
  readonly commands: readonly Command[]
  readonly constraints?: string
}

export function pipInstaller(platform: Platform): Installer {
  const cacheDir = (c: CacheLayout): string => platform.path.join(c.root, 'pip')
  const env = (c: CacheLayout): Record<string, string | undefined> => ({
    ...NO_PYTHON_LEAKS,
    PIP_CACHE_DIR: cacheDir(c),
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1'
  })
  return {
    name: 'pip',
    fingerprint: 'pip',
    cachePaths: (c) => [cacheDir(c)],
    env,
    bootstrap: () => [],
    createVenv: (python, venvDir) => [{ program: python, args: ['-m', 'venv', venvDir], env: NO_PYTHON_LEAKS }],
    install: (venvPython, requirements, c, cwd) => ({ program: venvPython, args: ['-m', 'pip', 'install', ...requirements], cwd, env: env(c) }),
    installLocked: () => ({ commands: [] }),
    // pip's installation report (pip 22.2+): what would be installed, with versions, URLs and hashes, as JSON.
    resolve: (python, file, c, cwd) => ({
      program: python,
      args: ['-m', 'pip', 'install', '--dry-run', '--ignore-installed', '--quiet', '--report', '-', '-r', file],
      cwd,
      env: env(c)
    }),
    // pip has no relocatable mode: rewrite the shebangs it wrote (POSIX; Windows gets .exe launchers).
    finish: (venvPython) => (platform.os === 'windows' ? [] : [relocateScriptsCommand(venvPython)])
  }
}

export function uvInstaller(platform: Platform): Installer {
  const p = platform.path
  const cacheDir = (c: CacheLayout): string => p.join(c.root, 'uv')
  const bootstrapDir = (c: CacheLayout): string => p.join(c.root, `uv-${UV_VERSION}`)
  // bin on Windows too: pip --target installs through a temporary --home, whose scheme is posix_home on every OS
  // (sysconfig._get_preferred_schemes: on nt, 'home': 'posix_home'), so uv.exe lands in bin\, not Scripts\.
  // Found by running the action under Wine (issue 23).
  const uv = (c: CacheLayout): string => p.join(bootstrapDir(c), 'bin', `uv${platform.exeSuffix}`)
  const env = (c: CacheLayout): Record<string, string | undefined> => ({
    ...NO_PYTHON_LEAKS,
    UV_CACHE_DIR: cacheDir(c),
    // uv's own default: hard links (Linux, Windows) or clones (macOS) from its cache, which lies beside the venv in
    // the work folder, instead of copying every file (measured on examples/heavy, 330 MB installed: see README,
    // "Speed"). Unset, so that a workflow's UV_LINK_MODE (symlink would point the venv into a cache the post step
    // prunes) is not inherited.
    UV_LINK_MODE: undefined,
    UV_PYTHON_DOWNLOADS: 'never',
    UV_NO_PROGRESS: '1',
    VIRTUAL_ENV: undefined
  })
  return {
    name: 'uv',
    fingerprint: `uv-${UV_VERSION}`,
    cachePaths: (c) => [cacheDir(c), bootstrapDir(c)],
    env,
    // Wheels downloaded as they are (from PyPI or another index) come back faster from the index than from the
    // cache; wheels uv built from source distributions stay (uv's advice for CI, `uv cache prune --ci`).
    pruneCache: (c) => ({ program: uv(c), args: ['cache', 'prune', '--ci'], env: env(c) }),
    bootstrap: (python, c, exists) =>
      exists(uv(c))
        ? []
        : [
            {
              program: python,
              args: ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', bootstrapDir(c), `uv==${UV_VERSION}`],
              env: { ...NO_PYTHON_LEAKS, PIP_CACHE_DIR: p.join(c.root, 'pip') }
            }
          ],
    // --relocatable: console scripts find their interpreter beside themselves instead of naming the venv's path.
    createVenv: (python, venvDir, c) => [{ program: uv(c), args: ['venv', '--relocatable', '--python', python, venvDir], env: env(c) }],
    install: (venvPython, requirements, c, cwd) => ({ program: uv(c), args: ['pip', 'install', '--python', venvPython, ...requirements], cwd, env: env(c) }),
    installLocked: (lock, selection, python, venv, c, cwd, scratch) => {
      const extras = selection.extras.flatMap((e) => ['--extra', e])
      const groups = selection.groups.flatMap((g) => ['--group', g])
      if (lock.kind === 'uv.lock') {
        const constraints = p.join(scratch, 'uv-lock-constraints.txt')
        return {
          constraints,
          commands: [
            // Into the action's venv (UV_PROJECT_ENVIRONMENT), from the lock's own URLs and hashes: no resolution.
            // --locked fails when uv.lock does not match pyproject.toml (--frozen would not check); --no-editable
            // installs the project as a wheel, which the builder collects like any other; --no-default-groups: only
            // the dependency-groups input's groups (uv would add `dev`); --python: the venv's interpreter, whatever
            // .python-version says. --reinstall-package: uv keeps the wheel it built of the project in its cache
            // and reuses it while pyproject.toml's mtime stands still (seen with 0.13.9: an edited module was not
            // rebuilt), and the dependency cache brings that wheel back on the next run: build the sources anew.
            {
              program: uv(c),
              args: [
                'sync',
                '--locked',
                '--no-editable',
                '--no-default-groups',
                ...extras,
                ...groups,
                ...(selection.project ? ['--reinstall-package', selection.project] : []),
                '--python',
                python
              ],
              cwd,
              env: { ...env(c), UV_PROJECT_ENVIRONMENT: venv.dir }
            },
            // The same pins as constraints for what is installed beside (the builder, requirements files): a
            // builder that needs another version of a locked package fails to install instead of replacing it.
            {
              program: uv(c),
              args: [
                'export',
                '--locked',
                '--format',
                'requirements-txt',
                '--no-hashes',
                '--no-emit-project',
                '--no-emit-local',
                '--no-default-groups',
                ...extras,
                ...groups,
                '--no-emit-package',
                selection.builder,
                '--python',
                python,
                '--output-file',
                constraints
              ],
              cwd,
              env: env(c)
            }
          ]
        }
      }
      // PEP 751: every package of the lock as pinned (its markers decide extras and groups), then the project alone.
      return {
        commands: [
          { program: uv(c), args: ['pip', 'install', '--python', venv.python, '-r', lock.path, ...extras, ...groups], cwd, env: env(c) },
          { program: uv(c), args: ['pip', 'install', '--python', venv.python, '--no-deps', cwd], cwd, env: env(c) }
        ]
      }
    },
    // Pinned versions and the hashes of every file of each, sorted; without the comments naming what needs what.
    resolve: (python, file, c, cwd) => ({
      program: uv(c),
      args: ['pip', 'compile', '--quiet', '--no-header', '--no-annotate', '--generate-hashes', '--python', python, file],
      cwd,
      env: env(c)
    }),
    finish: () => []
  }
}

export function installerFor(name: InstallerName, platform: Platform): Installer {
  return name === 'uv' ? uvInstaller(platform) : pipInstaller(platform)
}
