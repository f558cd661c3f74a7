/** Running programs for the bench: each in its own process group, timed, killed as a group on time-out or Ctrl-C. */
import { spawn, type ChildProcess } from 'node:child_process'
import * as path from 'node:path'

/** The repository this bench belongs to: the workspace of every action run. */
export const REPO = path.resolve(import.meta.dirname, '..')

const PROCESS_TIMEOUT_MS = 20 * 60 * 1000

/** Every process group still running, to be killed when the bench stops. */
export const running = new Set<ChildProcess>()

/** A run that failed: the message names what and how; `output` is what it printed. */
export class RunFailure extends Error {
  constructor(
    what: string,
    message: string,
    readonly output: string
  ) {
    super(`${what}: ${message}`)
  }
}

export interface RunResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string
  readonly seconds: number
}

export interface RunOptions {
  readonly cwd?: string
  readonly env?: NodeJS.ProcessEnv
  readonly timeoutMs?: number
}

/** Runs a program (no shell) in its own process group; resolves with its exit, output and wall time. */
export function run(
  program: string,
  args: readonly string[],
  { cwd = REPO, env = process.env, timeoutMs = PROCESS_TIMEOUT_MS }: RunOptions = {}
): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint()
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    running.add(child)
    let stdout = ''
    let stderr = ''
    let output = ''
    child.stdout.on('data', (c: Buffer) => ((stdout += c), (output += c)))
    child.stderr.on('data', (c: Buffer) => ((stderr += c), (output += c)))
    const timer = setTimeout(() => killGroup(child), timeoutMs)
    const done = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
      clearTimeout(timer)
      running.delete(child)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      resolve({ code, signal, stdout, stderr, output: error ? `${output}\n${error.message}` : output, seconds })
    }
    child.on('error', (e) => done(null, null, e))
    child.on('close', (code, signal) => done(code, signal))
  })
}

export function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** Throws a RunFailure unless the process exited with 0. */
export function check(what: string, r: RunResult): RunResult {
  if (r.code !== 0) throw new RunFailure(what, r.signal ? `killed by ${r.signal}` : `exited with code ${r.code}`, r.output)
  return r
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
