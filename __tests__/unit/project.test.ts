import { describe, expect, it } from '@jest/globals'
import { InputError, StageError } from '../../src/errors.js'
import { completeProject } from '../../src/project.js'
import { parsePyproject } from '../../src/pyproject.js'
import type { InstalledDistribution } from '../../src/install/metadata.js'
import { specInput } from '../../src/freeze/spec.js'
import { testConfig } from '../../__fixtures__/config.js'
import type { Config } from '../../src/config.js'
import { packageMeta } from '../../src/installers/meta.js'

const INSTALLED: InstalledDistribution = {
  name: 'legacy-tool',
  version: '3.1.4',
  summary: 'A legacy tool',
  author: 'Grace Hopper',
  contacts: [],
  license: '',
  urls: {},
  scripts: { 'legacy-tool': 'legacy_tool.cli:main' },
  guiScripts: { 'legacy-gui': 'legacy_tool.gui:main' },
  mains: [],
  foundBy: 'direct_url.json'
}

/** A config read from a setup.py-only project: nothing static, entry points from the distribution. */
const fromDistribution = (over: Partial<Config> = {}): Config =>
  testConfig({ spec: '', project: parsePyproject('[build-system]\nrequires = ["setuptools"]\n'), entrypointsFrom: 'distribution', ...over })

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (e) {
    return e as Error
  }
  throw new Error('nothing was thrown')
}

