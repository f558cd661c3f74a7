/**
 * The same pipeline from the command line, so a maintainer builds locally
 * what CI builds: `node dist/cli/index.js --project-path examples/chatty --spec … --smoke-test --help`.
 * Each `--<input> value` sets the action input of that name; a repeated one
 * adds a line. Runner variables that are not set get local defaults.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { INPUT_NAMES } from './inputs.js'
import { run } from './main.js'

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
    'INPUT_OUTPUT-DIR': 'standalone-dist'
  }
  for (const [name, value] of Object.entries(inputs)) out[`INPUT_${name.toUpperCase()}`] = value
  return out
}

const USAGE = `Usage: node dist/cli/index.js [--<input> <value>]...

Runs the build-standalone pipeline on this machine, as the action does on a
runner. Every action input is an option (see action.yml); repeat an option to
give a multi-line input several lines. Archives go to ./standalone-dist unless
--output-dir says otherwise; the work folder is ./.build-standalone.

Example:
  node dist/cli/index.js --project-path examples/chatty \\
    --spec packaging/chatty_cli.spec \\
    --smoke-test --help --smoke-test 'gui --help' --smoke-test list
`

async function main(): Promise<void> {
  let args: CliArgs
  try {
    args = parseCliArgs(process.argv.slice(2))
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  if (args.help) {
    process.stdout.write(USAGE)
    return
  }
  const env = cliEnvironment(args.inputs, process.env, process.cwd())
  Object.assign(process.env, env)
  fs.mkdirSync(env.RUNNER_TEMP, { recursive: true })
  for (const file of [env.GITHUB_OUTPUT, env.GITHUB_STEP_SUMMARY]) fs.writeFileSync(file, '')
  const result = await run()
  if (!result) return
  process.stdout.write('\nExecutables (run them from anywhere; they need no Python):\n')
  for (const b of result.builds) for (const e of b.executables) process.stdout.write(`  ${e.path}\n`)
  process.stdout.write('Archives:\n')
  for (const a of result.assets) process.stdout.write(`  ${a.path}\n`)
  process.stdout.write(`Job summary: ${env.GITHUB_STEP_SUMMARY}\n`)
}

await main()
