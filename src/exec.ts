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

/**
 * Time spent waiting for child processes, in milliseconds (the rest is the
 * action's own): wall time while at least one runs, so that processes run
 * side by side count once.
 */
export const childTime = { ms: 0 }
let running = 0
let runningSince = 0

/** Marks a child process started; the returned function marks it ended. */
function childStarted(): () => void {
  if (running++ === 0) runningSince = Date.now()
  let ended = false
  return () => {
    if (ended) return
    ended = true
    if (--running === 0) childTime.ms += Date.now() - runningSince
  }
}

export function display(cmd: Command): string {
  return [cmd.program, ...cmd.args].map((a) => (cmd.redact?.some((r) => r && a.includes(r)) ? '***' : quoteForDisplay(a))).join(' ')
}

/** Replaces every secret value in a text. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  return secrets.filter((s) => s).reduce((t, s) => t.split(s).join('***'), text)
}

/**
 * The environment of a child: `base` with `extra` applied. On Windows names
 * are case-insensitive, so a variable of `extra` replaces (or removes) every
 * spelling of it in `base`: Windows keeps its search path as `Path`, and a
 * planner that sets `PATH` (Nuitka's, to put the venv first) would otherwise
 * give the child both, of which Node passes only one ("On Windows ... Node.js
 * lexicographically sorts the env keys and uses the first one that
 * case-insensitively matches", Node.js docs, child_process.spawn, options.env)
 * — which one depends on the spelling, not on the plan.
 */
export function environment(extra?: Command['env'], base: NodeJS.ProcessEnv = process.env, windows = process.platform === 'win32'): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v
  for (const [k, v] of Object.entries(extra ?? {})) {
    const spellings = windows ? Object.keys(env).filter((e) => e.toUpperCase() === k.toUpperCase()) : [k]
    for (const e of spellings) delete env[e]
    if (v !== undefined) env[windows ? (spellings[0] ?? k) : k] = v
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

export interface RunOptions {
  /** Nothing goes to the log. */
  readonly silent?: boolean
  /** Each line of output goes here instead of to the log (a command run beside others prefixes its lines). */
  readonly onLine?: (line: string) => void
}

/** Runs a command with its output streamed to the log; returns whatever the exit code. */
export async function runCommand(cmd: Command, opts: RunOptions = {}): Promise<Result> {
  const ended = childStarted()
  const secret = Boolean(cmd.redact?.length)
  const onLine = opts.onLine && !opts.silent && !secret ? opts.onLine : undefined
  try {
    if (secret && !opts.silent) core.info(`[command]${display(cmd)}`)
    const result = await exec.getExecOutput(cmd.program, [...cmd.args], {
      cwd: cmd.cwd,
      env: environment(cmd.env),
      ignoreReturnCode: true,
      silent: opts.silent || secret || Boolean(onLine),
      ...(onLine ? { listeners: { stdline: onLine, errline: onLine } } : {})
    })
    if (!secret) return result
    const clean = { exitCode: result.exitCode, stdout: redactText(result.stdout, cmd.redact), stderr: redactText(result.stderr, cmd.redact) }
    if (!opts.silent && (clean.stdout || clean.stderr)) core.info(`${clean.stdout}${clean.stderr}`.trimEnd())
    return clean
  } catch (e) {
    throw new StageError('run', `could not start ${cmd.program}: ${(e as Error).message}`)
  } finally {
    ended()
  }
}

/** Runs a command and throws a StageError naming `stage` and `hint` when it fails. */
export async function runChecked(stage: string, cmd: Command, hint: string, opts: RunOptions = {}): Promise<Result> {
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
 * How a process tree is stopped after a time-out, gentlest first; resolves
 * when it is done. `exited(ms)` waits up to ms for the started process to
 * exit and says whether it did.
 */
export type Stopper = (pid: number, graceMs: number, exited: (ms: number) => Promise<boolean>) => Promise<void>

/**
 * POSIX: SIGTERM to the process group (a one-file executable forks a child),
 * so that a one-file program removes the folder it unpacked itself into,
 * then SIGKILL graceMs later if it is still there.
 */
export const stopPosixGroup: Stopper = async (pid, graceMs, exited) => {
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s)
    } catch {
      /* the group is gone */
    }
  }
  signal('SIGTERM')
  if (!(await exited(graceMs))) signal('SIGKILL')
}

