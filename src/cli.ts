/**
 * The same pipeline from the command line, so a maintainer builds locally
 * what CI builds: `npx build-standalone --project-path . --spec … --smoke-test --help` (from
 * npm), or `node dist/cli/index.js …` in a clone.
 * Each `--<input> value` sets the action input of that name; a repeated one
 * adds a line. Runner variables that are not set get local defaults.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { cliEnvironment, parseCliArgs, parseCommandFile, type CliArgs } from './cli-args.js'
import { runCommand } from './exec.js'
import { run } from './main.js'
import { cleanupMac } from './sign/index.js'
import { removeSecrets, secretsDir } from './sign/secrets.js'

const USAGE = `Usage: build-standalone [--<input> <value>]...
   (npx build-standalone from npm, or node dist/cli/index.js in a clone of the action)

Runs the build-standalone pipeline on this machine, as the action does on a
runner. Every action input is an option (see the inputs in README.md); repeat an option to
give a multi-line input several lines. Archives go to ./standalone-dist unless
--output-dir says otherwise; the work folder is ./.build-standalone.

Example:
  npx build-standalone --project-path examples/chatty \\
    --spec packaging/chatty_cli.spec \\
    --smoke-test --help --smoke-test 'gui --help' --smoke-test list

  Windows executables on a Linux machine, under Wine (README, "Windows from Linux"):
  npx build-standalone --target windows-x64 --project-path examples/chatty \\
    --spec packaging/chatty_cli.spec --smoke-test --help
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
  for (const file of [env.GITHUB_OUTPUT, env.GITHUB_STEP_SUMMARY, env.GITHUB_STATE]) fs.writeFileSync(file, '')
  // No post step runs after a local run: what the post step removes on a runner is removed here, on success,
  // failure, Ctrl-C or kill.
  const workDir = path.join(env.RUNNER_TEMP, 'build-standalone')
  const cleanUp = async (): Promise<void> => {
    const state = fs.existsSync(env.GITHUB_STATE) ? parseCommandFile(fs.readFileSync(env.GITHUB_STATE, 'utf8')) : {}
    const problems = await cleanupMac((name) => state[name] ?? '', runCommand).catch((e: Error) => [e.message])
    for (const p of problems) process.stderr.write(`Could not undo a keychain change: ${p}\n`)
    try {
      removeSecrets(workDir)
    } catch (e) {
      process.stderr.write(`Could not remove ${secretsDir(workDir)}: ${(e as Error).message}\n`)
    }
  }
  const onSignal = (signal: NodeJS.Signals, code: number): void => {
    // The secret files go first and synchronously: nothing may interrupt their removal.
    fs.rmSync(secretsDir(workDir), { recursive: true, force: true })
    process.stderr.write(`\nStopped by ${signal}; removed ${secretsDir(workDir)}.\n`)
    void cleanUp().finally(() => process.exit(code))
  }
  process.once('SIGINT', () => onSignal('SIGINT', 130))
  process.once('SIGTERM', () => onSignal('SIGTERM', 143))
  let result
  try {
    // No Actions cache here: builds are kept for reuse in the work folder (.build-standalone/build-standalone/cache/builds).
    result = await run({ store: 'local' })
  } finally {
    await cleanUp()
  }
  if (!result) return
  process.stdout.write('\nExecutables (run them from anywhere; they need no Python):\n')
  for (const b of result.builds) for (const e of b.executables) process.stdout.write(`  ${e.path}\n`)
  process.stdout.write('Archives:\n')
  for (const a of result.assets) process.stdout.write(`  ${a.path}\n`)
  process.stdout.write(`Job summary: ${env.GITHUB_STEP_SUMMARY}\n`)
}

await main()
