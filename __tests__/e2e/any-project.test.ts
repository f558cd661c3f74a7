/**
 * End to end: projects as they are. A setup.py-only project (pyproject.toml
 * holds only [build-system]) built with no entrypoint and no version input:
 * its name, version and console and GUI scripts come from the distribution
 * the action installed, and so do its .deb and .rpm's maintainer,
 * description, license and home page (no package-maintainer input). A project whose plug-ins are imported by name, built
 * with its own PyInstaller hook (hooks-dir), a runtime hook (runtime-hooks)
 * and PyInstaller options (builder-args). Every executable is run from its
 * archive. (The same project without its hook, and from its own spec with
 * builder-args after --, are in __tests__/long/backends.test.ts.)
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
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
    // formats with deb and no package-maintainer: only the installed distribution names the maintainer.
    run = await runAction({ 'project-path': sample('legacy'), 'smoke-test': '--version', formats: 'archive, deb, rpm', upload: 'never' })
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

  it("makes its .deb and .rpm with the maintainer, description, license and home page of the installed distribution's metadata", () => {
    expectExit(run, 0)
    expect(run.stdout).toContain("Package maintainer Grace Hopper <grace@example.org>, from the installed distribution's metadata (setup.py project).")
    const installers = assetsOf(run).filter((a) => a.mode === 'deb' || a.mode === 'rpm')
    expect(installers.map((a) => a.name)).toEqual(['legacy-tool_3.1.4_amd64.deb', 'legacy-tool-3.1.4-1.x86_64.rpm'])
    const deb = installers[0].path
    const field = (name: string): string => spawnSync('dpkg-deb', ['--field', deb, name], { encoding: 'utf8' }).stdout.trim()
    expect(field('Package')).toBe('legacy-tool')
    expect(field('Version')).toBe('3.1.4')
    expect(field('Maintainer')).toBe('Grace Hopper <grace@example.org>')
    expect(field('Homepage')).toBe('https://example.org/legacy-tool')
    expect(field('Description')).toBe('A setup.py-only fixture: console_scripts and gui_scripts, version from the package\n https://example.org/legacy-tool')
    expect(spawnSync('dpkg-deb', ['--info', deb], { encoding: 'utf8' }).status).toBe(0)
    // The one-folder build under /opt, its executables linked into /usr/bin.
    const contents = spawnSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8' }).stdout
    expect(contents).toMatch(/^-rwxr-xr-x 0\/0 .* \.\/opt\/legacy-tool\/legacy-tool$/m)
    expect(contents).toMatch(/ \.\/usr\/bin\/legacy-tool -> \/opt\/legacy-tool\/legacy-tool$/m)
    // RPM carries the license (a .deb has no field for it), from setup()'s license.
    const rpm = spawnSync('rpm', ['-qp', '--queryformat', '%{LICENSE}|%{PACKAGER}|%{URL}|%{SUMMARY}', installers[1].path], { encoding: 'utf8' })
    expect(rpm.stdout).toBe(
      'MIT|Grace Hopper <grace@example.org>|https://example.org/legacy-tool|A setup.py-only fixture: console_scripts and gui_scripts, version from the package'
    )
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
    'refuses a deb after the install, before the build, when neither pyproject.toml nor the installed distribution names a maintainer',
    async () => {
      const copy = sampleVariant('legacy', 'legacy-nobody')
      const setup = path.join(REPO, copy, 'setup.py')
      fs.writeFileSync(setup, fs.readFileSync(setup, 'utf8').replace(/ {4}author(_email)?="[^"]*",\n/g, ''))
      const failed = await runAction({ 'project-path': copy, formats: 'archive, deb', upload: 'never' })
      expectExit(failed, 1)
      expect(errorAnnotation(failed)).toBe(
        "Input 'package-maintainer': is empty, and no maintainer or author is named in pyproject.toml or the installed distribution's metadata (setup.py project), so the deb package would name nobody as its Maintainer. Set package-maintainer: Jane Doe <jane@example.org>, or name the project's maintainer or author with an email where its metadata is written (setup()'s author and author_email, [tool.poetry] authors, or [project] authors)."
      )
      expect(failed.stdout).toContain('::group::install')
      expect(failed.stdout).not.toContain('-m PyInstaller')
    },
    BUILD_TIMEOUT
  )

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
