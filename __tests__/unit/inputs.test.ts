import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { parse } from 'yaml'
import { InputError } from '../../src/errors.js'
import { readConfig } from '../../src/inputs/index.js'
import { INPUT_NAMES } from '../../src/inputs/names.js'
import { checkExtras, checkGroups } from '../../src/inputs/python.js'
import { NO_PYPROJECT, parsePyproject } from '../../src/pyproject.js'
import { inputErrorOf, readInputs } from '../../__fixtures__/read-config.js'
import { type Config, DEFAULT_NUITKA_VERSION, DEFAULT_PYINSTALLER_VERSION, DEFAULT_PYTHON_VERSION, DEFAULT_SMOKE_TIMEOUT_SECONDS } from '../../src/config.js'

const PYPROJECT = `
[project]
name = "demo-app"
version = "2.4.0"

[project.optional-dependencies]
Dev_Tools = ["ruff"]
gui = ["pyside6"]

[dependency-groups]
test = ["pytest>=8"]
Docs_Build = ["mkdocs", {include-group = "test"}]
`

const GROUPS_ONLY = `
[project]
name = "groups-only"
version = "0.1.0"

[dependency-groups]
dev = ["pytest"]
`

let root: string
let workspace: string
let runnerTemp: string
let env: Record<string, string>

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-inputs-'))
  workspace = path.join(root, 'ws')
  runnerTemp = path.join(root, 'runner-temp')
  fs.mkdirSync(runnerTemp)
  const write = (rel: string, text: string): void => {
    const file = path.join(workspace, rel)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, text)
  }
  write('proj/pyproject.toml', PYPROJECT)
  write('proj/packaging/app.spec', '# spec\n')
  write('proj/packaging/notes.txt', 'not a spec\n')
  write('proj/requirements.txt', 'requests\n')
  write('proj/requirements-dev.txt', 'pytest\n')
  write('groups/pyproject.toml', GROUPS_ONLY)
  write('groups/app.spec', '# spec\n')
  write('legacy/setup.py', 'from setuptools import setup\nsetup()\n')
  write('legacy/app.spec', '# spec\n')
  write('bare/app.spec', '# spec\n')
  write('broken/pyproject.toml', '[project\nname = "x"\n')
  write('broken/app.spec', '# spec\n')
  env = { RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: workspace }
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

const BASE: Record<string, string> = { 'project-path': 'proj', spec: 'packaging/app.spec' }

function read(inputs: Record<string, string> = {}, environment: Record<string, string | undefined> = env): Config {
  return readInputs({ ...BASE, ...inputs }, environment)
}

function inputError(inputs: Record<string, string>, environment: Record<string, string | undefined> = env): InputError {
  return inputErrorOf(() => read(inputs, environment), inputs)
}

