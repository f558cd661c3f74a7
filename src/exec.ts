/**
 * The executor: the one place that starts processes. Commands are argument
 * arrays, never shell strings. It logs what it runs, and turns a non-zero
 * exit into a StageError with the tail of the output.
 */
import { spawn } from 'node:child_process'
import * as core from '@actions/core'
import * as exec from '@actions/exec'
import { StageError } from './errors.js'
import { quoteForDisplay } from './words.js'

/** A planned program run. */
export interface Command {
  readonly program: string
  readonly args: readonly string[]
  readonly cwd?: string
  /** Variables added to (or, when undefined, removed from) the action's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Secret values among the arguments: never logged (shown as ***), nor is the command's raw output. */
  readonly redact?: readonly string[]
}

export interface Result {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** Variables that keep a Python child to its own environment: no PYTHONPATH/PYTHONHOME from the runner, no user site. */
export const NO_PYTHON_LEAKS: Readonly<Record<string, string | undefined>> = Object.freeze({
  PYTHONPATH: undefined,
  PYTHONHOME: undefined,
  PYTHONNOUSERSITE: '1'
})

/** Time spent waiting for child processes, in milliseconds (the rest is the action's own). */
export const childTime = { ms: 0 }

export function display(cmd: Command): string {
  return [cmd.program, ...cmd.args].map((a) => (cmd.redact?.some((r) => r && a.includes(r)) ? '***' : quoteForDisplay(a))).join(' ')
}

/** Replaces every secret value in a text. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  return secrets.filter((s) => s).reduce((t, s) => t.split(s).join('***'), text)
}

export function environment(extra?: Command['env'], base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

/** The last `n` non-empty lines of a process's output. */
export function tail(text: string, n = 20): string {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n')
}

/** Runs a command with its output streamed to the log; returns whatever the exit code. */
export async function runCommand(cmd: Command, opts: { silent?: boolean } = {}): Promise<Result> {
  const started = Date.now()
  const secret = Boolean(cmd.redact?.length)
  try {
    if (secret && !opts.silent) core.info(`[command]${display(cmd)}`)
    const result = await exec.getExecOutput(cmd.program, [...cmd.args], {
      cwd: cmd.cwd,
      env: environment(cmd.env),
      ignoreReturnCode: true,
      silent: opts.silent || secret
    })
    if (!secret) return result
    const clean = { exitCode: result.exitCode, stdout: redactText(result.stdout, cmd.redact), stderr: redactText(result.stderr, cmd.redact) }
    if (!opts.silent && (clean.stdout || clean.stderr)) core.info(`${clean.stdout}${clean.stderr}`.trimEnd())
    return clean
  } catch (e) {
    throw new StageError('run', `could not start ${cmd.program}: ${(e as Error).message}`)
  } finally {
    childTime.ms += Date.now() - started
  }
}

/** Runs a command and throws a StageError naming `stage` and `hint` when it fails. */
export async function runChecked(stage: string, cmd: Command, hint: string, opts: { silent?: boolean } = {}): Promise<Result> {
  const result = await runCommand(cmd, opts)
  if (result.exitCode !== 0) {
    const output = tail(`${result.stdout}\n${result.stderr}`)
    throw new StageError(stage, `\`${display(cmd)}\` exited with code ${result.exitCode}. ${hint}${output ? `\nLast lines of its output:\n${output}` : ''}`)
  }
  return result
}

export interface TimedResult {
  readonly exitCode: number | null
  readonly signal: string | null
  readonly timedOut: boolean
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string
  readonly ms: number
}

/** The longest delay Node's timers take: a longer one overflows and fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Runs a command with a time limit, capturing its output. On time-out the
 * whole process group (a one-file executable forks a child) is asked to stop
 * with SIGTERM, so that a one-file program removes the folder it unpacked
 * itself into, and killed graceMs later if it is still there. On Windows the
 * process tree is killed at once.
 */
export function runWithTimeout(cmd: Command, timeoutMs: number, graceMs = 2000): Promise<TimedResult> {
  const started = Date.now()
  const windows = process.platform === 'win32'
  return new Promise((resolve) => {
    let output = ''
    let timedOut = false
    const child = spawn(cmd.program, [...cmd.args], {
      cwd: cmd.cwd,
      env: environment(cmd.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: !windows,
      windowsHide: true
    })
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      if (output.length > 1_000_000) output = output.slice(-500_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        if (windows) spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' })
        else if (child.pid) process.kill(-child.pid, signal)
      } catch {
        child.kill(signal)
      }
    }
    let killer: NodeJS.Timeout | undefined
    const timer = setTimeout(
      () => {
        timedOut = true
        signalGroup('SIGTERM')
        killer = setTimeout(() => signalGroup('SIGKILL'), graceMs)
      },
      Math.min(timeoutMs, MAX_TIMER_MS)
    )
    const finish = (exitCode: number | null, signal: string | null): void => {
      clearTimeout(timer)
      clearTimeout(killer)
      const ms = Date.now() - started
      childTime.ms += ms
      resolve({ exitCode, signal, timedOut, output, ms })
    }
    child.on('error', (e) => {
      output += `\n${e.message}`
      finish(null, null)
    })
    child.on('close', finish)
  })
}
