/**
 * End to end, locked installs (issue 17): a copy of the tiny fixture that
 * depends on `packaging`, locked by the pinned uv with packaging held at an
 * old release (23.2) that still satisfies pyproject.toml, so a fresh
 * resolve would pick a newer one. The build ships the locked version; the
 * log and the job summary name the lock; the same pins as a pylock.toml
 * ship the same version, and hold a requirements file to them; lock: ignore ships a newer one; a lock
 * made stale by an edit of pyproject.toml fails before anything is built, naming `uv lock`.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { UV_VERSION } from '../../src/install/installers.js'
import { errorAnnotation, expectExit, REPO, runAction, runBuilt, sample, tempDir, type ActionRun } from './harness.js'

const LOCKED = '23.2'

/** The versions of `name` in the SBOM of a run's one build. */
function sbomVersions(run: ActionRun, name: string): string[] {
  const sboms = run.outputs.sbom.split('\n').filter(Boolean)
  expect(sboms).toHaveLength(1)
  const components = (JSON.parse(fs.readFileSync(sboms[0], 'utf8')) as { components?: Component[] }).components ?? []
  return components.filter((c) => c.name === name).map((c) => c.version)
}

/** Runs a program, failing with its output when it does not exit 0. */
function check(program: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync(program, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 })
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} exited with ${r.status}:\n${r.stdout}${r.stderr}`)
  return r.stdout
}

/** A copy of the tiny fixture beside this file's own, relative to the repository (the workspace). */
function copyOfTiny(name: string): string {
  const from = path.join(REPO, sample('tiny'))
  const to = path.join(path.dirname(from), name)
  fs.cpSync(from, to, { recursive: true })
  return to
}

interface Component {
  name: string
  version: string
}

describe('a project with a uv.lock', () => {
  let locked: string
  let run: ActionRun
  let stale: ActionRun
  let ignored: ActionRun
  let pylock: ActionRun
  let conflict: ActionRun

  beforeAll(async () => {
    // The uv release the action bootstraps, from PyPI, into this file's scratch folder.
    const uvDir = tempDir('uv')
    check('python3', ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--target', uvDir, `uv==${UV_VERSION}`], REPO)
    const uv = path.join(uvDir, 'bin', 'uv')
    const uvEnv = { UV_CACHE_DIR: path.join(uvDir, 'cache'), UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1' }

    locked = copyOfTiny('tiny-locked')
    const pyproject = path.join(locked, 'pyproject.toml')
    fs.writeFileSync(pyproject, fs.readFileSync(pyproject, 'utf8').replace('dependencies = []', 'dependencies = ["packaging"]'))
    check(uv, ['lock', '--python', 'python3'], locked, uvEnv)
    // Held back by the lock alone: pyproject.toml still says `packaging`, which a fresh resolve would take at its newest.
    check(uv, ['lock', '--python', 'python3', '--upgrade-package', `packaging==${LOCKED}`], locked, uvEnv)
    expect(fs.readFileSync(path.join(locked, 'uv.lock'), 'utf8')).toContain(`name = "packaging"\nversion = "${LOCKED}"`)

    // The same project after an edit of pyproject.toml that the lock does not know.
    const edited = copyOfTiny('tiny-stale')
    fs.cpSync(path.join(locked, 'uv.lock'), path.join(edited, 'uv.lock'))
    fs.writeFileSync(path.join(edited, 'pyproject.toml'), fs.readFileSync(pyproject, 'utf8').replace('["packaging"]', '["packaging", "six"]'))

    // The same pins as a PEP 751 pylock.toml, without the uv.lock.
    const pep751 = copyOfTiny('tiny-pylock')
    fs.cpSync(pyproject, path.join(pep751, 'pyproject.toml'))
    check(uv, ['export', '--locked', '--format', 'pylock.toml', '--no-emit-project', '--output-file', path.join(pep751, 'pylock.toml')], locked, uvEnv)

    // The same locked project in a folder of its own for lock: ignore: two runs must not build one folder at once
    // (each removes the setuptools litter its install left, which may be the other's).
    const lockedAgain = path.join(path.dirname(locked), 'tiny-locked-ignored')
    fs.cpSync(locked, lockedAgain, { recursive: true })

    // The same pylock.toml, and a requirements file that asks for another version of a locked package.
    const conflicting = copyOfTiny('tiny-pylock-conflict')
    fs.cpSync(pyproject, path.join(conflicting, 'pyproject.toml'))
    fs.cpSync(path.join(pep751, 'pylock.toml'), path.join(conflicting, 'pylock.toml'))
    fs.writeFileSync(path.join(conflicting, 'requirements-newer.txt'), 'packaging==24.0\n')

    const workspace = (dir: string): string => path.relative(REPO, dir)
    // hidden-imports: tiny never imports packaging, so PyInstaller would not ship it otherwise.
    const inputs = { 'project-path': workspace(locked), mode: 'onedir', 'hidden-imports': 'packaging', upload: 'never', cache: 'false' }
    ;[run, stale, ignored, pylock, conflict] = await Promise.all([
      runAction(inputs),
      runAction({ 'project-path': workspace(edited), mode: 'onedir', upload: 'never', cache: 'false' }),
      runAction({ ...inputs, 'project-path': workspace(lockedAgain), lock: 'ignore' }),
      runAction({ ...inputs, 'project-path': workspace(pep751) }),
      runAction({ ...inputs, 'project-path': workspace(conflicting), requirements: 'requirements-newer.txt' })
    ])
  }, 600_000)

  it('installs from the lock with uv sync --locked, and says so in the log and the job summary', () => {
    expectExit(run, 0)
    expect(run.stdout).toContain(`Installing the project and its dependencies as ${path.join(locked, 'uv.lock')} pins them: uv.lock (uv sync --locked)`)
    expect(run.stdout).toMatch(/uv sync --locked --no-editable --no-default-groups --reinstall-package tiny-tool --python /)
    expect(run.summary).toContain('dependencies from uv.lock (uv sync --locked)')
  })

  it('ships the locked version, not the newest one', () => {
    expect(sbomVersions(run, 'packaging')).toEqual([LOCKED])
  })

  it('with lock: ignore, resolves afresh and ships a newer release than the lock holds', () => {
    expectExit(ignored, 0)
    expect(ignored.stdout).toContain('No lock file used (lock: ignore): resolving the dependencies against the index.')
    expect(ignored.summary).not.toContain('dependencies from')
    const [fresh] = sbomVersions(ignored, 'packaging')
    expect(fresh).toMatch(/^\d+\./)
    expect(Number(fresh.split('.')[0])).toBeGreaterThan(Number(LOCKED.split('.')[0]))
  })

  it('installs a pylock.toml as pinned, and names it', () => {
    expectExit(pylock, 0)
    expect(pylock.summary).toContain('dependencies from pylock.toml (uv pip install -r pylock.toml)')
    expect(sbomVersions(pylock, 'packaging')).toEqual([LOCKED])
  })

  it("holds a requirements file to the pylock.toml's pins: asking another version of a locked package fails, naming both (issue 22, defect 5)", () => {
    expectExit(conflict, 1)
    const error = errorAnnotation(conflict)
    expect(error).toContain('install failed: ')
    expect(error).toMatch(/packaging==24\.0/)
    expect(error).toMatch(/packaging==23\.2/)
    expect(error).toContain('held to the versions pylock.toml pins')
    expect(conflict.stdout).not.toMatch(/^build: /m)
  })

  it("rebuilds the project's edited sources on the next run, never the wheel uv's cache kept of the last one", async () => {
    expectExit(run, 0)
    // Same runner temp (uv's cache as the dependency cache restores it), pyproject.toml untouched, one module edited.
    const cli = path.join(locked, 'src', 'tiny_tool', 'cli.py')
    fs.writeFileSync(cli, fs.readFileSync(cli, 'utf8').replace('print("hello from tiny")', 'print("hello from the edited tiny")'))
    const again = await runAction({ 'project-path': path.relative(REPO, locked), mode: 'onedir', upload: 'never', cache: 'false' }, { root: run.root })
    expectExit(again, 0)
    const [exe] = JSON.parse(again.outputs.executables) as { path: string }[]
    expect(runBuilt(exe.path, ['hello'], tempDir('run')).stdout).toBe('hello from the edited tiny\n')
  }, 300_000)

  it('leaves the lock and the project as they were', () => {
    expect(fs.readFileSync(path.join(locked, 'uv.lock'), 'utf8')).toContain(`version = "${LOCKED}"`)
    expect(fs.existsSync(path.join(locked, '.venv'))).toBe(false)
    expect(fs.existsSync(path.join(locked, 'build'))).toBe(false)
  })

  it('fails on a stale lock before building, naming the fix: uv lock', () => {
    expectExit(stale, 1)
    const error = errorAnnotation(stale)
    expect(error).toContain('install failed: ')
    expect(error).toContain('uv.lock does not match pyproject.toml')
    expect(error).toContain('Run `uv lock` in project-path')
    expect(stale.stdout).toMatch(/^install: failed in /m)
    expect(stale.stdout).not.toMatch(/^build: /m)
  })
})
