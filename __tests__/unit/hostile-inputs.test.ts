/**
 * Every string input of action.yml against the same hostile values (issue 14):
 * shell metacharacters, ${{ }}, a line break, workflow-command text, NUL,
 * 10 000 characters, a path to /proc/self/environ and a symbolic link to /.
 * Each value gives a clean input error naming the input, or is taken as it
 * is (a literal value, never run); nothing runs, the inputs stage prints
 * nothing, and nothing of a file outside the workspace shows anywhere.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { captureOutputSync } from '../../__fixtures__/capture.js'
import { parse } from 'yaml'
import { InputError } from '../../src/errors.js'
import { display } from '../../src/exec.js'
import { readConfig } from '../../src/inputs/index.js'
import { INPUT_NAMES, MULTILINE_INPUTS, SECRET_INPUTS } from '../../src/inputs/names.js'
import { osslsigncodeCommands, signtoolCommands } from '../../src/sign/windows.js'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const action = parse(fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }
/** Every input: all of action.yml's inputs are strings to a JavaScript action. */
const STRING_INPUTS = Object.keys(action.inputs)
/** A value of the environment, and so of /proc/self/environ: it must never show. */
const ENV_SECRET = 'HOSTILE-ENV-SECRET-31337'

const hasBreakOrNul = (s: string): boolean => /[\n\r]/.test(s) || s.includes('\u0000')

let root: string
let workspace: string
let marker: string
let env: Record<string, string>

/** The hostile values; `marker` is a file that any shell running a value would create. */
function hostile(): Record<string, string> {
  return {
    'shell metacharacters': `x; touch ${marker} && $(touch ${marker}) \`touch ${marker}\` | tee ${marker} > ${marker} & echo $HOME`,
    'an expression': '${{ secrets.GITHUB_TOKEN }}${{ github.event.issue.title }}',
    'a line break and a workflow command': 'x\n::warning title=injected::INJECTED-COMMAND',
    'workflow-command text': '::set-output name=version::INJECTED-COMMAND',
    'a NUL': 'x\u0000y',
    '10 000 characters': 'a'.repeat(10_000),
    'a path to /proc/self/environ': '/proc/self/environ',
    'a symbolic link to /': 'root-link'
  }
}

beforeAll(() => {
  process.env.HOSTILE_TEST_SECRET = ENV_SECRET
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-hostile-'))
  workspace = path.join(root, 'ws')
  marker = path.join(root, 'pwned')
  const project = path.join(workspace, 'proj')
  fs.mkdirSync(path.join(project, 'src', 'app'), { recursive: true })
  fs.writeFileSync(
    path.join(project, 'pyproject.toml'),
    '[project]\nname = "app"\nversion = "1.0.0"\n[project.scripts]\napp = "app.cli:main"\n[project.optional-dependencies]\ndev = ["x"]\n'
  )
  fs.writeFileSync(path.join(project, 'src', 'app', 'cli.py'), 'def main():\n    pass\n')
  fs.symlinkSync('/', path.join(project, 'root-link'))
  fs.symlinkSync('/', path.join(workspace, 'root-link'))
  fs.mkdirSync(path.join(root, 'runner-temp'))
  env = { RUNNER_TEMP: path.join(root, 'runner-temp'), GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: 'o/r' }
})

afterAll(() => {
  delete process.env.HOSTILE_TEST_SECRET
  fs.rmSync(root, { recursive: true, force: true })
})

/** Reads the config with one input hostile and the others at their action.yml defaults (project-path: proj). */
function readWith(input: string, value: string): { error?: unknown; config?: unknown; log: string } {
  const values: Record<string, string> = {}
  for (const [name, def] of Object.entries(action.inputs)) values[name] = def.default ?? ''
  values['project-path'] = 'proj'
  values['github-token'] = 'token'
  values[input] = value
  // As core.getInput gives it: trimmed.
  const get = (name: string): string => (values[name] ?? '').trim()
  let error: unknown
  let config: unknown
  const log = captureOutputSync(() => {
    try {
      config = readConfig(get, env)
    } catch (e) {
      error = e
    }
  })
  return { error, config, log }
}

