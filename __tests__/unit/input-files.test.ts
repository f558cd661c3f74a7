/**
 * Path inputs stay inside the workspace (links followed), and the files the
 * action reads itself are regular, small, and never quoted beyond a short
 * sanitized excerpt: issue 14, defect 1.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { inputErrorOf, readInputs } from '../../__fixtures__/read-config.js'

let root: string
let workspace: string
let env: Record<string, string>

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-input-files-'))
  workspace = path.join(root, 'ws')
  fs.mkdirSync(path.join(root, 'runner-temp'))
  const write = (rel: string, text: string): void => {
    const file = path.join(workspace, rel)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, text)
  }
  write('app/pyproject.toml', '[project]\nname = "app"\nversion = "1.0.0"\n')
  write('app/app.spec', '# spec\n')
  write('app/.python-version', '3.12\n')
  write('app/long/.python-version', `3.12-${'x'.repeat(500_000)}`)
  write('app/big/.python-version', `3.12\n${'#'.repeat(2 * 1024 * 1024)}\n`)
  fs.writeFileSync(path.join(root, 'outside-secret'), 'SECRET_VALUE_OUTSIDE=hunter2\n')
  fs.symlinkSync('/proc/self/environ', path.join(workspace, 'app', 'environ-link'))
  fs.symlinkSync(path.join(root, 'outside-secret'), path.join(workspace, 'app', 'secret-link'))
  fs.symlinkSync('/', path.join(workspace, 'app', 'root-link'))
  // A project whose pyproject.toml is a link out of the workspace.
  fs.mkdirSync(path.join(workspace, 'linked'))
  fs.symlinkSync(path.join(root, 'outside-secret'), path.join(workspace, 'linked', 'pyproject.toml'))
  env = { RUNNER_TEMP: path.join(root, 'runner-temp'), GITHUB_WORKSPACE: workspace, MY_SECRET: 'hunter2' }
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

function inputError(inputs: Record<string, string>): InputError {
  const all = { 'project-path': 'app', spec: 'app.spec', ...inputs }
  return inputErrorOf(() => readInputs(all, env), all)
}

describe('python-version-file reads only a small regular file inside the workspace', () => {
  it.each([
    ['/proc/self/environ'],
    ['environ-link'],
    ['secret-link'],
    ['../../outside-secret'],
    ['<root>/outside-secret'],
    ['root-link/etc/hostname'],
    ['/etc/hostname']
  ])('refuses %s, naming the input, without quoting the file', (file) => {
    const value = file.replace('<root>', root)
    const e = inputError({ 'python-version-file': value })
    expect(e.input).toBe('python-version-file')
    expect(e.message).toMatch(/leads outside the workspace/)
    expect(e.message).not.toContain('hunter2')
    expect(e.message).not.toContain('MY_SECRET')
  })

  it('refuses a file larger than 1 MiB', () => {
    const e = inputError({ 'python-version-file': 'big/.python-version' })
    expect(e.input).toBe('python-version-file')
    expect(e.message).toContain('is larger than 1048576 bytes')
  })

  it('quotes at most a short excerpt of a bad line', () => {
    const e = inputError({ 'python-version-file': 'long/.python-version' })
    expect(e.input).toBe('python-version-file')
    expect(e.message.length).toBeLessThan(400)
    expect(e.message).toContain("says '3.12-xxxxxxxx")
  })

  it('still reads a .python-version inside the project', () => {
    expect(readInputs({ 'project-path': 'app', spec: 'app.spec', 'python-version-file': '.python-version' }, env).pythonVersion).toBe('3.12')
  })
})

describe('other path inputs stay inside the workspace too', () => {
  it.each([
    ['spec', 'root-link/etc/passwd.spec'],
    ['spec', '../../../etc/x.spec'],
    ['requirements', '/etc/hostname'],
    ['requirements', 'secret-link'],
    ['macos-entitlements', '/etc/hostname']
  ])('%s = %s', (input, value) => {
    const inputs: Record<string, string> = { [input]: value }
    if (input === 'macos-entitlements') Object.assign(inputs, { 'macos-certificate': 'AAAA' })
    const e = inputError(inputs)
    expect(e.input).toBe(input)
    expect(e.message).toMatch(/leads outside the workspace/)
  })

  it('project-path outside the workspace, or a pyproject.toml linked out of it', () => {
    expect(inputError({ 'project-path': '/etc' }).message).toMatch(/^Input 'project-path': \/etc leads outside the workspace/)
    const linked = inputError({ 'project-path': 'linked' })
    expect(linked.input).toBe('project-path')
    expect(linked.message).toMatch(/leads outside the workspace/)
    expect(linked.message).not.toContain('hunter2')
  })
})
