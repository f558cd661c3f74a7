/**
 * End to end: projects as they are. A setup.py-only project (pyproject.toml
 * holds only [build-system]) built with no entrypoint and no version input:
 * its name, version and console and GUI scripts come from the distribution
 * the action installed. A project whose plug-ins are imported by name, built
 * with its own PyInstaller hook (hooks-dir), a runtime hook (runtime-hooks)
 * and PyInstaller options (builder-args). Every executable is run from its
 * archive. (The same project without its hook, and from its own spec with
 * builder-args after --, are in __tests__/long/backends.test.ts.)
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { errorAnnotation, expectExit, REPO, runAction, runBuilt, sample, sampleVariant, unpackAsset, type ActionRun } from './harness.js'

const BUILD_TIMEOUT = 900_000

interface AssetOut {
  name: string
  path: string
  mode: string
}

const assetsOf = (run: ActionRun): AssetOut[] => JSON.parse(run.outputs.assets) as AssetOut[]

/** The venv's python3.X folder under lib/. */
const PYTHON_DIR = (run: ActionRun): string =>
  fs.readdirSync(path.join(run.runnerTemp, 'build-standalone', 'venv', 'lib')).find((d) => d.startsWith('python')) as string

describe('a setup.py-only project, with no entrypoint and no version input', () => {
  let run: ActionRun
  beforeAll(async () => {
    run = await runAction({ 'project-path': sample('legacy'), 'smoke-test': '--version', upload: 'never' })
  }, BUILD_TIMEOUT)

  it('takes the version, the name and both scripts from the installed distribution, and says so', () => {
    expectExit(run, 0)
    expect(run.stdout).toContain("Version 3.1.4, from the installed distribution's metadata (setup.py project).")
    expect(run.stdout).toContain("Name legacy-tool, from the installed distribution's metadata (setup.py project).")
    expect(run.stdout).toContain(
      "Entry points from the installed distribution's entry_points.txt (setup.py project): legacy-tool = legacy_tool.cli:main, legacy-gui = legacy_tool.gui:main (windowed)."
    )
    expect(run.outputs.version).toBe('3.1.4')
  })

  it('names every archive with the version from setup.py', () => {
    expect(
      assetsOf(run)
        .filter((a) => a.name.endsWith('.tar.gz'))
        .map((a) => a.name)
        .sort()
    ).toEqual(['legacy-gui-3.1.4-linux-x64.tar.gz', 'legacy-tool-3.1.4-linux-x64-onedir.tar.gz', 'legacy-tool-3.1.4-linux-x64.tar.gz'])
  })

  it('builds executables that run from their archives, the GUI script among them', () => {
    const cli = unpackAsset(run, 'legacy-tool-3.1.4-linux-x64.tar.gz')
    const version = runBuilt(path.join(cli, 'legacy-tool'), ['--version'], cli)
    expect(version).toMatchObject({ status: 0, stdout: 'legacy-tool 3.1.4\n' })
    const gui = unpackAsset(run, 'legacy-gui-3.1.4-linux-x64.tar.gz')
    expect(runBuilt(path.join(gui, 'legacy-gui'), [], gui)).toMatchObject({ status: 0, stdout: 'legacy-gui 3.1.4: window opened and closed\n' })
    const folder = path.join(unpackAsset(run, 'legacy-tool-3.1.4-linux-x64-onedir.tar.gz'), 'legacy-tool')
    expect(runBuilt(path.join(folder, 'legacy-tool'), ['a', 'b'], folder)).toMatchObject({ status: 0, stdout: 'legacy-tool says hello (a b)\n' })
  })

  it(
    'when the distribution declares no scripts, names the inputs and the line that builds its __main__ module',
    async () => {
      const copy = sampleVariant('legacy', 'legacy-noscripts')
      const setup = path.join(REPO, copy, 'setup.py')
      fs.writeFileSync(setup, fs.readFileSync(setup, 'utf8').replace(/ {4}entry_points=\{[^}]*\},\n/s, ''))
      const failed = await runAction({ 'project-path': copy, upload: 'never' })
      expectExit(failed, 1)
      expect(errorAnnotation(failed)).toBe(
        "Input 'entrypoint': is not set, nor is spec, and the installed distribution's entry_points.txt (setup.py project) has no console_scripts or gui_scripts to build from. Set entrypoint to what its __main__ module (legacy_tool/__main__.py) runs: `entrypoint: legacy-tool = legacy_tool.cli:main`, or spec (a PyInstaller .spec file)."
      )
      expect(failed.stdout).not.toContain('-m PyInstaller')
    },
    BUILD_TIMEOUT
  )
})