describe('readConfig defaults', () => {
  it('fills in every default', () => {
    const c = read()
    const projectDir = path.join(workspace, 'proj')
    expect(c.pythonVersion).toBe('3.11')
    expect(DEFAULT_PYTHON_VERSION).toBe('3.11')
    expect(c.builderRequirement).toBe('pyinstaller==6.22.3')
    expect(DEFAULT_PYINSTALLER_VERSION).toBe('6.22.3')
    expect(c.smokeTimeoutSeconds).toBe(60)
    expect(DEFAULT_SMOKE_TIMEOUT_SECONDS).toBe(60)
    expect(c.projectDir).toBe(projectDir)
    expect(c.spec).toBe(path.join(projectDir, 'packaging', 'app.spec'))
    expect(c.workDir).toBe(path.join(runnerTemp, 'build-standalone'))
    expect(c.outputDir).toBe(path.join(runnerTemp, 'build-standalone', 'out'))
    expect(c.extras).toEqual([])
    expect(c.dependencyGroups).toEqual([])
    expect(c.requirements).toEqual([])
    expect(c.smokeTests).toEqual([])
    expect(c.name).toBe('')
    expect(c.version).toBe('')
    expect(c.toolCache).toBe('')
    expect(c.ref).toBe('')
    expect(c.project.name).toBe('demo-app')
    expect(c.project.version).toBe('2.4.0')
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('defaults project-path to the workspace', () => {
    const c = readConfig((name) => ({ spec: 'packaging/app.spec' })[name] ?? '', { ...env, GITHUB_WORKSPACE: path.join(workspace, 'proj') })
    expect(c.projectDir).toBe(path.join(workspace, 'proj'))
  })

  it('reads the tool cache, falling back to AGENT_TOOLSDIRECTORY, and GITHUB_REF', () => {
    expect(read({}, { ...env, RUNNER_TOOL_CACHE: '/opt/hostedtoolcache', AGENT_TOOLSDIRECTORY: '/other', GITHUB_REF: 'refs/tags/v1.0.0' })).toMatchObject({
      toolCache: '/opt/hostedtoolcache',
      ref: 'refs/tags/v1.0.0'
    })
    expect(read({}, { ...env, AGENT_TOOLSDIRECTORY: '/agent/tools' }).toolCache).toBe('/agent/tools')
  })
})

describe('readConfig valid values', () => {
  it('accepts every input set', () => {
    const c = read({
      'python-version': ' 3.12.4 ',
      extras: 'Dev_Tools, gui',
      'dependency-groups': 'docs.build\ntest',
      requirements: 'requirements.txt\n# comment\nrequirements-dev.txt',
      'pyinstaller-version': '6.10.0',
      name: 'demo_app-1.x',
      version: '2.4.0+local.1',
      'smoke-test': `--help\n# a comment\n\nsay "hello world" 'it''s'`,
      'smoke-timeout': '2.5',
      'output-dir': 'out/assets'
    })
    const projectDir = path.join(workspace, 'proj')
    expect(c.pythonVersion).toBe('3.12.4')
    expect(c.extras).toEqual(['dev-tools', 'gui'])
    expect(c.dependencyGroups).toEqual(['docs-build', 'test'])
    expect(c.requirements).toEqual([path.join(projectDir, 'requirements.txt'), path.join(projectDir, 'requirements-dev.txt')])
    expect(c.builderRequirement).toBe('pyinstaller==6.10.0')
    expect(c.name).toBe('demo_app-1.x')
    expect(c.version).toBe('2.4.0+local.1')
    expect(c.smokeTests).toEqual([
      { line: '--help', only: '', args: ['--help'] },
      { line: `say "hello world" 'it''s'`, only: '', args: ['say', 'hello world', 'its'] }
    ])
    expect(c.smokeTimeoutSeconds).toBe(2.5)
    expect(c.outputDir).toBe(path.join(workspace, 'out', 'assets'))
    expect(c.project.dependencyGroups['docs-build']).toEqual(['mkdocs', 'pytest>=8'])
  })

  it.each([['3'], ['3.x'], ['3.11'], ['3.11.x'], ['3.13.1']])('accepts python-version %s', (v) => {
    expect(read({ 'python-version': v }).pythonVersion).toBe(v)
  })

  it('turns a pyinstaller-version specifier into a requirement without spaces', () => {
    expect(read({ 'pyinstaller-version': '>=6.10, <7' }).builderRequirement).toBe('pyinstaller>=6.10,<7')
    expect(read({ 'pyinstaller-version': '~=6.10' }).builderRequirement).toBe('pyinstaller~=6.10')
    expect(read({ 'pyinstaller-version': '==6.*' }).builderRequirement).toBe('pyinstaller==6.*')
  })

  it('keeps a shell metacharacter in a smoke-test line as a literal argument', () => {
    expect(read({ 'smoke-test': '--help; touch /tmp/pwned' }).smokeTests).toEqual([
      { line: '--help; touch /tmp/pwned', only: '', args: ['--help;', 'touch', '/tmp/pwned'] }
    ])
  })

  it('accepts an absolute output-dir inside the workspace or RUNNER_TEMP', () => {
    expect(read({ 'output-dir': path.join(workspace, 'abs-out') }).outputDir).toBe(path.join(workspace, 'abs-out'))
    expect(read({ 'output-dir': path.join(runnerTemp, 'out') }).outputDir).toBe(path.join(runnerTemp, 'out'))
  })

  it('accepts a setup.py project without pyproject.toml and any extra there', () => {
    const c = read({ 'project-path': 'legacy', spec: 'app.spec', extras: 'anything' })
    expect(c.project).toBe(NO_PYPROJECT)
    expect(c.extras).toEqual(['anything'])
  })

  it('accepts any extra when the project declares optional-dependencies dynamic', () => {
    const facts = parsePyproject('[project]\nname = "d"\ndynamic = ["optional-dependencies"]\n')
    expect(() => checkExtras(['whatever'], facts)).not.toThrow()
  })
})

describe('readConfig errors', () => {
  it('refuses a missing RUNNER_TEMP', () => {
    const e = inputError({}, { GITHUB_WORKSPACE: workspace })
    expect(e.input).toBe('RUNNER_TEMP')
    expect(e.message).toBe(
      "Input 'RUNNER_TEMP': the environment variable is not set. Run the action on a GitHub runner, or use the command-line entry (dist/cli/index.js), which sets it."
    )
  })

  it.each([['abc'], ['3.11-dev'], ['v3.11'], ['3.11.9.1'], ['pypy3.10']])('refuses python-version %s', (v) => {
    const e = inputError({ 'python-version': v })
    expect(e.input).toBe('python-version')
    expect(e.message).toBe(
      `Input 'python-version': '${v}' is not a Python version. Give a version such as '3.11', '3.11.9', '3.x' or a specifier such as '>=3.10,<3.13'.`
    )
  })

  it('refuses a missing project-path', () => {
    const e = inputError({ 'project-path': 'nope' })
    expect(e.input).toBe('project-path')
    expect(e.message).toBe(
      `Input 'project-path': 'nope' does not exist (looked for ${path.join(workspace, 'nope')}). Give the folder that holds pyproject.toml, relative to the workspace.`
    )
  })

  it('refuses a project-path without pyproject.toml, setup.py or setup.cfg', () => {
    const e = inputError({ 'project-path': 'bare', spec: 'app.spec' })
    expect(e.input).toBe('project-path')
    expect(e.message).toBe(
      `Input 'project-path': ${path.join(workspace, 'bare')} has no pyproject.toml, setup.py or setup.cfg. Point project-path at the folder of the Python project to build.`
    )
  })

  it('refuses an invalid pyproject.toml', () => {
    const e = inputError({ 'project-path': 'broken', spec: 'app.spec' })
    expect(e.input).toBe('project-path')
    expect(e.message).toMatch(
      new RegExp(
        `^Input 'project-path': ${path.join(workspace, 'broken', 'pyproject.toml').replace(/[.\\]/g, '\\$&')} is not valid TOML: .+\\. Fix pyproject.toml\\.$`
      )
    )
  })

  it('with no spec, no entrypoint and no [project.scripts], asks for one of them', () => {
    const e = inputError({ spec: '  ' })
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      "Input 'entrypoint': is not set, nor is spec, and pyproject.toml has no [project.scripts] or [project.gui-scripts] to build from. Set entrypoint (e.g. `mytool = mypackage.cli:main`), or spec (a PyInstaller .spec file)."
    )
  })

  it('refuses a spec that is not a .spec file', () => {
    const e = inputError({ spec: 'packaging/notes.txt' })
    expect(e.input).toBe('spec')
    expect(e.message).toBe("Input 'spec': 'packaging/notes.txt' is not a .spec file. Give the path of the PyInstaller .spec file, relative to project-path.")
  })

  it('refuses a missing spec', () => {
    const e = inputError({ spec: 'packaging/missing.spec' })
    expect(e.input).toBe('spec')
    expect(e.message).toBe(
      `Input 'spec': packaging/missing.spec does not exist (looked for ${path.join(workspace, 'proj', 'packaging', 'missing.spec')}). Give the path of the PyInstaller .spec file relative to project-path (proj).`
    )
  })

  it('refuses a missing requirements file', () => {
    const e = inputError({ requirements: 'requirements.txt\nreqs/missing.txt' })
    expect(e.input).toBe('requirements')
    expect(e.message).toBe(
      `Input 'requirements': reqs/missing.txt does not exist (looked for ${path.join(workspace, 'proj', 'reqs', 'missing.txt')}). Give the path of the requirements file relative to project-path (proj).`
    )
  })

  it.each([['dev; touch /tmp/pwned'], ['dev]'], ['$(id)'], ['a b'], ['-dev']])('refuses a name with shell characters: %s', (name) => {
    const e = inputError({ name })
    expect(e.input).toBe('name')
    expect(e.message).toBe(
      `Input 'name': '${name}' is not a usable file name. Use letters, digits, dots, dashes and underscores, starting with a letter or digit.`
    )
  })

  it.each([['1.0/../x'], ['1.0 beta'], ['.1'], ['1;2']])('refuses version %s', (version) => {
    const e = inputError({ version })
    expect(e.input).toBe('version')
    expect(e.message).toBe(`Input 'version': '${version}' is not a usable version. Use a version such as '1.2.3' (letters, digits, '.', '+', '!', '-', '_').`)
  })

  it.each([['dev;touch'], ['gui[x]'], ['$(id)'], ['a|b'], ['a&&b']])('refuses extras with shell characters: %s', (extra) => {
    const e = inputError({ extras: extra })
    expect(e.input).toBe('extras')
    expect(e.message).toBe(
      `Input 'extras': '${extra}' is not a valid name. Names use letters, digits, dots, dashes and underscores; give one a line or separate them with commas.`
    )
  })

  it('refuses dependency-groups with shell characters', () => {
    const e = inputError({ 'dependency-groups': 'test; rm -rf /' })
    expect(e.input).toBe('dependency-groups')
    expect(e.message).toBe(
      "Input 'dependency-groups': 'test; rm -rf /' is not a valid name. Names use letters, digits, dots, dashes and underscores; give one a line or separate them with commas."
    )
  })

  it.each([['6; rm -rf /'], ['latest'], ['>=6 <7'], ['6.10 , <7'], ['$(id)']])('refuses pyinstaller-version %s', (v) => {
    const e = inputError({ 'pyinstaller-version': v })
    expect(e.input).toBe('pyinstaller-version')
    expect(e.message).toBe(
      `Input 'pyinstaller-version': '${v}' is not a version or version specifier. Give a version such as '6.22.3' or a specifier such as '>=6.10,<7'.`
    )
  })

  it.each([['0'], ['x'], ['-5'], ['Infinity'], ['NaN'], ['0x10'], ['1e-9'], ['1e3'], ['0.5'], ['21601'], ['2147484'], ['99999999999999999999'], [' 1 0']])(
    'refuses smoke-timeout %j, outside 1 to 21600 s or not a plain decimal number',
    (v) => {
      const e = inputError({ 'smoke-timeout': v })
      expect(e.input).toBe('smoke-timeout')
      expect(e.message).toBe(`Input 'smoke-timeout': '${v.trim()}' is not a number of seconds from 1 to 21600 s (6 hours). Give a number such as 60.`)
    }
  )

  it('accepts smoke-timeout at both ends of its range', () => {
    expect(read({ 'smoke-timeout': '1' }).smokeTimeoutSeconds).toBe(1)
    expect(read({ 'smoke-timeout': '21600' }).smokeTimeoutSeconds).toBe(21600)
  })

  it('refuses a smoke-test line with an unclosed quote', () => {
    const e = inputError({ 'smoke-test': `--help\nsay 'hello` })
    expect(e.input).toBe('smoke-test')
    expect(e.message).toBe(
      "Input 'smoke-test': the line `say 'hello` cannot be split into arguments: it has an unclosed single quote. Close the quote or escape the character with a backslash."
    )
  })

  it('refuses a smoke-test line ending in a lone backslash', () => {
    const e = inputError({ 'smoke-test': 'list \\' })
    expect(e.input).toBe('smoke-test')
    expect(e.message).toBe(
      "Input 'smoke-test': the line `list \\` cannot be split into arguments: it ends with a lone backslash. Close the quote or escape the character with a backslash."
    )
  })
})

describe('extras and dependency-groups against the project', () => {
  it('refuses an extra that is a dependency group and says to use dependency-groups', () => {
    const e = inputError({ 'project-path': 'groups', spec: 'app.spec', extras: 'dev' })
    expect(e.input).toBe('extras')
    expect(e.message).toBe(
      "Input 'extras': the project defines no extra 'dev', but it has a dependency group 'dev' ([dependency-groups] in pyproject.toml). Use `dependency-groups: dev` instead of `extras: dev`."
    )
  })

  it('accepts the same name as dependency-groups', () => {
    expect(read({ 'project-path': 'groups', spec: 'app.spec', 'dependency-groups': 'DEV' }).dependencyGroups).toEqual(['dev'])
  })

  it('refuses an undefined extra and lists the defined ones', () => {
    const e = inputError({ extras: 'docs' })
    expect(e.input).toBe('extras')
    expect(e.message).toBe(
      "Input 'extras': the project defines no extra 'docs' in [project.optional-dependencies]; pip would only warn and install without it. It defines: dev-tools, gui. Remove it or use one the project defines."
    )
  })

  it('says when the project defines no extras at all', () => {
    const e = inputError({ 'project-path': 'groups', spec: 'app.spec', extras: 'gui' })
    expect(e.message).toBe(
      "Input 'extras': the project defines no extra 'gui' in [project.optional-dependencies]; pip would only warn and install without it. It defines no extras. Remove it or use one the project defines."
    )
  })

  it('refuses an undefined group that is an extra, with a hint to use extras', () => {
    const e = inputError({ 'dependency-groups': 'gui' })
    expect(e.input).toBe('dependency-groups')
    expect(e.message).toBe(
      "Input 'dependency-groups': the project defines no dependency group 'gui' in [dependency-groups] of pyproject.toml. It has an extra 'gui': use `extras: gui` instead."
    )
  })

  it('refuses an undefined group and lists the defined ones', () => {
    const e = inputError({ 'dependency-groups': 'lint' })
    expect(e.input).toBe('dependency-groups')
    expect(e.message).toBe(
      "Input 'dependency-groups': the project defines no dependency group 'lint' in [dependency-groups] of pyproject.toml. It defines: test, docs-build. Remove it or use one the project defines."
    )
  })

  it('refuses a group when the project has none', () => {
    const e = inputError({ 'project-path': 'legacy', spec: 'app.spec', 'dependency-groups': 'dev' })
    expect(e.input).toBe('dependency-groups')
    expect(e.message).toBe(
      "Input 'dependency-groups': the project defines no dependency group 'dev' in [dependency-groups] of pyproject.toml. Remove it or use one the project defines."
    )
  })

  it('normalizes a valid extra and group', () => {
    const c = read({ extras: 'dev.tools\nGUI', 'dependency-groups': 'Docs_Build' })
    expect(c.extras).toEqual(['dev-tools', 'gui'])
    expect(c.dependencyGroups).toEqual(['docs-build'])
  })

  it('accepts any extra when pyproject.toml has no [project] table (metadata in setup.cfg or setup.py)', () => {
    expect(() => checkExtras(['dev'], parsePyproject('[build-system]\nrequires = ["setuptools"]\n'))).not.toThrow()
    expect(() => checkExtras(['dev'], parsePyproject('[project]\nname = "x"\nversion = "1"\n'))).toThrow("the project defines no extra 'dev'")
  })

  it('checkExtras and checkGroups accept defined names', () => {
    const facts = parsePyproject(PYPROJECT)
    expect(() => checkExtras(['dev-tools', 'gui'], facts)).not.toThrow()
    expect(() => checkGroups(['test', 'docs-build'], facts)).not.toThrow()
  })
})

describe('action.yml', () => {
  const action = parse(fs.readFileSync(fileURLToPath(new URL('../../action.yml', import.meta.url)), 'utf8')) as {
    inputs: Record<string, { description?: unknown; default?: unknown; required?: unknown }>
  }

  it('declares exactly INPUT_NAMES', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort())
    expect(new Set(INPUT_NAMES).size).toBe(INPUT_NAMES.length)
  })

  it('gives every input a description and a default', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect({ name, description: typeof input.description }).toEqual({ name, description: 'string' })
      expect((input.description as string).trim().length).toBeGreaterThan(10)
      expect({ name, default: typeof input.default }).toEqual({ name, default: 'string' })
    }
  })

  it('has the defaults that readConfig uses', () => {
    expect(action.inputs['python-version'].default).toBe('')
    expect(read({}).pythonVersion).toBe(DEFAULT_PYTHON_VERSION)
    // Empty defaults, so that setting the other builder's version input can be refused; the descriptions name the release.
    expect(action.inputs['pyinstaller-version'].default).toBe('')
    expect(action.inputs['pyinstaller-version'].description).toContain(DEFAULT_PYINSTALLER_VERSION)
    expect(action.inputs['nuitka-version'].default).toBe('')
    expect(action.inputs['nuitka-version'].description).toContain(DEFAULT_NUITKA_VERSION)
    expect(action.inputs.builder.default).toBe('pyinstaller')
    expect(action.inputs['smoke-timeout'].default).toBe(String(DEFAULT_SMOKE_TIMEOUT_SECONDS))
    expect(action.inputs['project-path'].default).toBe('.')
  })

  it('reads a config from the action.yml defaults plus a spec', () => {
    const c = readConfig((name) => (name === 'spec' ? 'packaging/app.spec' : name === 'project-path' ? 'proj' : String(action.inputs[name].default)), env)
    expect(c.pythonVersion).toBe('3.11')
    expect(c.builderRequirement).toBe('pyinstaller==6.22.3')
    expect(c.smokeTimeoutSeconds).toBe(60)
    expect(c.outputDir).toBe(path.join(runnerTemp, 'build-standalone', 'out'))
  })
})

