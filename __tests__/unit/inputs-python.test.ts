import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { DEFAULT_MANIFEST_URL } from '../../src/python-install.js'
import type { Config } from '../../src/config.js'
import { inputErrorOf, readInputs } from '../../__fixtures__/read-config.js'

const FIX = 'Point it at a .python-version file or a pyproject.toml with requires-python.'
const VERSION_FIX = "Give a version such as '3.11', '3.11.9', '3.x' or a specifier such as '>=3.10,<3.13'."

let root: string
let workspace: string
let env: Record<string, string>

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-inputs-python-'))
  workspace = path.join(root, 'ws')
  fs.mkdirSync(path.join(root, 'runner-temp'))
  const write = (rel: string, text: string): void => {
    const file = path.join(workspace, rel)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, text)
  }
  // A project pinned with requires-python and a .python-version.
  write('app/pyproject.toml', '[project]\nname = "app"\nversion = "1.0.0"\nrequires-python = ">=3.10, <3.13"\n')
  write('app/app.spec', '# spec\n')
  write('app/.python-version', '# pinned by pyenv\n\n  3.12.4  \n3.11\n')
  write('app/crlf/.python-version', '# written on Windows\r\n3.13\r\n')
  write('app/pypy/.python-version', 'pypy3.10-7.3\n')
  write('app/empty/.python-version', '# nothing here\n\n')
  write('app/tools/pyproject.toml', '[project]\nname = "tools"\nrequires-python = "~=3.11"\n')
  write('app/bad-spec/pyproject.toml', '[project]\nname = "bad"\nrequires-python = ">=3.x"\n')
  write('app/short-compat/pyproject.toml', '[project]\nname = "short"\nrequires-python = "~=3"\n')
  // A project without requires-python.
  write('plain/pyproject.toml', '[project]\nname = "plain"\nversion = "1.0.0"\n')
  write('plain/app.spec', '# spec\n')
  env = { RUNNER_TEMP: path.join(root, 'runner-temp'), GITHUB_WORKSPACE: workspace }
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

function read(inputs: Record<string, string>): Config {
  return readInputs({ 'project-path': 'app', spec: 'app.spec', ...inputs }, env)
}

function inputError(inputs: Record<string, string>): InputError {
  return inputErrorOf(() => read(inputs), inputs)
}

