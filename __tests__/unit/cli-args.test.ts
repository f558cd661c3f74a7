import * as path from 'node:path'
import { describe, it, expect } from '@jest/globals'
import { cliEnvironment, parseCliArgs, parseCommandFile, UsageError } from '../../src/cli-args.js'
import { INPUT_NAMES } from '../../src/inputs/names.js'

describe('parseCliArgs', () => {
  it('reads --name value pairs', () => {
    expect(parseCliArgs(['--project-path', 'examples/chatty', '--spec', 'packaging/chatty_cli.spec'])).toEqual({
      inputs: { 'project-path': 'examples/chatty', spec: 'packaging/chatty_cli.spec' },
      help: false
    })
  })

  it('reads --name=value, keeping later = signs in the value', () => {
    expect(parseCliArgs(['--pyinstaller-version=>=6.10,<7', '--smoke-test=say a=b', '--name='])).toEqual({
      inputs: { 'pyinstaller-version': '>=6.10,<7', 'smoke-test': 'say a=b', name: '' },
      help: false
    })
  })

  it('takes a value that starts with - as it is', () => {
    expect(parseCliArgs(['--smoke-test', '--help', '--smoke-test', '-v'])).toEqual({ inputs: { 'smoke-test': '--help\n-v' }, help: false })
  })

  it('forwards builder-args, hooks-dir and runtime-hooks, one line per repeat, options as values', () => {
    expect(
      parseCliArgs(['--builder-args', '--optimize 2', '--builder-args=--clean', '--hooks-dir', 'hooks', '--runtime-hooks', 'rthooks/a.py']).inputs
    ).toEqual({ 'builder-args': '--optimize 2\n--clean', 'hooks-dir': 'hooks', 'runtime-hooks': 'rthooks/a.py' })
  })

  it('joins a repeated input into lines', () => {
    expect(parseCliArgs(['--smoke-test', '--help', '--smoke-test', 'gui --help', '--smoke-test', 'list']).inputs).toEqual({
      'smoke-test': '--help\ngui --help\nlist'
    })
  })

  it('returns help for --help or -h as an option', () => {
    expect(parseCliArgs(['--help'])).toEqual({ inputs: {}, help: true })
    expect(parseCliArgs(['--spec', 'a.spec', '-h', '--bogus'])).toEqual({ inputs: { spec: 'a.spec' }, help: true })
  })

  it('returns no inputs for no arguments', () => {
    expect(parseCliArgs([])).toEqual({ inputs: {}, help: false })
  })

  it('refuses an argument that is not an option', () => {
    expect(() => parseCliArgs(['examples/chatty'])).toThrow(UsageError)
    expect(() => parseCliArgs(['examples/chatty'])).toThrow("'examples/chatty' is not an option; options look like --project-path DIR.")
    expect(() => parseCliArgs(['-x'])).toThrow("'-x' is not an option; options look like --project-path DIR.")
    expect(() => parseCliArgs(['--=x'])).toThrow("'--=x' is not an option")
  })

  it('refuses an option that is not an input and lists the inputs', () => {
    expect(() => parseCliArgs(['--hidden-import', 'x'])).toThrow(UsageError)
    expect(() => parseCliArgs(['--hidden-import', 'x'])).toThrow(`--hidden-import is not an input of this action. Inputs: ${INPUT_NAMES.join(', ')}.`)
  })

  it('refuses an option without a value', () => {
    expect(() => parseCliArgs(['--spec', 'a.spec', '--version'])).toThrow(UsageError)
    expect(() => parseCliArgs(['--version'])).toThrow('--version needs a value.')
  })

  it('accepts every input of the action', () => {
    const argv = INPUT_NAMES.flatMap((name) => [`--${name}`, `value of ${name}`])
    expect(parseCliArgs(argv).inputs).toEqual(Object.fromEntries(INPUT_NAMES.map((name) => [name, `value of ${name}`])))
  })
})

describe('cliEnvironment', () => {
  it('gives runner stand-ins under cwd and INPUT_ variables', () => {
    const cwd = path.join(path.sep, 'home', 'me', 'proj')
    const temp = path.join(cwd, '.build-standalone')
    expect(cliEnvironment({ 'project-path': 'examples/chatty', 'smoke-test': '--help\nlist' }, {}, cwd)).toEqual({
      RUNNER_TEMP: temp,
      GITHUB_WORKSPACE: cwd,
      GITHUB_OUTPUT: path.join(temp, 'outputs.txt'),
      GITHUB_STEP_SUMMARY: path.join(temp, 'summary.md'),
      GITHUB_STATE: path.join(temp, 'state.txt'),
      'INPUT_OUTPUT-DIR': 'standalone-dist',
      'INPUT_PROJECT-PATH': 'examples/chatty',
      'INPUT_SMOKE-TEST': '--help\nlist'
    })
  })

  it('keeps runner variables that are set', () => {
    const env = { RUNNER_TEMP: '/rt', GITHUB_WORKSPACE: '/ws', GITHUB_OUTPUT: '/rt/out.txt', GITHUB_STEP_SUMMARY: '/rt/sum.md', GITHUB_STATE: '/rt/state' }
    expect(cliEnvironment({}, env, '/cwd')).toEqual({ ...env, 'INPUT_OUTPUT-DIR': 'standalone-dist' })
  })

  it('puts GITHUB_OUTPUT and the summary under a given RUNNER_TEMP', () => {
    const out = cliEnvironment({}, { RUNNER_TEMP: '/rt' }, '/cwd')
    expect(out.GITHUB_OUTPUT).toBe(path.join('/rt', 'outputs.txt'))
    expect(out.GITHUB_STEP_SUMMARY).toBe(path.join('/rt', 'summary.md'))
  })

  it('lets --output-dir replace the standalone-dist default', () => {
    expect(cliEnvironment({ 'output-dir': 'out' }, {}, '/cwd')['INPUT_OUTPUT-DIR']).toBe('out')
  })
})

describe('parseCommandFile', () => {
  it('reads name<<delimiter blocks (several lines) and name=value lines, as @actions/core writes them', () => {
    const text =
      'archives<<ghadelimiter_1\n/out/a.tar.gz\n/out/b.tar.gz\nghadelimiter_1\nversion=0.3.1\nempty<<ghadelimiter_2\n\nghadelimiter_2\nurl=https://x/?a=b\n'
    expect(parseCommandFile(text)).toEqual({ archives: '/out/a.tar.gz\n/out/b.tar.gz', version: '0.3.1', empty: '', url: 'https://x/?a=b' })
  })

  it('reads a file written on Windows, where @actions/core ends each line with os.EOL (\\r\\n), without a \\r in any value (issue 23)', () => {
    const text =
      'archives<<ghadelimiter_1\r\nZ:\\out\\a.zip\r\nZ:\\out\\b.zip\r\nghadelimiter_1\r\nversion=0.3.1\r\nempty<<ghadelimiter_2\r\n\r\nghadelimiter_2\r\n'
    expect(parseCommandFile(text)).toEqual({ archives: 'Z:\\out\\a.zip\nZ:\\out\\b.zip', version: '0.3.1', empty: '' })
  })
})
