import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { GENERATED_SPEC_INPUTS } from '../../src/inputs/names.js'
import { parseBoolean } from '../../src/inputs/values.js'
import { parseCollect, parseMode } from '../../src/inputs/build.js'
import type { Config } from '../../src/config.js'
import { inputErrorOf, readInputs } from '../../__fixtures__/read-config.js'

const PYPROJECT = `
[project]
name = "chatty"
version = "1.0.0"

[project.scripts]
chatty = "chatty.cli:main"
chatty-web = "chatty.web:serve [web]"

[project.gui-scripts]
chatty-gui = "chatty.gui:main"
`

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d])
const ICO = Buffer.from([0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10, 0x00, 0x00])
const BMP = Buffer.from([0x42, 0x4d, 0x36, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
const ICON_FIX = 'Give a .ico file (Windows), a .icns file (macOS), or a .png (converted when Pillow is installed).'

let root: string
let workspace: string
let projectDir: string
let env: Record<string, string>

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-inputs-gen-'))
  workspace = path.join(root, 'ws')
  projectDir = path.join(workspace, 'proj')
  fs.mkdirSync(path.join(root, 'runner-temp'), { recursive: true })
  const write = (rel: string, content: string | Buffer): void => {
    const file = path.join(workspace, rel)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, content)
  }
  write('proj/pyproject.toml', PYPROJECT)
  write('proj/packaging/app.spec', '# spec\n')
  write('proj/tools/serve.py', 'print("serving")\n')
  write('proj/icons/app.png', PNG)
  write('proj/icons/app.ico', ICO)
  write('proj/icons/fake.ico', PNG)
  write('proj/icons/app.bmp', BMP)
  write('proj/icons/tiny.png', Buffer.from([0x89, 0x50]))
  write('proj/data/a.json', '{}\n')
  write('proj/data/b.json', '{}\n')
  write('proj/templates/page.txt', 'hello\n')
  write('proj/hooks/hook-chatty.py', 'hiddenimports = []\n')
  write('proj/rthooks/env.py', 'import os\n')
  write('noscripts/pyproject.toml', '[project]\nname = "bare"\nversion = "0.1"\n')
  env = { RUNNER_TEMP: path.join(root, 'runner-temp'), GITHUB_WORKSPACE: workspace }
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

function read(inputs: Record<string, string> = {}): Config {
  return readInputs({ 'project-path': 'proj', ...inputs }, env)
}

function inputError(inputs: Record<string, string>): InputError {
  return inputErrorOf(() => read(inputs), inputs)
}

function thrown(fn: () => unknown): InputError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError, nothing was thrown')
}

describe('parseMode', () => {
  it.each([
    ['', { onefile: true, onedir: true }],
    ['both', { onefile: true, onedir: true }],
    ['Both', { onefile: true, onedir: true }],
    ['onefile', { onefile: true, onedir: false }],
    ['onedir', { onefile: false, onedir: true }],
    [' ONEDIR ', { onefile: false, onedir: true }],
    ['onefile, onedir', { onefile: true, onedir: true }],
    ['onedir\nonefile', { onefile: true, onedir: true }],
    ['onefile,onefile', { onefile: true, onedir: false }]
  ])('%j → %j', (raw, modes) => {
    expect(parseMode(raw)).toEqual(modes)
  })

  it('refuses a mode it does not know', () => {
    const e = thrown(() => parseMode('onefile, bundle'))
    expect(e.input).toBe('mode')
    expect(e.message).toBe("Input 'mode': 'bundle' is not a build mode. Write onefile, onedir or both.")
    expect(thrown(() => parseMode('single')).message).toBe("Input 'mode': 'single' is not a build mode. Write onefile, onedir or both.")
  })

  it('refuses both next to another mode', () => {
    const e = thrown(() => parseMode('both,onefile'))
    expect(e.input).toBe('mode')
    expect(e.message).toBe("Input 'mode': 'both,onefile' mixes both with another mode. Write onefile, onedir or both.")
    expect(thrown(() => parseMode('onedir, both')).message).toBe("Input 'mode': 'onedir, both' mixes both with another mode. Write onefile, onedir or both.")
  })
})

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    [' true ', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['', false],
    ['  ', false]
  ])('%j → %s', (raw, value) => {
    expect(parseBoolean('upx', raw)).toBe(value)
  })

  it.each([['yes'], ['1'], ['tRUE'], ['on'], ['no']])('refuses %j, naming the input', (raw) => {
    const e = thrown(() => parseBoolean('strip', raw))
    expect(e.input).toBe('strip')
    expect(e.message).toBe(`Input 'strip': '${raw}' is not true or false. Write true or false.`)
  })
})

