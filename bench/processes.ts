/** Running programs for the bench: each in its own process group, timed, killed as a group on time-out or Ctrl-C. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { median } from './stats.js'
import { quoteForDisplay } from '../src/words.js'

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

let logDir: string | undefined

/** Keeps the output of every run that `check` sees in `dir`, a file per run named after it (`--logs DIR`). */
export function keepLogs(dir: string): void {
  fs.mkdirSync(dir, { recursive: true })
  logDir = dir
}

/** Throws a RunFailure unless the process exited with 0; keeps its output when keepLogs asked for it. */
export function check(what: string, r: RunResult): RunResult {
  if (logDir) fs.writeFileSync(path.join(logDir, `${what.replace(/[^\w.()' -]+/g, '_').slice(0, 120)}.log`), r.output)
  if (r.code !== 0) throw new RunFailure(what, r.signal ? `killed by ${r.signal}` : `exited with code ${r.code}`, r.output)
  return r
}

/** Runs `program smoke…` once, from `cwd`, with no Python on PATH; a RunFailure when it fails. */
export async function smokeOnce(label: string, program: string, smoke: readonly string[], cwd: string): Promise<void> {
  const r = await run(program, smoke, { cwd, env: { PATH: '/usr/bin:/bin', HOME: cwd, LANG: 'C.UTF-8' } })
  check(`${label}: its executable, \`${[path.basename(program), ...smoke].join(' ')}\``, r)
}

/** Wall-clock seconds of `program args`, median of n runs, from a folder outside the build; throws when one fails. */
export function startupSeconds(label: string, program: string, args: readonly string[], n: number, cwd: string): number {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint()
    const r = spawnSync(program, args, { cwd, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: cwd, LANG: 'C.UTF-8' } })
    times.push(Number(process.hrtime.bigint() - started) / 1e9)
    if (r.status !== 0)
      throw new RunFailure(`${label} ${[path.basename(program), ...args].map(quoteForDisplay).join(' ')}`, `exited with ${r.status}`, `${r.stdout}${r.stderr}`)
  }
  return median(times) as number // n ≥ 1 runs, each timed
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
