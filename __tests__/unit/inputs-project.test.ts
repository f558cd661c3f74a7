/**
 * The inputs that take a project as it is: where the entry points will come
 * from (the entrypoint input, pyproject.toml now, or the installed
 * distribution after the install), the __main__ hint when pyproject.toml
 * says there are no scripts, hooks-dir, runtime-hooks and builder-args.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { inputErrorOf, readInputs } from '../../__fixtures__/read-config.js'
import { NO_BUILDER_ARGS } from '../../src/config.js'
import { projectKind, scriptsAreStatic, parsePyproject } from '../../src/pyproject.js'

let root: string
let workspace: string
let env: Record<string, string>

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-inputs-project-'))
  workspace = path.join(root, 'ws')
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true })
    fs.writeFileSync(path.join(workspace, rel), text)
  }
  write('setup-only/setup.py', 'from setuptools import setup\nsetup()\n')
  write('build-system/pyproject.toml', '[build-system]\nrequires = ["setuptools"]\n')
  write('build-system/setup.py', 'from setuptools import setup\nsetup()\n')
  write('dynamic/pyproject.toml', '[project]\nname = "dyn"\ndynamic = ["version", "scripts"]\n')
  write('static/pyproject.toml', '[project]\nname = "Static_Tool"\nversion = "1.0"\n[project.scripts]\nstatic-tool = "static_tool.cli:main"\n')
  write('none/pyproject.toml', '[project]\nname = "Quiet_Tool"\nversion = "1.0"\n')
  write('none/src/quiet_tool/__init__.py', '')
  write('none/src/quiet_tool/__main__.py', 'from .cli import run\n\nif __name__ == "__main__":\n    run()\n')
  write('none-bare/pyproject.toml', '[project]\nname = "bare"\nversion = "1.0"\n')
  write('static/hooks/hook-static_tool.py', 'hiddenimports = []\n')
  write('static/rthooks/env.py', 'import os\n')
  write('static/lib/extra.py', '')
  write('outside-hooks/hook-x.py', 'hiddenimports = []\n')
  fs.symlinkSync(path.join(workspace, 'outside-hooks'), path.join(workspace, 'static', 'linked-hooks'))
  fs.mkdirSync(path.join(workspace, 'static', 'leaky-hooks'))
  fs.symlinkSync(path.join(workspace, 'outside-hooks'), path.join(workspace, 'static', 'leaky-hooks', 'escape'))
  fs.mkdirSync(path.join(root, 'runner-temp'))
  env = { RUNNER_TEMP: path.join(root, 'runner-temp'), GITHUB_WORKSPACE: workspace }
})

afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const read = (inputs: Record<string, string>) => readInputs(inputs, env)
const refused = (inputs: Record<string, string>) => inputErrorOf(() => read(inputs), inputs)

describe('where the entry points come from', () => {
  it('reads [project.scripts] now when pyproject.toml declares them', () => {
    const c = read({ 'project-path': 'static' })
    expect(c.entrypointsFrom).toBe('pyproject')
    expect(c.entrypoints.map((e) => e.name)).toEqual(['static-tool'])
  })

  it('leaves them to the installed distribution when pyproject.toml does not say (setup.py, no [project], dynamic scripts)', () => {
    for (const project of ['setup-only', 'build-system', 'dynamic']) {
      const c = read({ 'project-path': project })
      expect({ project, from: c.entrypointsFrom, entrypoints: c.entrypoints }).toEqual({ project, from: 'distribution', entrypoints: [] })
    }
  })

  it('takes the entrypoint input first, and builds none with a spec', () => {
    expect(read({ 'project-path': 'setup-only', entrypoint: 'x = x.cli:main' }).entrypointsFrom).toBe('entrypoint')
    fs.writeFileSync(path.join(workspace, 'setup-only', 'app.spec'), '# spec\n')
    expect(read({ 'project-path': 'setup-only', spec: 'app.spec' }).entrypointsFrom).toBe('spec')
  })

  it('fails at once when a static [project] has no scripts, with the line that builds its __main__ module', () => {
    const e = refused({ 'project-path': 'none' })
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      "Input 'entrypoint': is not set, nor is spec, and pyproject.toml has no [project.scripts] or [project.gui-scripts] to build from. Set entrypoint to what its __main__ module (quiet_tool/__main__.py) runs: `entrypoint: quiet-tool = quiet_tool.cli:run`, or spec (a PyInstaller .spec file)."
    )
    expect(refused({ 'project-path': 'none-bare' }).message).toBe(
      "Input 'entrypoint': is not set, nor is spec, and pyproject.toml has no [project.scripts] or [project.gui-scripts] to build from. Set entrypoint (e.g. `mytool = mypackage.cli:main`), or spec (a PyInstaller .spec file)."
    )
  })
})

describe('hooks-dir and runtime-hooks', () => {
  const project = { 'project-path': 'static' }

  it('reads folders of hooks and runtime-hook files inside the project', () => {
    const c = read({ ...project, 'hooks-dir': 'hooks', 'runtime-hooks': 'rthooks/env.py' })
    expect(c.hooksDirs).toEqual([path.join(workspace, 'static', 'hooks')])
    expect(c.runtimeHooks).toEqual([path.join(workspace, 'static', 'rthooks', 'env.py')])
  })

  it.each([
    [{ 'hooks-dir': '../outside-hooks' }, 'hooks-dir', '../outside-hooks leads outside the project'],
    [{ 'hooks-dir': 'linked-hooks' }, 'hooks-dir', 'through a symbolic link, so the build would run code of the machine that builds.'],
    [{ 'hooks-dir': 'leaky-hooks' }, 'hooks-dir', 'leaky-hooks holds a symbolic link that leads outside the project (escape)'],
    [{ 'hooks-dir': 'rthooks/env.py' }, 'hooks-dir', 'rthooks/env.py is a file'],
    [{ 'hooks-dir': 'missing' }, 'hooks-dir', 'missing does not exist'],
    [{ 'runtime-hooks': 'rthooks' }, 'runtime-hooks', 'rthooks is a folder'],
    [{ 'runtime-hooks': '/etc/hostname' }, 'runtime-hooks', 'leads outside the project']
  ])('refuses %j', (inputs, input, problem) => {
    const e = refused({ ...project, ...inputs })
    expect(e.input).toBe(input)
    expect(e.message).toContain(problem)
  })

  it('takes a folder outside the project when the line says so', () => {
    expect(read({ ...project, 'hooks-dir': '../outside-hooks (outside-project)' }).hooksDirs).toEqual([path.join(workspace, 'outside-hooks')])
  })

  it('refuses them with builder nuitka, which runs no PyInstaller hooks', () => {
    const e = refused({ ...project, builder: 'nuitka', 'runtime-hooks': 'rthooks/env.py' })
    expect(e.message).toBe(
      "Input 'runtime-hooks': holds PyInstaller hooks, and builder is nuitka, which does not run them. Remove it, or set builder: pyinstaller; Nuitka's own package configuration goes in builder-args (--user-package-configuration-file=…)."
    )
  })
})

describe('builder-args through readConfig', () => {
  it('reads the lines for the builder and the way it builds', () => {
    expect(read({ 'project-path': 'static' }).builderArgs).toBe(NO_BUILDER_ARGS)
    expect(read({ 'project-path': 'static', 'builder-args': '--paths lib\n--clean' }).builderArgs).toMatchObject({
      lines: ['--paths lib', '--clean'],
      command: ['--clean'],
      spec: { pathex: [path.join(workspace, 'static', 'lib')] }
    })
    expect(read({ 'project-path': 'static', builder: 'nuitka', 'builder-args': '--lto yes' }).builderArgs.command).toEqual(['--lto=yes'])
    fs.writeFileSync(path.join(workspace, 'static', 'app.spec'), '# spec\n')
    expect(read({ 'project-path': 'static', spec: 'app.spec', 'builder-args': '--onefile\n--x y' }).builderArgs.specArgs).toEqual(['--onefile', '--x', 'y'])
  })

  it('refuses an option the action sets, naming the input that sets it', () => {
    expect(refused({ 'project-path': 'static', 'builder-args': '--clean\n--name other' }).message).toBe(
      "Input 'builder-args': `--name other`: the name input sets it. Name each executable in its entrypoint line (`name = module:function`), or in [project.scripts]."
    )
  })
})

describe('pyproject.toml facts for the installed distribution', () => {
  it('says when the scripts are static', () => {
    expect(scriptsAreStatic(parsePyproject('[project]\nname = "a"\n'))).toBe(true)
    expect(scriptsAreStatic(parsePyproject('[project]\nname = "a"\ndynamic = ["scripts"]\n'))).toBe(false)
    expect(scriptsAreStatic(parsePyproject('[project]\nname = "a"\ndynamic = ["entry-points"]\n'))).toBe(false)
    expect(scriptsAreStatic(parsePyproject('[build-system]\nrequires = []\n'))).toBe(false)
  })

  it('names the kind of project from its build backend', () => {
    const kind = (text: string, files: string[] = []): string => projectKind(parsePyproject(text), (f) => files.includes(f))
    expect(kind('[build-system]\nbuild-backend = "setuptools.build_meta"\n', ['setup.py'])).toBe('setup.py project')
    expect(kind('', ['setup.py'])).toBe('setup.py project')
    expect(kind('[build-system]\nbuild-backend = "setuptools.build_meta:__legacy__"\n', ['setup.cfg'])).toBe('setup.cfg project')
    expect(kind('[build-system]\nbuild-backend = "setuptools.build_meta"\n')).toBe('setuptools project')
    expect(kind('[build-system]\nbuild-backend = "poetry.core.masonry.api"\n')).toBe('Poetry project')
    expect(kind('[build-system]\nbuild-backend = "hatchling.build"\n')).toBe('Hatch project')
    expect(kind('[build-system]\nbuild-backend = "flit_core.buildapi"\n')).toBe('Flit project')
    expect(kind('[build-system]\nbuild-backend = "pdm.backend"\n')).toBe('PDM project')
    expect(kind('[build-system]\nbuild-backend = "maturin"\n')).toBe('maturin project')
    expect(kind('[build-system]\nbuild-backend = "mybackend.api"\n')).toBe('mybackend.api project')
    expect(kind('')).toBe('project without a build backend (setuptools by default)')
  })
})
