/**
 * A folder where a file is expected is an input error naming the input, not
 * a raw EISDIR from a later stage (issue 14, defect 6).
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { inputErrorOf, readInputs } from '../../__fixtures__/read-config.js'

let root: string
let env: Record<string, string>

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-inputs-folders-'))
  const workspace = path.join(root, 'ws')
  for (const dir of ['app/assets', 'app/src', 'app/folder.spec', 'app/scripts/tool.py', 'app/.python-version'])
    fs.mkdirSync(path.join(workspace, dir), { recursive: true })
  fs.writeFileSync(path.join(workspace, 'app', 'pyproject.toml'), '[project]\nname = "app"\nversion = "1.0.0"\n')
  fs.writeFileSync(path.join(workspace, 'app', 'app.spec'), '# spec\n')
  fs.mkdirSync(path.join(root, 'runner-temp'))
  env = { RUNNER_TEMP: path.join(root, 'runner-temp'), GITHUB_WORKSPACE: workspace }
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

describe('a folder given as a file input', () => {
  it.each([
    [{ icon: 'assets', entrypoint: 'app = app.cli:main' }, 'icon', 'assets'],
    [{ requirements: 'src', spec: 'app.spec' }, 'requirements', 'src'],
    [{ spec: 'folder.spec' }, 'spec', 'folder.spec'],
    [{ entrypoint: 'tool = scripts/tool.py' }, 'entrypoint', 'scripts/tool.py'],
    [{ 'python-version-file': '.python-version', spec: 'app.spec' }, 'python-version-file', '.python-version'],
    [{ 'macos-entitlements': 'assets', 'macos-certificate': 'AAAA', spec: 'app.spec' }, 'macos-entitlements', 'assets']
  ])('%j names the input and says a file is expected', (inputs, input, value) => {
    const all = { 'project-path': 'app', ...inputs }
    const e = inputErrorOf(() => readInputs(all, env), all)
    expect(e.input).toBe(input)
    expect(e.message).toMatch(new RegExp(`^Input '${input}': ${value.replace(/[.]/g, '\\.')} is a folder \\(.*\\), and a file is expected\\.`))
    expect(e.message).not.toContain('EISDIR')
  })
})