describe('python-version-file', () => {
  it('gives the first version line of .python-version, past comments and blank lines', () => {
    expect(read({ 'python-version-file': '.python-version' }).pythonVersion).toBe('3.12.4')
  })

  it('reads a .python-version with CRLF line endings', () => {
    expect(read({ 'python-version-file': 'crlf/.python-version' }).pythonVersion).toBe('3.13')
  })

  it('gives requires-python of pyproject.toml without spaces', () => {
    expect(read({ 'python-version-file': 'pyproject.toml' }).pythonVersion).toBe('>=3.10,<3.13')
  })

  it('reads requires-python of the pyproject.toml it is given, not the project one', () => {
    expect(read({ 'python-version-file': 'tools/pyproject.toml' }).pythonVersion).toBe('~=3.11')
  })

  it('is resolved relative to project-path', () => {
    expect(read({ 'python-version-file': ' .python-version ' }).pythonVersion).toBe('3.12.4')
    expect(read({ 'python-version-file': path.join(workspace, 'app', 'crlf', '.python-version') }).pythonVersion).toBe('3.13')
  })

  it('refuses a pyproject.toml without requires-python', () => {
    const e = inputError({ 'project-path': 'plain', 'python-version-file': 'pyproject.toml' })
    expect(e.input).toBe('python-version-file')
    expect(e.message).toBe(`Input 'python-version-file': pyproject.toml has no [project] requires-python. ${FIX}`)
  })

  it('refuses a .python-version naming PyPy', () => {
    const e = inputError({ 'python-version-file': 'pypy/.python-version' })
    expect(e.input).toBe('python-version-file')
    expect(e.message).toBe(`Input 'python-version-file': .python-version says 'pypy3.10-7.3', which is not a CPython version such as 3.11 or 3.11.9. ${FIX}`)
  })

  it('refuses a .python-version without a version', () => {
    const e = inputError({ 'python-version-file': 'empty/.python-version' })
    expect(e.input).toBe('python-version-file')
    expect(e.message).toBe(`Input 'python-version-file': .python-version holds no version. ${FIX}`)
  })

  it('refuses a requires-python that is not a specifier', () => {
    const bad = inputError({ 'python-version-file': 'bad-spec/pyproject.toml' })
    expect(bad.input).toBe('python-version-file')
    expect(bad.message).toBe(`Input 'python-version-file': '>=3.x' is not a Python version. ${VERSION_FIX}`)
    const short = inputError({ 'python-version-file': 'short-compat/pyproject.toml' })
    expect(short.input).toBe('python-version-file')
    expect(short.message).toBe(`Input 'python-version-file': '~=3' is not a Python version ('~=3': ~= needs at least two parts, as in ~=3.10). ${VERSION_FIX}`)
  })

  it('refuses a file that does not exist', () => {
    const e = inputError({ 'python-version-file': 'nope/.python-version' })
    expect(e.input).toBe('python-version-file')
    expect(e.message).toBe(
      `Input 'python-version-file': nope/.python-version does not exist (looked for ${path.join(workspace, 'app', 'nope', '.python-version')}). Give the path of the version file relative to project-path (app).`
    )
  })

  it('refuses python-version and python-version-file together', () => {
    const e = inputError({ 'python-version': '3.12', 'python-version-file': '.python-version' })
    expect(e.input).toBe('python-version-file')
    expect(e.message).toBe(
      "Input 'python-version-file': is set, and so is python-version (3.12). Set one of them: python-version-file reads .python-version or requires-python of pyproject.toml."
    )
  })

  it('leaves python-version alone when the file is not set, whatever the project requires', () => {
    expect(read({}).pythonVersion).toBe('3.11')
    expect(read({ 'python-version': '>=3.10,<3.13' }).pythonVersion).toBe('>=3.10,<3.13')
  })
})

describe('python-versions-manifest', () => {
  it('defaults to the actions/python-versions manifest', () => {
    expect(read({}).pythonManifest).toBe('https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json')
    expect(read({}).pythonManifest).toBe(DEFAULT_MANIFEST_URL)
  })

  it('accepts an https URL, trimmed, and http only on the loopback interface', () => {
    expect(read({ 'python-versions-manifest': ' https://mirror.example.com/versions-manifest.json ' }).pythonManifest).toBe(
      'https://mirror.example.com/versions-manifest.json'
    )
    for (const url of ['http://127.0.0.1:8080/versions-manifest.json', 'http://localhost/m.json', 'http://[::1]:9/m.json'])
      expect(read({ 'python-versions-manifest': url }).pythonManifest).toBe(url)
  })

  it.each([
    ['ftp://mirror.example.com/versions-manifest.json', 'uses ftp:, not https://'],
    ['versions-manifest.json', 'is not a URL'],
    ['https://exa mple.com/m.json', 'is not a URL'],
    ['https://', 'is not a URL'],
    ['http://mirror.example.com/versions-manifest.json', 'uses http://, which anyone on the network path can read and change'],
    ['http://127.0.0.1.evil.example/m.json', 'uses http://, which anyone on the network path can read and change'],
    ['http://localhost@evil.example/m.json', 'uses http://, which anyone on the network path can read and change']
  ])('refuses %p', (url, problem) => {
    const e = inputError({ 'python-versions-manifest': url })
    expect(e.input).toBe('python-versions-manifest')
    expect(e.message).toBe(
      `Input 'python-versions-manifest': '${url}' ${problem}. Give the https:// URL of a versions-manifest.json in the format of actions/python-versions (http:// only on 127.0.0.1, localhost or [::1]).`
    )
  })
})