describe('parseCollect', () => {
  it.each([
    ['rich', { kind: 'all', package: 'rich' }],
    ['all:rich', { kind: 'all', package: 'rich' }],
    ['submodules: chatty.plugins', { kind: 'submodules', package: 'chatty.plugins' }],
    ['data :certifi', { kind: 'data', package: 'certifi' }],
    ['  _private.pkg  ', { kind: 'all', package: '_private.pkg' }]
  ])('%j → %j', (line, rule) => {
    expect(parseCollect(line)).toEqual(rule)
  })

  it.each([['binaries:pkg'], ['data:'], ['data:my-pkg'], ['two words'], ['pkg..sub'], ['1pkg']])('refuses %j', (line) => {
    const e = thrown(() => parseCollect(line))
    expect(e.input).toBe('collect')
    expect(e.message).toBe(
      `Input 'collect': \`${line}\` is not [all|submodules|data:] package. Write a package name (collects its submodules, data files and binaries), or submodules:package or data:package.`
    )
  })
})

describe('readConfig entry points', () => {
  it('reads the entrypoint lines, without spec', () => {
    const c = read({ entrypoint: 'chatty = chatty.cli:main\n# a comment\n\nchatty-gui = chatty.gui:main (windowed)\ntools/serve.py' })
    expect(c.spec).toBe('')
    expect(c.entrypoints).toEqual([
      { name: 'chatty', target: { kind: 'function', module: 'chatty.cli', attr: 'main' }, windowed: false, source: 'entrypoint `chatty = chatty.cli:main`' },
      {
        name: 'chatty-gui',
        target: { kind: 'function', module: 'chatty.gui', attr: 'main' },
        windowed: true,
        source: 'entrypoint `chatty-gui = chatty.gui:main (windowed)`'
      },
      { name: 'serve', target: { kind: 'script', path: 'tools/serve.py' }, windowed: false, source: 'entrypoint `tools/serve.py`' }
    ])
    expect(Object.isFrozen(c.entrypoints)).toBe(true)
  })

  it('names a single unnamed line after the name input, else after the matching project script', () => {
    expect(read({ entrypoint: 'chatty.cli:main', name: 'talk' }).entrypoints.map((e) => e.name)).toEqual(['talk'])
    expect(read({ entrypoint: 'chatty.web:serve' }).entrypoints.map((e) => e.name)).toEqual(['chatty-web'])
  })

  it('refuses a script that does not exist', () => {
    const e = inputError({ entrypoint: 'tools/missing.py' })
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      `Input 'entrypoint': tools/missing.py does not exist (looked for ${path.join(projectDir, 'tools', 'missing.py')}). Give the path of the script relative to project-path (proj).`
    )
  })

  it('refuses a malformed entrypoint line', () => {
    const e = inputError({ entrypoint: 'chatty = chatty.cli' })
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      "Input 'entrypoint': `chatty = chatty.cli` is neither module:function nor a .py script path. Write each line as `name = package.module:function` or `name = path/to/script.py`, optionally followed by (windowed)."
    )
  })

  it('without spec and entrypoint, builds [project.scripts] and [project.gui-scripts]', () => {
    const c = read()
    expect(c.spec).toBe('')
    expect(c.entrypoints).toEqual([
      {
        name: 'chatty',
        target: { kind: 'function', module: 'chatty.cli', attr: 'main' },
        windowed: false,
        source: '[project.scripts] chatty in pyproject.toml'
      },
      {
        name: 'chatty-web',
        target: { kind: 'function', module: 'chatty.web', attr: 'serve' },
        windowed: false,
        source: '[project.scripts] chatty-web in pyproject.toml'
      },
      {
        name: 'chatty-gui',
        target: { kind: 'function', module: 'chatty.gui', attr: 'main' },
        windowed: true,
        source: '[project.gui-scripts] chatty-gui in pyproject.toml'
      }
    ])
    expect(c.onefile).toBe(true)
    expect(c.onedir).toBe(true)
  })

  it('picks one project script with name, and refuses a name it lacks', () => {
    expect(read({ name: 'chatty-gui' }).entrypoints.map((e) => [e.name, e.windowed])).toEqual([['chatty-gui', true]])
    const e = inputError({ name: 'chat' })
    expect(e.input).toBe('name')
    expect(e.message).toBe(
      "Input 'name': pyproject.toml has no [project.scripts] or [project.gui-scripts] entry named 'chat'; it has: chatty, chatty-web, chatty-gui. Give one of those, or leave name empty to build them all."
    )
  })

  it('asks for entrypoint or spec when the project has no scripts', () => {
    const e = inputError({ 'project-path': 'noscripts' })
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      "Input 'entrypoint': is not set, nor is spec, and pyproject.toml has no [project.scripts] or [project.gui-scripts] to build from. Set entrypoint (e.g. `mytool = mypackage.cli:main`), or spec (a PyInstaller .spec file)."
    )
  })

  it('reads mode into onefile and onedir', () => {
    expect(read({ mode: 'onefile' })).toMatchObject({ onefile: true, onedir: false })
    expect(read({ mode: 'onedir' })).toMatchObject({ onefile: false, onedir: true })
    expect(inputError({ mode: 'app' }).message).toBe("Input 'mode': 'app' is not a build mode. Write onefile, onedir or both.")
  })
})

