/**
 * End to end with builder: nuitka on the tiny fixture: a missing hidden import
 * diagnosed by the smoke test, add-data laid out as PyInstaller lays it out,
 * builder-args on Nuitka's command line, and options Nuitka has no meaning
 * for (or the action sets itself) refused before anything is installed.
 */
import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { errorAnnotation, expectExit, runAction, sample, tempDir } from '../e2e/harness.js'

describe('builder: nuitka failures', () => {
  const tiny = { 'project-path': sample('tiny'), builder: 'nuitka' }

  it('a missing hidden import fails the smoke test, naming the module and the input; add-data lands as with PyInstaller; builder-args reach Nuitka', async () => {
    const report = path.join(tempDir('nuitka-report'), 'report.xml')
    const run = await runAction(
      {
        ...tiny,
        'smoke-test': 'hello\nplugin',
        'add-data': 'assets:.\npackaging/tiny.spec:docs\npackaging/*.spec:specs',
        // Nuitka's own option, after the action's: a compilation report, which Nuitka writes only when asked.
        'builder-args': `--report ${report}`
      },
      { timeoutMs: 900_000 }
    )
    expectExit(run, 1)
    expect(run.stdout).toContain(`--report=${report}`)
    expect(fs.readFileSync(report, 'utf8')).toContain('<nuitka-compilation-report')
    // The build is done before the smoke tests: a folder's contents, a file and a glob, where PyInstaller puts them.
    const folder = path.join(run.runnerTemp, 'build-standalone', 'onedir', 'tiny')
    for (const file of ['not-an-icon.ico', 'docs/tiny.spec', 'specs/tiny.spec', 'specs/tiny_onedir.spec'])
      expect(fs.existsSync(path.join(folder, file))).toBe(true)
    const message = errorAnnotation(run)
    expect(message).toContain(
      "onefile build tiny: `tiny plugin` failed: missing hidden import: the executable does not contain the module 'tiny_tool.plugins.extra', which is imported at run time in a way Nuitka cannot see. Add 'tiny_tool.plugins.extra' to the hidden-imports input (Nuitka's --include-module)."
    )
    expect(run.stdout).toMatch(/^\$ tiny hello .*\n {2}hello from tiny\n {2}passed in/m)
  }, 960_000)

  it.each([
    [
      { spec: 'packaging/tiny.spec' },
      "Input 'spec': is a PyInstaller .spec file (packaging/tiny.spec), and builder is nuitka, which has no spec files. Remove spec and give entrypoint lines (or let the action read [project.scripts]), or set builder: pyinstaller."
    ],
    [
      { 'pyinstaller-version': '6.22.3' },
      "Input 'pyinstaller-version': is set, but builder is nuitka, so pyinstaller is not installed. Remove pyinstaller-version, or set builder: pyinstaller."
    ],
    [
      { 'builder-args': '--output-dir=/tmp/elsewhere' },
      "Input 'builder-args': `--output-dir=/tmp/elsewhere`: the action sets it (it builds in its work folder, then packs the archives into output-dir). Set output-dir instead."
    ],
    [
      { 'hooks-dir': 'packaging' },
      "Input 'hooks-dir': holds PyInstaller hooks, and builder is nuitka, which does not run them. Remove it, or set builder: pyinstaller; Nuitka's own package configuration goes in builder-args (--user-package-configuration-file=…)."
    ]
  ])('refuses %j before installing anything', async (inputs, message) => {
    const run = await runAction({ ...tiny, ...inputs })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toBe(message)
    expect(run.stdout).not.toContain('::group::install')
  })
})