describe('output-dir is checked at the inputs stage (issue 14, defect 5)', () => {
  const FIX = 'Give a folder relative to the workspace, such as standalone-dist (or one inside RUNNER_TEMP).'

  it.each([['out\n::warning title=x::injected'], ['out\u0000x'], ['out\rx'], ['a\u001b[31mred']])('refuses %j, which holds a control character', (value) => {
    const e = inputErrorOf(() => read({ 'output-dir': value }), { 'output-dir': value })
    expect(e.input).toBe('output-dir')
    expect(e.message).toMatch(/holds (a|the) control character/)
    for (const c of ['\n', '\r', '\u0000', '\u001b']) expect(e.message).not.toContain(c)
  })

  it.each([['/tmp/elsewhere'], ['../outside'], ['out/../../outside']])('refuses %j, outside the workspace', (value) => {
    const e = inputErrorOf(() => read({ 'output-dir': value }), { 'output-dir': value })
    expect(e.input).toBe('output-dir')
    expect(e.message).toContain(`leads outside the workspace (${workspace}) or RUNNER_TEMP (${runnerTemp})`)
    expect(e.message).toContain(FIX)
  })

  it('refuses a link in the workspace that leads out of it', () => {
    fs.symlinkSync(os.tmpdir(), path.join(workspace, 'tmp-link'))
    try {
      const e = inputErrorOf(() => read({ 'output-dir': 'tmp-link/out' }), {})
      expect(e.message).toContain('through a symbolic link')
    } finally {
      fs.unlinkSync(path.join(workspace, 'tmp-link'))
    }
  })

  it('refuses a path through a file', () => {
    const e = inputErrorOf(() => read({ 'output-dir': 'proj/pyproject.toml/out' }), {})
    expect(e.message).toBe(
      `Input 'output-dir': ${path.join(workspace, 'proj', 'pyproject.toml')} is a file, not a folder, so the archives could not be written there. ${FIX}`
    )
  })

  const nonRoot = process.getuid?.() === 0 ? it.skip : it
  nonRoot('refuses a folder it may not write into', () => {
    const locked = path.join(workspace, 'locked')
    fs.mkdirSync(locked, { mode: 0o555 })
    try {
      const e = inputErrorOf(() => read({ 'output-dir': 'locked/out' }), {})
      expect(e.message).toBe(`Input 'output-dir': ${locked} is not writable (EACCES), so the archives could not be written there. ${FIX}`)
    } finally {
      fs.chmodSync(locked, 0o755)
    }
  })
})
