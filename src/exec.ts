/**
 * The executor: the one place that starts processes. Commands are argument
 * arrays, never shell strings. It logs what it runs, and turns a non-zero
 * exit into a StageError with the tail of the output.
 */
import { spawn } from 'node:child_process'
import { StringDecoder } from 'node:string_decoder'
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

/** The longest line `tail` shows whole, and the most characters it returns. */
export const TAIL_LINE_CHARS = 500
export const TAIL_CHARS = 4096

/**
 * The last `n` non-empty lines of a process's output, for a message: a line
 * longer than TAIL_LINE_CHARS is cut (saying by how much), and the whole is
 * at most `maxChars`, however much the process printed.
 */
export function tail(text: string, n = 20, maxChars = TAIL_CHARS): string {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .map((l) => (l.length > TAIL_LINE_CHARS ? `${l.slice(0, TAIL_LINE_CHARS)}… [${l.length - TAIL_LINE_CHARS} more characters cut]` : l))
  let out = lines.join('\n')
  if (out.length > maxChars) out = `[… ${out.length - maxChars} characters cut]${out.slice(out.length - maxChars)}`
  return out
}

/** How much of a smoke command's output is kept: its first and its last characters. */
export const OUTPUT_HEAD_CHARS = 16 * 1024
export const OUTPUT_TAIL_CHARS = 48 * 1024

/**
 * A command's output kept within a fixed budget: the first `headMax` and the
 * last `tailMax` characters, and how many were cut between them.
 */
export class BoundedOutput {
  private head = ''
  private end = ''
  private cut = 0

  constructor(
    private readonly headMax = OUTPUT_HEAD_CHARS,
    private readonly tailMax = OUTPUT_TAIL_CHARS
  ) {}

  add(text: string): void {
    let rest = text
    if (this.head.length < this.headMax) {
      const room = this.headMax - this.head.length
      this.head += rest.slice(0, room)
      rest = rest.slice(room)
    }
    if (!rest) return
    this.end += rest
    if (this.end.length > this.tailMax) {
      this.cut += this.end.length - this.tailMax
      this.end = this.end.slice(this.end.length - this.tailMax)
    }
  }

  /** Characters left out between the head and the tail. */
  get cutChars(): number {
    return this.cut
  }

  toString(): string {
    return this.cut ? `${this.head}\n[… ${this.cut} characters of output cut here …]\n${this.end}` : `${this.head}${this.end}`
  }
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
  /** stdout and stderr interleaved as they arrived: the first and last characters (BoundedOutput), with what was cut said between. */
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
    const output = new BoundedOutput()
    let timedOut = false
    const child = spawn(cmd.program, [...cmd.args], {
      cwd: cmd.cwd,
      env: environment(cmd.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: !windows,
      windowsHide: true
    })
    // One decoder per stream: a character split between two chunks is joined again.
    const collect = (decoder: StringDecoder) => (chunk: Buffer) => output.add(decoder.write(chunk))
    child.stdout.on('data', collect(new StringDecoder('utf8')))
    child.stderr.on('data', collect(new StringDecoder('utf8')))
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
      resolve({ exitCode, signal, timedOut, output: output.toString(), ms })
    }
    child.on('error', (e) => {
      output.add(`\n${e.message}`)
      finish(null, null)
    })
    child.on('close', finish)
  })
}