describe('readConfig with spec', () => {
  const VALUES: Record<string, string> = {
    entrypoint: 'chatty = chatty.cli:main',
    mode: 'onefile',
    icon: 'icons/app.png',
    'hidden-imports': 'chatty.plugins',
    collect: 'rich',
    'add-data': 'data:data',
    'exclude-modules': 'tkinter',
    'hooks-dir': 'hooks',
    'runtime-hooks': 'rthooks/env.py',
    upx: 'true',
    strip: 'True'
  }

  it('has a value here for every input that shapes the generated spec', () => {
    expect(Object.keys(VALUES).sort()).toEqual([...GENERATED_SPEC_INPUTS].sort())
  })

  it.each(Object.entries(VALUES))('refuses %s next to spec', (input, value) => {
    const e = inputError({ spec: 'packaging/app.spec', [input]: value })
    expect(e.input).toBe(input)
    expect(e.message).toBe(
      `Input '${input}': shapes the spec the action generates from entry points, but spec is set (packaging/app.spec), so it would have no effect. Make the change in your .spec file, or remove spec.`
    )
  })

  it('accepts upx and strip set to false next to spec, and builds no entry points', () => {
    const c = read({ spec: 'packaging/app.spec', upx: 'false', strip: 'FALSE' })
    expect(c.spec).toBe(path.join(projectDir, 'packaging', 'app.spec'))
    expect(c.entrypoints).toEqual([])
    expect(c.upx).toBe(false)
    expect(c.strip).toBe(false)
  })

  it('refuses a upx value that is not a boolean, naming upx', () => {
    const e = inputError({ spec: 'packaging/app.spec', upx: 'yes' })
    expect(e.input).toBe('upx')
    expect(e.message).toBe("Input 'upx': 'yes' is not true or false. Write true or false.")
  })
})

