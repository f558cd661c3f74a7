/**
 * Command-line arguments of the local entry (src/cli.ts): `--<input> value`
 * pairs, and the runner stand-ins a local run gets.
 */
import * as path from 'node:path'
import { INPUT_NAMES } from './inputs/names.js'

export interface CliArgs {
  readonly inputs: Record<string, string>
  readonly help: boolean
}

export class UsageError extends Error {}

/** Parses `--name value` pairs; the value is taken as it is, even when it starts with '-'. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const inputs: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') return { inputs, help: true }
    const eq = arg.indexOf('=')
    const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : ''
    if (!name) throw new UsageError(`'${arg}' is not an option; options look like --project-path DIR.`)
    if (!INPUT_NAMES.includes(name)) throw new UsageError(`--${name} is not an input of this action. Inputs: ${INPUT_NAMES.join(', ')}.`)
    let value: string
    if (eq > 0) value = arg.slice(eq + 1)
    else if (i + 1 < argv.length) value = argv[++i]
    else throw new UsageError(`--${name} needs a value.`)
    inputs[name] = name in inputs ? `${inputs[name]}\n${value}` : value
  }
  return { inputs, help: false }
}

/** The environment a local run gets: INPUT_* variables and runner stand-ins under `cwd`. */
export function cliEnvironment(inputs: Record<string, string>, env: NodeJS.ProcessEnv, cwd: string): Record<string, string> {
  const runnerTemp = env.RUNNER_TEMP || path.join(cwd, '.build-standalone')
  const out: Record<string, string> = {
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: env.GITHUB_WORKSPACE || cwd,
    GITHUB_OUTPUT: env.GITHUB_OUTPUT || path.join(runnerTemp, 'outputs.txt'),
    GITHUB_STEP_SUMMARY: env.GITHUB_STEP_SUMMARY || path.join(runnerTemp, 'summary.md'),
    GITHUB_STATE: env.GITHUB_STATE || path.join(runnerTemp, 'state.txt'),
    'INPUT_OUTPUT-DIR': 'standalone-dist'
  }
  for (const [name, value] of Object.entries(inputs)) out[`INPUT_${name.toUpperCase()}`] = value
  return out
}

/**
 * The name → value pairs of a GITHUB_OUTPUT or GITHUB_STATE file
 * (`name<<delimiter` … `delimiter` blocks, or `name=value` lines). The local
 * run reads its state back with it; the tests and the bench read outputs.
 */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  // Split on \r\n too: @actions/core ends each line with os.EOL, which is \r\n on Windows.
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const value: string[] = []
      while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i])
      out[m[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}