describe('every string input of action.yml against hostile values', () => {
  it('covers every input the action reads', () => {
    expect([...STRING_INPUTS].sort()).toEqual([...INPUT_NAMES].sort())
  })

  const cases = STRING_INPUTS.flatMap((input) => Object.keys(hostile()).map((kind) => [input, kind] as const))

  it.each(cases)('%s: %s', (input, kind) => {
    const value = hostile()[kind]
    const { error, config, log } = readWith(input, value)
    // Nothing ran: no shell created the marker; the inputs stage printed nothing (so no workflow command).
    expect(fs.existsSync(marker)).toBe(false)
    expect(log).toBe('')
    if (error !== undefined) {
      // A clean input error: an InputError naming this input, one line, short, quoting no file outside the workspace.
      expect(error).toBeInstanceOf(InputError)
      const e = error as InputError
      expect(e.input).toBe(input)
      expect(hasBreakOrNul(e.message)).toBe(false)
      expect(e.message).not.toContain(ENV_SECRET)
      expect(e.message).not.toContain('root:x:0:0')
      expect(e.message.length).toBeLessThan(1200)
      expect(e.message.startsWith(`Input '${input}': `)).toBe(true)
    } else {
      // Taken as it is: only where a value is plain text passed on as one literal argument (or a secret), and never
      // a file's content from outside the workspace.
      const text = JSON.stringify(config)
      expect(text).not.toContain(ENV_SECRET)
      expect(text).not.toContain('root:x:0:0')
      const multi = MULTILINE_INPUTS.includes(input)
      const secret = SECRET_INPUTS.includes(input)
      if (!secret && !multi) {
        // A one-line value kept has no control character and fits the limit.
        expect(hasBreakOrNul(value)).toBe(false)
        expect(value.length).toBeLessThanOrEqual(4096)
      }
    }
  })

  it('keeps a shell line in smoke-test as literal arguments, and never runs it', () => {
    const { config } = readWith('smoke-test', hostile()['shell metacharacters'])
    const args = (config as { smokeTests: { args: string[] }[] }).smokeTests[0].args
    expect(args).toContain('$(touch')
    expect(args).toContain('`touch')
    expect(args).toContain('$HOME')
    expect(fs.existsSync(marker)).toBe(false)
  })

  it.each(['shell metacharacters', 'workflow-command text', 'an expression'])(
    'passes sign-description and sign-url with %s to osslsigncode and signtool as one literal argument each',
    (kind) => {
      const value = hostile()[kind]
      const values: Record<string, string> = { 'project-path': 'proj', 'windows-certificate': 'QUFBQQ==', 'sign-description': value, 'sign-url': value }
      const w = readConfig((n) => values[n] ?? '', env).signing.windows
      if (!w) throw new Error('no Windows signing')
      const o = { pfx: '/s/c.pfx', password: 'pw', passwordFile: '/s/c.pass', timestampUrl: w.timestampUrl, description: w.description, url: w.url }
      const commands = [
        osslsigncodeCommands('osslsigncode', '/d/a.exe', '/d/a.exe.signed', '/s/ca.pem', o).sign,
        signtoolCommands('signtool.exe', 'D:\\a.exe', o)[0]
      ]
      for (const cmd of commands) {
        expect(cmd.args.filter((a) => a === value)).toHaveLength(2)
        // What the log shows of the command holds no line break, so no line of it can start a workflow command.
        expect(hasBreakOrNul(display(cmd))).toBe(false)
      }
      expect(fs.existsSync(marker)).toBe(false)
    }
  )

  it('keeps a shell line in builder-args as arguments for the spec, one literal value each, and never runs it', () => {
    fs.writeFileSync(path.join(workspace, 'proj', 'app.spec'), '# spec\n')
    const value = hostile()['shell metacharacters']
    const c = readConfig((n) => ({ 'project-path': 'proj', spec: 'app.spec', 'builder-args': `--flag ${value}\n${value}` })[n] ?? '', env)
    expect(c.builderArgs.specArgs).toEqual(['--flag', value, value])
    expect(fs.existsSync(marker)).toBe(false)
  })

  it.each([
    ['--add-binary /proc/self/environ:.', 'leads outside the project'],
    ['--paths root-link/etc', 'leads outside the project'],
    ['--version-file root-link/proc/self/environ', 'leads outside the project'],
    ['--resource /proc/self/environ,14,1', 'leads outside the project'],
    ['--manifest /proc/self/environ', 'leads outside the project'],
    ['--runtime-hook /proc/self/environ', 'the runtime-hooks input sets it']
  ])('refuses builder-args %s without reading the file', (line, problem) => {
    const { error } = readWith('builder-args', line)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('builder-args')
    expect((error as InputError).message).toContain(problem)
    expect((error as InputError).message).not.toContain(ENV_SECRET)
  })

  it('keeps sign-description as one literal value', () => {
    const value = hostile()['shell metacharacters']
    const { config } = readWith('sign-description', value)
    // sign-description is read only with windows-certificate; without it the value goes nowhere.
    expect(JSON.stringify(config)).not.toContain('touch')
    const withCert = (() => {
      const values: Record<string, string> = { 'project-path': 'proj', 'windows-certificate': 'QUFBQQ==', 'sign-description': value }
      return readConfig((n) => values[n] ?? '', env)
    })()
    expect(withCert.signing.windows?.description).toBe(value)
  })
})