describe('readConfig add-data', () => {
  it('reads source:destination and source;destination, relative to the project', () => {
    expect(read({ 'add-data': 'data:assets\ndata/a.json;.\ntemplates : web/templates' }).addData).toEqual([
      { source: path.join(projectDir, 'data'), dest: 'assets' },
      { source: path.join(projectDir, 'data', 'a.json'), dest: '.' },
      { source: path.join(projectDir, 'templates'), dest: 'web/templates' }
    ])
  })

  it('accepts a glob whose folder exists', () => {
    expect(read({ 'add-data': 'data/*.json:config' }).addData).toEqual([{ source: path.join(projectDir, 'data', '*.json'), dest: 'config' }])
  })

  it('refuses a glob whose folder is missing', () => {
    const e = inputError({ 'add-data': 'nope/*.json:config' })
    expect(e.input).toBe('add-data')
    expect(e.message).toBe(
      `Input 'add-data': nope/*.json does not exist (looked for ${path.join(projectDir, 'nope')}). Give a file or folder relative to project-path.`
    )
  })

  it('refuses a missing source', () => {
    const e = inputError({ 'add-data': 'data:data\nmissing.txt:.' })
    expect(e.input).toBe('add-data')
    expect(e.message).toBe(
      `Input 'add-data': missing.txt does not exist (looked for ${path.join(projectDir, 'missing.txt')}). Give a file or folder relative to project-path.`
    )
  })

  it.each([['data'], ['data:'], [':dest']])('refuses %j, which is not source:destination', (line) => {
    const e = inputError({ 'add-data': line })
    expect(e.input).toBe('add-data')
    expect(e.message).toBe(
      `Input 'add-data': \`${line}\` is not source:destination. Write each line as \`path/in/project:folder/in/bundle\` (use \`.\` for the top folder).`
    )
  })
})