describe('completeProject', () => {
  it('takes name, version, summary, author and both script tables from the installed distribution, and says where from', () => {
    const done = completeProject(fromDistribution(), INSTALLED, 'setup.py project')
    expect(done.version).toBe('3.1.4')
    expect(done.config.project).toMatchObject({ name: 'legacy-tool', version: '3.1.4', description: 'A legacy tool', authors: ['Grace Hopper'] })
    expect(done.config.entrypoints).toEqual([
      {
        name: 'legacy-tool',
        target: { kind: 'function', module: 'legacy_tool.cli', attr: 'main' },
        windowed: false,
        source: "console_scripts legacy-tool in the installed distribution's entry_points.txt (setup.py project)"
      },
      {
        name: 'legacy-gui',
        target: { kind: 'function', module: 'legacy_tool.gui', attr: 'main' },
        windowed: true,
        source: "gui_scripts legacy-gui in the installed distribution's entry_points.txt (setup.py project)"
      }
    ])
    expect(done.notes).toEqual([
      "Version 3.1.4, from the installed distribution's metadata (setup.py project).",
      "Name legacy-tool, from the installed distribution's metadata (setup.py project).",
      "Entry points from the installed distribution's entry_points.txt (setup.py project): legacy-tool = legacy_tool.cli:main, legacy-gui = legacy_tool.gui:main (windowed)."
    ])
    expect(Object.isFrozen(done.config)).toBe(true)
  })

  it('feeds the Windows version resource and the product name of the generated spec', () => {
    const done = completeProject(fromDistribution(), INSTALLED, 'setup.py project')
    expect(specInput(done.config, done.version).facts).toEqual({
      version: '3.1.4',
      productName: 'legacy-tool',
      company: 'Grace Hopper',
      description: 'A legacy tool'
    })
  })

  it('keeps the inputs and the static values first', () => {
    const project = parsePyproject('[project]\nname = "static-name"\nversion = "1.0"\ndescription = "static"\n[project.scripts]\ns = "s:main"\n')
    const entry = {
      name: 's',
      target: { kind: 'function', module: 's', attr: 'main' },
      windowed: false,
      source: '[project.scripts] s in pyproject.toml'
    } as const
    const done = completeProject(testConfig({ spec: '', project, entrypoints: [entry], entrypointsFrom: 'pyproject' }), INSTALLED, 'setuptools project')
    expect(done.version).toBe('1.0')
    expect(done.config.project).toMatchObject({ name: 'static-name', description: 'static', authors: ['Grace Hopper'] })
    expect(done.config.entrypoints).toEqual([entry])
    expect(done.notes).toEqual([
      'Version 1.0, from [project] version in pyproject.toml.',
      'Name static-name, from [project] name in pyproject.toml.',
      'Entry points from [project.scripts] and [project.gui-scripts] of pyproject.toml: s = s:main.'
    ])
    const input = completeProject(testConfig({ spec: '', project, version: '9.9', entrypoints: [entry], entrypointsFrom: 'entrypoint' }), INSTALLED, 'x')
    expect(input.version).toBe('9.9')
    expect(input.notes[0]).toBe('Version 9.9, from the version input.')
    expect(input.notes[2]).toBe('Entry points from the entrypoint input: s = s:main.')
  })

  it('takes a dynamic version from the distribution while the scripts stay those of pyproject.toml', () => {
    const project = parsePyproject('[project]\nname = "vcs-app"\ndynamic = ["version"]\n[project.scripts]\nvcs-app = "vcs_app.cli:main"\n')
    const done = completeProject(
      testConfig({ spec: '', project, entrypointsFrom: 'pyproject' }),
      { ...INSTALLED, name: 'vcs-app', version: '2.5.0' },
      'Hatch project'
    )
    expect(done.version).toBe('2.5.0')
    expect(done.notes[0]).toBe("Version 2.5.0, from the installed distribution's metadata (Hatch project).")
  })

  it('picks the script the name input names', () => {
    const done = completeProject(fromDistribution({ name: 'legacy-gui' }), INSTALLED, 'setup.py project')
    expect(done.config.entrypoints.map((e) => e.name)).toEqual(['legacy-gui'])
    const e = thrown(() => completeProject(fromDistribution({ name: 'nope' }), INSTALLED, 'setup.py project')) as InputError
    expect(e.message).toBe(
      "Input 'name': the installed distribution's entry_points.txt (setup.py project) has no console_scripts or gui_scripts entry named 'nope'; it has: legacy-tool, legacy-gui. Give one of those, or leave name empty to build them all."
    )
  })

  it('builds no entry points with a spec, and still takes the version', () => {
    const done = completeProject(testConfig({ project: parsePyproject('[build-system]\n') }), INSTALLED, 'setup.py project')
    expect(done.config.entrypoints).toEqual([])
    expect(done.version).toBe('3.1.4')
    expect(done.notes).toHaveLength(2)
  })

  it('without scripts, names the inputs and the entrypoint line of the __main__ module', () => {
    const none = { ...INSTALLED, scripts: {}, guiScripts: {}, mains: [{ package: 'legacy_tool', source: 'from .cli import main\nmain()\n' }] }
    const e = thrown(() => completeProject(fromDistribution(), none, 'setup.py project')) as InputError
    expect(e).toBeInstanceOf(InputError)
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      "Input 'entrypoint': is not set, nor is spec, and the installed distribution's entry_points.txt (setup.py project) has no console_scripts or gui_scripts to build from. Set entrypoint to what its __main__ module (legacy_tool/__main__.py) runs: `entrypoint: legacy-tool = legacy_tool.cli:main`, or spec (a PyInstaller .spec file)."
    )
    const bare = thrown(() => completeProject(fromDistribution(), { ...none, mains: [] }, 'Poetry project')) as InputError
    expect(bare.message).toBe(
      "Input 'entrypoint': is not set, nor is spec, and the installed distribution's entry_points.txt (Poetry project) has no console_scripts or gui_scripts to build from. Set entrypoint (e.g. `mytool = mypackage.cli:main`), or spec (a PyInstaller .spec file)."
    )
  })

  it('says what to set when no distribution was installed from the project', () => {
    const e = thrown(() => completeProject(fromDistribution({ version: '1.0' }), undefined, 'setup.py project')) as InputError
    expect(e.message).toBe(
      "Input 'entrypoint': is not set, nor is spec; pyproject.toml has no static [project] scripts, and no distribution installed from project-path was found in the build environment to read its entry_points.txt. Set entrypoint (e.g. `mytool = mypackage.cli:main`), or spec (a PyInstaller .spec file)."
    )
    const v = thrown(() => completeProject(fromDistribution(), undefined, 'setup.py project'))
    expect(v).toBeInstanceOf(StageError)
    expect(v.message).toBe(
      'the project version is unknown: pyproject.toml has no static [project] version, and no distribution installed from project-path was found in the build environment. Set the `version` input.'
    )
  })

  it('refuses a bad entry of entry_points.txt, saying where to fix it', () => {
    const e = thrown(() => completeProject(fromDistribution(), { ...INSTALLED, scripts: { 'bad name': 'x:y' } }, 'setup.py project'))
    expect(e.message).toBe(
      "Input 'entrypoint': console_scripts entry `bad name = \"x:y\"` in the installed distribution's entry_points.txt (setup.py project) is not an executable name and module:function. Fix it in the project where it declares its scripts (setup.py, setup.cfg, [tool.poetry.scripts], …), or set entrypoint."
    )
  })

  describe('what the installers say about the package (issue 26 item 2: from [project], or the distribution metadata)', () => {
    const described: InstalledDistribution = {
      ...INSTALLED,
      contacts: ['Grace Hopper <grace@example.org>', 'Alan Turing <alan@example.org>'],
      license: 'MIT',
      urls: { Source: 'https://example.org/legacy/src', Homepage: 'https://example.org/legacy' }
    }

    it('takes the maintainer, license and home page from the installed distribution when pyproject.toml has no [project]', () => {
      const done = completeProject(fromDistribution({ formats: ['archive', 'deb'] }), described, 'setup.py project')
      expect(done.config.project).toMatchObject({ contacts: described.contacts, license: 'MIT', urls: described.urls })
      expect(done.notes).toContain("Package maintainer Grace Hopper <grace@example.org>, from the installed distribution's metadata (setup.py project).")
      expect(packageMeta(done.config, 'legacy-tool', done.version, 0)).toEqual({
        name: 'legacy-tool',
        version: '3.1.4',
        summary: 'A legacy tool',
        license: 'MIT',
        homepage: 'https://example.org/legacy',
        maintainer: 'Grace Hopper <grace@example.org>',
        vendor: 'Grace Hopper',
        epoch: 0
      })
      // Without installers, the log does not speak of a package maintainer.
      expect(completeProject(fromDistribution(), described, 'setup.py project').notes.join('\n')).not.toContain('maintainer')
    })

    it('keeps the input and the static [project] values first', () => {
      const project = parsePyproject(
        '[project]\nname = "s"\nversion = "1"\nlicense = "Apache-2.0"\nauthors = [{name = "Static", email = "s@example.org"}]\n[project.urls]\nHome = "https://static.example"\n'
      )
      const done = completeProject(testConfig({ project, formats: ['deb'] }), described, 'setuptools project')
      expect(packageMeta(done.config, 's', done.version, 0)).toMatchObject({
        license: 'Apache-2.0',
        homepage: 'https://static.example',
        maintainer: 'Static <s@example.org>'
      })
      const input = completeProject(testConfig({ project, formats: ['deb'], packageMaintainer: 'Jane Doe <jane@example.org>' }), described, 'x')
      expect(packageMeta(input.config, 's', input.version, 0).maintainer).toBe('Jane Doe <jane@example.org>')
      expect(input.notes.join('\n')).not.toContain('maintainer')
    })

    it('refuses deb and msi, naming package-maintainer, when neither pyproject.toml nor the installed distribution names anybody', () => {
      const e = thrown(() => completeProject(fromDistribution({ formats: ['archive', 'deb'] }), INSTALLED, 'setup.py project')) as InputError
      expect(e).toBeInstanceOf(InputError)
      expect(e.input).toBe('package-maintainer')
      expect(e.message).toBe(
        "Input 'package-maintainer': is empty, and no maintainer or author is named in pyproject.toml or the installed distribution's metadata (setup.py project), so the deb package would name nobody as its Maintainer. Set package-maintainer: Jane Doe <jane@example.org>, or name the project's maintainer or author with an email where its metadata is written (setup()'s author and author_email, [tool.poetry] authors, or [project] authors)."
      )
      expect(thrown(() => completeProject(fromDistribution({ formats: ['msi'], version: '1' }), undefined, 'x')).message).toMatch(
        /^Input 'package-maintainer': is empty, and no maintainer or author is named in pyproject.toml \(and no distribution installed from project-path was found to read\), so the msi package would name nobody as its Manufacturer\./
      )
      // rpm and dmg name nobody when nobody is known; archives need no one.
      expect(completeProject(fromDistribution({ formats: ['archive', 'rpm'] }), INSTALLED, 'setup.py project').config.project.contacts).toEqual([])
      expect(completeProject(fromDistribution({ formats: ['deb'], packageMaintainer: 'Jane Doe <jane@example.org>' }), INSTALLED, 'x').version).toBe('3.1.4')
    })
  })
})
