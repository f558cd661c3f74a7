/**
 * End to end: projects of other build backends, built as they are, with no
 * entrypoint and no version input. A Poetry-core project with
 * [tool.poetry.scripts] and no [project] table; a hatch-vcs project whose
 * version is the git tag of a repository made here. The backends come from
 * PyPI. Every executable is run from its archive. And the plug-in host of
 * __tests__/e2e/any-project.test.ts without its hook (the smoke test fails),
 * and from its own spec with builder-args handed to the spec after --.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as path from 'node:path'
import { errorAnnotation, expectExit, REPO, runAction, runBuilt, sample, sampleVariant, unpackAsset, type ActionRun } from '../e2e/harness.js'

const BUILD_TIMEOUT = 900_000

interface AssetOut {
  name: string
  path: string
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' }
  })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`)
}

describe('a Poetry-core project: [tool.poetry] name, version and scripts, no [project] table', () => {
  let run: ActionRun
  beforeAll(async () => {
    run = await runAction({
      'project-path': sample('poetry'),
      // The frozen program reads its own version through importlib.metadata: PyInstaller ships it when told to.
      'builder-args': '--copy-metadata poetry-app',
      'smoke-test': 'hello',
      upload: 'never'
    })
  }, BUILD_TIMEOUT)

  it('reads the version and the script from the installed distribution, and says so', () => {
    expectExit(run, 0)
    expect(run.stdout).toContain("Version 0.9.2, from the installed distribution's metadata (Poetry project).")
    expect(run.stdout).toContain("Entry points from the installed distribution's entry_points.txt (Poetry project): poetry-app = poetry_app.cli:run.")
    expect(run.outputs.version).toBe('0.9.2')
  })

  it('names the archives with it, and the program runs', () => {
    const names = (JSON.parse(run.outputs.assets) as AssetOut[]).map((a) => a.name).filter((n) => n.endsWith('.tar.gz'))
    expect(names.sort()).toEqual(['poetry-app-0.9.2-linux-x64-onedir.tar.gz', 'poetry-app-0.9.2-linux-x64.tar.gz'])
    const dest = unpackAsset(run, 'poetry-app-0.9.2-linux-x64.tar.gz')
    expect(runBuilt(path.join(dest, 'poetry-app'), ['hello'], dest)).toMatchObject({
      status: 0,
      stdout: 'poetry-app runs: hello; metadata version 0.9.2\n'
    })
  })
})

describe('a hatch-vcs project: the version is the git tag', () => {
  let run: ActionRun
  beforeAll(async () => {
    // A repository of its own, inside the workspace (git finds this one first), tagged v2.5.0.
    const copy = path.join(REPO, sampleVariant('vcs', 'vcs-tagged'))
    git(copy, 'init', '-q')
    git(copy, 'add', '.')
    git(copy, 'commit', '-q', '-m', 'vcs-app')
    git(copy, 'tag', 'v2.5.0')
    run = await runAction({ 'project-path': path.relative(REPO, copy), 'smoke-test': '', upload: 'never' }, { env: { GITHUB_REF: 'refs/tags/v2.5.0' } })
  }, BUILD_TIMEOUT)

  it('takes the version from the tag through the installed distribution; the scripts from pyproject.toml', () => {
    expectExit(run, 0)
    expect(run.stdout).toContain("Version 2.5.0, from the installed distribution's metadata (Hatch project).")
    expect(run.stdout).toContain('Entry points from [project.scripts] and [project.gui-scripts] of pyproject.toml: vcs-app = vcs_app.cli:main.')
    expect(run.outputs.version).toBe('2.5.0')
    // The pushed tag agrees with the version: no warning.
    expect(run.stdout).not.toContain('::warning::The pushed tag')
  })

  it('names the archives with it, and the program runs', () => {
    const dest = unpackAsset(run, 'vcs-app-2.5.0-linux-x64.tar.gz')
    expect(runBuilt(path.join(dest, 'vcs-app'), [], dest)).toMatchObject({ status: 0, stdout: 'vcs-app built from a tagged commit\n' })
  })
})

describe('the plug-in host, without its hook and from its own spec', () => {
  const plugins = { 'project-path': sample('plugins'), mode: 'onefile', upload: 'never' }

  it(
    'without the hook, the smoke test fails on the plug-in PyInstaller could not see',
    async () => {
      const run = await runAction({ ...plugins, 'smoke-test': 'check' })
      expectExit(run, 1)
      expect(errorAnnotation(run)).toContain("the executable does not contain the module 'plughost.plugins', which is imported at run time")
    },
    BUILD_TIMEOUT
  )

  it(
    "with the project's spec, hands builder-args to the spec after --",
    async () => {
      const run = await runAction({ ...plugins, mode: '', spec: 'packaging/plughost.spec', 'builder-args': '--flavour nightly', 'smoke-test': 'check' })
      expectExit(run, 0)
      expect(run.stdout).toMatch(/\S+plughost\.spec -- --flavour nightly/)
      const dest = unpackAsset(run, 'plughost-nightly-0.4.0-linux-x64.tar.gz')
      expect(runBuilt(path.join(dest, 'plughost-nightly'), [], dest).stdout).toContain('alpha: alpha says hello\nbeta: beta says hello\nruntime hook: ran\n')
    },
    BUILD_TIMEOUT
  )
})