describe('a project whose plug-ins are imported by name, with its own hooks', () => {
  const plugins = { 'project-path': sample('plugins'), mode: 'onefile', upload: 'never' }

  it(
    'builds with hooks-dir, runtime-hooks and builder-args: the hook adds the plug-ins, the runtime hook runs, --optimize 2 applies',
    async () => {
      const run = await runAction({
        ...plugins,
        mode: 'both',
        'hooks-dir': 'hooks',
        'runtime-hooks': 'rthooks/mark.py',
        'builder-args': '--optimize 2\n--log-level=WARN\n--contents-directory support\n--bootloader-ignore-signals',
        'smoke-test': 'check'
      })
      expectExit(run, 0)
      expect(run.stdout).toMatch(/-m PyInstaller --noconfirm --distpath \S+ --workpath \S+ --log-level=WARN \S+build-standalone\.spec/)
      const spec = fs.readFileSync(path.join(run.runnerTemp, 'build-standalone', 'spec', 'build-standalone.spec'), 'utf8')
      expect(spec).toContain(`hookspath=["${path.join(REPO, sample('plugins'), 'hooks')}"]`)
      const expected = "alpha: alpha says hello\nbeta: beta says hello\nruntime hook: ran\noptimize: 2, asserts: off\nargv: ['check']\n"
      const dest = unpackAsset(run, 'plughost-0.4.0-linux-x64.tar.gz')
      expect(runBuilt(path.join(dest, 'plughost'), ['check'], dest)).toMatchObject({ status: 0, stdout: expected })
      // --contents-directory reached the one-folder build.
      const folder = path.join(unpackAsset(run, 'plughost-0.4.0-linux-x64-onedir.tar.gz'), 'plughost')
      expect(fs.readdirSync(folder).sort()).toEqual(['THIRD-PARTY-NOTICES.txt', 'plughost', 'support'])
      expect(runBuilt(path.join(folder, 'plughost'), ['check'], folder)).toMatchObject({ status: 0, stdout: expected })
      // PyInstaller ignores a keyword it does not know: every one the generated spec gives EXE is one this PyInstaller reads.
      const api = fs.readFileSync(
        path.join(run.runnerTemp, 'build-standalone', 'venv', 'lib', PYTHON_DIR(run), 'site-packages', 'PyInstaller', 'building', 'api.py'),
        'utf8'
      )
      const keywords = new Set(
        spec
          .split('\n')
          .filter((l) => / = EXE\(/.test(l))
          .flatMap((l) => [...l.matchAll(/, ([a-z_]+)=/g)].map((m) => m[1]))
      )
      expect(keywords.size).toBeGreaterThan(10)
      for (const k of keywords)
        expect({ keyword: k, read: api.includes(`kwargs.get('${k}'`) || api.includes(`kwargs.get("${k}"`) || new RegExp(`\\b${k}=`).test(api) }).toEqual({
          keyword: k,
          read: true
        })
    },
    BUILD_TIMEOUT
  )

  it('refuses an option the action sets itself before installing anything, naming the input that sets it', async () => {
    const run = await runAction({ ...plugins, 'builder-args': '--onefile' })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toBe("Input 'builder-args': `--onefile`: the mode input sets it. Set mode: onefile (or both) instead.")
    expect(run.stdout).not.toContain('::group::install')
  })
})