/**
 * The commands that stop a process tree on Windows, gentlest first
 * (Microsoft, "taskkill": /T "ends the specified process and any child
 * processes started by it", /F "specifies that processes be forcefully
 * ended"; without /F taskkill asks the process to close, which a windowed
 * program can honour):
 * 1. `close`: taskkill /T without /F.
 * 2. `children`: the processes the started one started. A PyInstaller
 *    one-file program is a parent bootloader waiting for its child, and the
 *    parent removes its _MEI folder only after the child ended
 *    (bootloader/src/pyi_utils_win32.c, the waiting loop; a forced kill of
 *    the parent leaves the folder behind, PyInstaller manual, "How the
 *    One-File Program Works"). So the children are ended (`killTree` of each,
 *    /T /F), and the parent gets the time to clean up and exit by itself.
 * 3. `killTree` of the started process: what is still there, forcefully.
 */
export const windowsStopCommands = {
  close: (pid: number): Command => ({ program: 'taskkill', args: ['/PID', String(pid), '/T'] }),
  children: (pid: number): Command => ({
    program: 'powershell',
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', `(Get-CimInstance Win32_Process -Filter 'ParentProcessId=${pid}').ProcessId`]
  }),
  killTree: (pid: number): Command => ({ program: 'taskkill', args: ['/PID', String(pid), '/T', '/F'] })
}

/** Runs a short helper command to its end (at most 30 s) and returns its stdout; never throws. */
function runQuietly(cmd: Command): Promise<string> {
  return new Promise((resolve) => {
    let out = ''
    try {
      const p = spawn(cmd.program, [...cmd.args], { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true, timeout: 30_000 })
      p.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
      p.on('error', () => resolve(out))
      p.on('close', () => resolve(out))
    } catch {
      resolve(out)
    }
  })
}

/** Windows: the steps of windowsStopCommands, each awaited. */
export function stopWindowsTree(run: (cmd: Command) => Promise<string> = runQuietly): Stopper {
  return async (pid, graceMs, exited) => {
    await run(windowsStopCommands.close(pid))
    if (await exited(graceMs)) return
    const children = (await run(windowsStopCommands.children(pid))).split(/\s+/).filter((p) => /^\d+$/.test(p))
    for (const child of children) await run(windowsStopCommands.killTree(Number(child)))
    if (children.length && (await exited(graceMs))) return
    await run(windowsStopCommands.killTree(pid))
    await exited(graceMs)
  }
}

/**
 * Runs a command with a time limit, capturing its output. On time-out the
 * process tree is stopped by `stop` (stopPosixGroup, or stopWindowsTree on
 * Windows), and the result waits for that to finish. A process the program
 * started and left running can hold its output pipes open after it exited:
 * the result then comes graceMs after the exit, not whenever that process
 * ends.
 */
export function runWithTimeout(
  cmd: Command,
  timeoutMs: number,
  graceMs = 2000,
  stop: Stopper = process.platform === 'win32' ? stopWindowsTree() : stopPosixGroup
): Promise<TimedResult> {
  const started = Date.now()
  const windows = process.platform === 'win32'
  const ended = childStarted()
  return new Promise((resolve) => {
    const output = new BoundedOutput()
    let timedOut = false
    let exit: { code: number | null; signal: string | null } | undefined
    const exitWaiters: (() => void)[] = []
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
    const exited = (ms: number): Promise<boolean> =>
      exit
        ? Promise.resolve(true)
        : new Promise((done) => {
            const t = setTimeout(() => done(Boolean(exit)), ms)
            exitWaiters.push(() => {
              clearTimeout(t)
              done(true)
            })
          })
    let stopping: Promise<void> = Promise.resolve()
    const timer = setTimeout(
      () => {
        timedOut = true
        stopping = child.pid ? stop(child.pid, graceMs, exited).catch(() => undefined) : Promise.resolve()
      },
      Math.min(timeoutMs, MAX_TIMER_MS)
    )
    let finished = false
    let held: NodeJS.Timeout | undefined
    const finish = (exitCode: number | null, signal: string | null): void => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      clearTimeout(held)
      void stopping.then(() => {
        const ms = Date.now() - started
        ended()
        resolve({ exitCode, signal, timedOut, output: output.toString(), ms })
      })
    }
    child.on('error', (e) => {
      output.add(`\n${e.message}`)
      finish(null, null)
    })
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      for (const w of exitWaiters.splice(0)) w()
      held = setTimeout(() => {
        output.add(`\n(a process it started still held its output open ${graceMs / 1000} s after it exited: stopped waiting for it)\n`)
        child.stdout.destroy()
        child.stderr.destroy()
        finish(code, signal)
      }, graceMs)
    })
    child.on('close', (code, signal) => finish(exit?.code ?? code, exit?.signal ?? signal))
  })
}