describe('readConfig add-data keeps to the project (issue 14, defect 7)', () => {
  it.each([['/etc/hostname:.'], ['../../../../etc/hostname:.'], ['/etc/*.conf:etc'], ['data/../..:.']])('refuses %j', (line) => {
    const e = inputError({ 'add-data': line })
    expect(e.input).toBe('add-data')
    expect(e.message).toMatch(/leads outside the project \(.*\), so a file of the machine that builds would be shipped inside the executables\./)
    expect(e.message).toContain('(outside-project)')
  })

  it('refuses a link inside the project that leads out of it', () => {
    fs.symlinkSync('/etc', path.join(projectDir, 'etc-link'))
    try {
      const e = inputError({ 'add-data': 'etc-link/hostname:.' })
      expect(e.message).toContain('leads outside the project')
      expect(e.message).toContain('through a symbolic link')
    } finally {
      fs.unlinkSync(path.join(projectDir, 'etc-link'))
    }
  })

  it('refuses a folder holding a link that leads out of the project, and accepts one whose links stay inside', () => {
    const dir = path.join(projectDir, 'linked-data')
    fs.mkdirSync(path.join(dir, 'deep'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'ok.txt'), 'ok')
    fs.symlinkSync(path.join(dir, 'ok.txt'), path.join(dir, 'inside-link'))
    try {
      expect(read({ 'add-data': 'linked-data:data' }).addData).toEqual([{ source: dir, dest: 'data' }])
      fs.symlinkSync('/etc/hostname', path.join(dir, 'deep', 'host'))
      const e = inputError({ 'add-data': 'linked-data:data' })
      expect(e.message).toBe(
        `Input 'add-data': linked-data holds a symbolic link that leads outside the project (deep/host), so a file of the machine that builds would be shipped inside the executables. Remove the link, or end the line with (outside-project) to ship what it points at on purpose.`
      )
      expect(read({ 'add-data': 'linked-data:data (outside-project)' }).addData).toEqual([{ source: dir, dest: 'data', outside: true }])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('accepts a source outside the project when the line ends with (outside-project)', () => {
    expect(read({ 'add-data': '/etc/hostname:host (outside-project)' }).addData).toEqual([{ source: '/etc/hostname', dest: 'host', outside: true }])
  })

  it.each([['data:../up'], ['data:/abs'], ['data:a/../../b']])('refuses %j, whose destination leaves the bundle', (line) => {
    const e = inputError({ 'add-data': line })
    expect(e.input).toBe('add-data')
    expect(e.message).toMatch(/leaves the bundle/)
  })
})

describe('readConfig icon', () => {
  it('accepts a real .png and a real .ico, as absolute paths', () => {
    expect(read({ icon: 'icons/app.png' }).icon).toBe(path.join(projectDir, 'icons', 'app.png'))
    expect(read({ icon: 'icons/app.ico' }).icon).toBe(path.join(projectDir, 'icons', 'app.ico'))
    expect(read().icon).toBe('')
  })

  it('refuses a .ico whose content is PNG', () => {
    const e = inputError({ icon: 'icons/fake.ico' })
    expect(e.input).toBe('icon')
    expect(e.message).toBe(`Input 'icon': icons/fake.ico is named .ico but its content is PNG. ${ICON_FIX}`)
  })

  it('refuses a .bmp', () => {
    const e = inputError({ icon: 'icons/app.bmp' })
    expect(e.input).toBe('icon')
    expect(e.message).toBe(`Input 'icon': icons/app.bmp is not an .ico, .icns or .png file. ${ICON_FIX}`)
  })

  it('refuses a file too short to be an icon', () => {
    expect(inputError({ icon: 'icons/tiny.png' }).message).toBe(
      `Input 'icon': icons/tiny.png is named .png but its content is not an icon (it does not start like an ICO, ICNS or PNG file). ${ICON_FIX}`
    )
  })

  it('refuses a missing icon', () => {
    const e = inputError({ icon: 'icons/none.ico' })
    expect(e.input).toBe('icon')
    expect(e.message).toBe(
      `Input 'icon': icons/none.ico does not exist (looked for ${path.join(projectDir, 'icons', 'none.ico')}). Give the path of the icon file relative to project-path (proj).`
    )
  })
})

describe('readConfig module lists and collect', () => {
  it('reads hidden-imports, exclude-modules and collect', () => {
    const c = read({
      'hidden-imports': 'chatty.plugins.a, chatty.plugins.b\nuvicorn.logging',
      'exclude-modules': 'tkinter,test',
      collect: 'rich\nsubmodules:chatty.plugins\ndata: certifi'
    })
    expect(c.hiddenImports).toEqual(['chatty.plugins.a', 'chatty.plugins.b', 'uvicorn.logging'])
    expect(c.excludeModules).toEqual(['tkinter', 'test'])
    expect(c.collect).toEqual([
      { kind: 'all', package: 'rich' },
      { kind: 'submodules', package: 'chatty.plugins' },
      { kind: 'data', package: 'certifi' }
    ])
  })

  it.each([
    ['hidden-imports', 'requests, my-plugin', 'my-plugin'],
    ['hidden-imports', 'pkg.', 'pkg.'],
    ['exclude-modules', '1abc', '1abc'],
    ['exclude-modules', 'tkinter; rm', 'tkinter; rm']
  ])('refuses in %s the module name in %j', (input, value, bad) => {
    const e = inputError({ [input]: value })
    expect(e.input).toBe(input)
    expect(e.message).toBe(
      `Input '${input}': '${bad}' is not a module name. Give dotted module names such as uvicorn.logging, one a line or separated by commas.`
    )
  })

  it('refuses a bad collect line', () => {
    const e = inputError({ collect: 'rich\nbinaries:x' })
    expect(e.input).toBe('collect')
    expect(e.message).toBe(
      "Input 'collect': `binaries:x` is not [all|submodules|data:] package. Write a package name (collects its submodules, data files and binaries), or submodules:package or data:package."
    )
  })

  it('reads upx and strip', () => {
    expect(read({ upx: 'TRUE', strip: 'true' })).toMatchObject({ upx: true, strip: true })
    expect(read()).toMatchObject({ upx: false, strip: false })
    const e = inputError({ strip: 'maybe' })
    expect(e.input).toBe('strip')
    expect(e.message).toBe("Input 'strip': 'maybe' is not true or false. Write true or false.")
  })
})

describe('readConfig smoke-test targets', () => {
  it('reads [name] args as a line for that executable only', () => {
    expect(read({ 'smoke-test': '--help\n[chatty] list\n[chatty-gui]   --version "two words"\n[chatty]' }).smokeTests).toEqual([
      { line: '--help', only: '', args: ['--help'] },
      { line: '[chatty] list', only: 'chatty', args: ['list'] },
      { line: '[chatty-gui]   --version "two words"', only: 'chatty-gui', args: ['--version', 'two words'] },
      { line: '[chatty]', only: 'chatty', args: [] }
    ])
  })

  it.each([
    ['[bad name] x', 'bad name'],
    ['[] --help', ''],
    ['[-x] --help', '-x']
  ])('refuses %j', (line, name) => {
    const e = inputError({ 'smoke-test': line })
    expect(e.input).toBe('smoke-test')
    expect(e.message).toBe(
      `Input 'smoke-test': \`[${name}]\` in the line \`${line}\` is not an executable name. Write \`[name] arguments\` to run a line against one executable only.`
    )
  })
})

describe('builder', () => {
  it('is PyInstaller unless set', () => {
    const c = read({})
    expect([c.builder, c.builderRequirement]).toEqual(['pyinstaller', 'pyinstaller==6.22.3'])
  })

  it('installs the pinned Nuitka, or the version or specifier given', () => {
    expect(read({ builder: 'nuitka' }).builderRequirement).toBe('nuitka==4.3.3')
    expect(read({ builder: 'Nuitka', 'nuitka-version': '4.3.1' }).builderRequirement).toBe('nuitka==4.3.1')
    expect(read({ builder: 'nuitka', 'nuitka-version': '>=4.3, <5' }).builderRequirement).toBe('nuitka>=4.3,<5')
  })

  it('takes the entry-point inputs with Nuitka too', () => {
    const c = read({ builder: 'nuitka', entrypoint: 'chatty = chatty.cli:main', 'hidden-imports': 'uvicorn.logging', mode: 'onefile', strip: 'true' })
    expect([c.builder, c.entrypoints.map((e) => e.name), c.hiddenImports, c.onefile, c.onedir, c.strip]).toEqual([
      'nuitka',
      ['chatty'],
      ['uvicorn.logging'],
      true,
      false,
      true
    ])
  })

  it.each([
    [{ builder: 'pyoxidizer' }, 'builder', "Input 'builder': 'pyoxidizer' is not a builder. Write pyinstaller (the default) or nuitka."],
    [
      { builder: 'nuitka', spec: 'packaging/app.spec' },
      'spec',
      "Input 'spec': is a PyInstaller .spec file (packaging/app.spec), and builder is nuitka, which has no spec files. Remove spec and give entrypoint lines (or let the action read [project.scripts]), or set builder: pyinstaller."
    ],
    [
      { builder: 'nuitka', 'pyinstaller-version': '6.10.0' },
      'pyinstaller-version',
      "Input 'pyinstaller-version': is set, but builder is nuitka, so pyinstaller is not installed. Remove pyinstaller-version, or set builder: pyinstaller."
    ],
    [
      { 'nuitka-version': '4.3.3' },
      'nuitka-version',
      "Input 'nuitka-version': is set, but builder is pyinstaller, so nuitka is not installed. Remove nuitka-version, or set builder: nuitka."
    ],
    [
      { builder: 'nuitka', 'nuitka-version': '4.3; curl x|sh' },
      'nuitka-version',
      "Input 'nuitka-version': '4.3; curl x|sh' is not a version or version specifier. Give a version such as '4.3.3' or a specifier such as '>=4.3,<5'."
    ]
  ])('refuses %j', (inputs, input, message) => {
    const e = inputErrorOf(() => read(inputs), inputs)
    expect([e.input, e.message]).toEqual([input, message])
  })
})
