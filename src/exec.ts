/**
 * The executor: the one place that starts processes. Commands are argument
 * arrays, never shell strings. It logs what it runs, and turns a non-zero
 * exit into a StageError with the tail of the output.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
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
  /** Variables added to (or, when undefined, removed from) what the child gets of the action's environment (see environment()). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Which of the action's variables the child gets: `build` (the default) or `tool` (a signing program: the essentials only). */
  readonly scope?: EnvScope
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
 * How a command is started on this host: as it is, or, for a program built
 * for another system, through the layer that runs it (src/cross/wine.ts:
 * Windows programs under Wine on a Linux runner). Set once per run by the
 * pipeline (useLauncher); planners never see it.
 */
export type Launcher = (cmd: Command) => Command
const asItIs: Launcher = (cmd) => cmd
let launcher: Launcher = asItIs

/** Starts every later command through `l` (undefined: as it is). */
export function useLauncher(l: Launcher | undefined): void {
  launcher = l ?? asItIs
}

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
 * Which of the action's variables a child gets (README, "Security"):
 * - `tool` (a signing program: osslsigncode, openssl, signtool, security,
 *   codesign, notarytool, and the helpers that stop a process tree): the
 *   ESSENTIALS only — the system's search path, home, temp folders, locale,
 *   Windows' own variables, proxies and CA settings.
 * - `build` (the installers and build backends, the builder, the inspect
 *   helpers, the smoke-tested programs): the essentials, every variable
 *   outside the runner's namespaces (RUNNER_NAMESPACES) — what the step's,
 *   the job's and the workflow's `env:` set, what an earlier step wrote to
 *   GITHUB_ENV, and the runner image's own variables — and of the GITHUB_
 *   variables only the read-only facts of the run (RUN_FACTS).
 * Never, in either scope: the inputs (INPUT_*, where the secrets are), the
 *   runner's tokens and service URLs (ACTIONS_*), the post step's state
 *   (STATE_*), the runner's command files (GITHUB_ENV, GITHUB_OUTPUT, …),
 *   nor a GitHub token (GITHUB_TOKEN, GH_TOKEN, GH_ENTERPRISE_TOKEN).
 */
export type EnvScope = 'build' | 'tool'

/** Names (compared in upper case) that every child gets when the action has them. */
export const ESSENTIALS: readonly string[] = Object.freeze([
  // POSIX: search path, user, home, shell, temp folder, time zone, terminal, locale
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TZ',
  'TERM',
  'LANG',
  'LANGUAGE',
  // Windows: the system folders, the command interpreter and program extensions, the user's profile and folders
  'SYSTEMROOT',
  'SYSTEMDRIVE',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'TEMP',
  'TMP',
  'USERPROFILE',
  'USERNAME',
  'USERDOMAIN',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'ALLUSERSPROFILE',
  'PUBLIC',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'PROGRAMW6432',
  'COMMONPROGRAMFILES',
  'COMMONPROGRAMFILES(X86)',
  'COMMONPROGRAMW6432',
  'COMPUTERNAME',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
  'PROCESSOR_ARCHITEW6432',
  'PROCESSOR_IDENTIFIER',
  'PROCESSOR_LEVEL',
  'PROCESSOR_REVISION',
  'OS',
  'PSMODULEPATH',
  // macOS: the developer tools codesign and xcrun use
  'DEVELOPER_DIR',
  // proxies (curl, pip, uv, requests read both spellings)
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  // CA settings of the runner (a TLS-inspecting proxy's certificate, a self-hosted runner's own CA)
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'NODE_EXTRA_CA_CERTS',
  // a CI marker that tools read to stay non-interactive
  'CI'
])

/** Prefixes of essential names: the locale categories and XDG's folders. */
export const ESSENTIAL_PREFIXES: readonly string[] = Object.freeze(['LC_', 'XDG_'])

/** The runner's namespaces: its own variables, the inputs, the tokens, the post step's state. */
export const RUNNER_NAMESPACES: readonly string[] = Object.freeze(['GITHUB_', 'RUNNER_', 'ACTIONS_', 'INPUT_', 'STATE_'])

/** The GITHUB_ variables a build child gets: read-only facts of the run (a setup.py may version itself from the tag). */
export const RUN_FACTS: readonly string[] = Object.freeze([
  'GITHUB_ACTIONS',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_REF_TYPE',
  'GITHUB_SHA',
  'GITHUB_REPOSITORY',
  'GITHUB_REPOSITORY_OWNER',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_NUMBER',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_SERVER_URL',
  'GITHUB_WORKFLOW',
  'GITHUB_EVENT_NAME',
  'GITHUB_HEAD_REF',
  'GITHUB_BASE_REF',
  'GITHUB_JOB',
  'GITHUB_WORKSPACE'
])

/** Tokens a workflow commonly sets outside the runner's namespaces: never passed on. */
export const TOKEN_NAMES: readonly string[] = Object.freeze(['GH_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_TOKEN'])

/** Whether a child of `scope` gets the action's variable `name`. */
export function passesTo(scope: EnvScope, name: string): boolean {
  const upper = name.toUpperCase()
  if (TOKEN_NAMES.includes(upper)) return false
  if (ESSENTIALS.includes(upper) || ESSENTIAL_PREFIXES.some((p) => upper.startsWith(p))) return true
  if (scope === 'tool') return false
  if (RUN_FACTS.includes(upper)) return true
  return !RUNNER_NAMESPACES.some((p) => upper.startsWith(p))
}

/** The log line that says which of the action's variables no build child gets: names only, the inputs and state counted. */
export function childEnvironmentSummary(base: NodeJS.ProcessEnv = process.env): string {
  const left = Object.keys(base)
    .filter((k) => base[k] !== undefined && !passesTo('build', k))
    .sort()
  const counted = ['INPUT_', 'STATE_'].map((p) => ({ p, n: left.filter((k) => k.toUpperCase().startsWith(p)).length })).filter((c) => c.n)
  const named = left.filter((k) => !counted.some((c) => k.toUpperCase().startsWith(c.p)))
  const parts = [...counted.map((c) => `${c.p}* (${c.n})`), ...named]
  return parts.length
    ? `Child processes get the system's variables and the workflow's env:, never the runner's: ${parts.join(', ')}.`
    : "Child processes get the system's variables and the workflow's env:."
}

/**
 * The environment of a child: what `scope` passes of `base` (see EnvScope),
 * with `extra` applied. On Windows names are case-insensitive, so a variable
 * of `extra` replaces (or removes) every spelling of it in `base`: Windows
 * keeps its search path as `Path`, and a planner that sets `PATH` (Nuitka's,
 * to put the venv first) would otherwise give the child both, of which Node
 * passes only one ("On Windows ... Node.js lexicographically sorts the env
 * keys and uses the first one that case-insensitively matches", Node.js
 * docs, child_process.spawn, options.env) — which one depends on the
 * spelling, not on the plan.
 */
export function environment(
  extra?: Command['env'],
  base: NodeJS.ProcessEnv = process.env,
  windows = process.platform === 'win32',
  scope: EnvScope = 'build'
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(base)) if (v !== undefined && passesTo(scope, k)) env[k] = v
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
export async function runCommand(planned: Command, opts: RunOptions = {}): Promise<Result> {
  const cmd = launcher(planned)
  const ended = childStarted()
  const secret = Boolean(cmd.redact?.length)
  const onLine = opts.onLine && !opts.silent && !secret ? opts.onLine : undefined
  try {
    if (secret && !opts.silent) core.info(`[command]${display(cmd)}`)
    const result = await exec.getExecOutput(cmd.program, [...cmd.args], {
      cwd: cmd.cwd,
      env: environment(cmd.env, process.env, undefined, cmd.scope),
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

/**
 * How a process tree is stopped after a time-out, gentlest first; resolves
 * when it is done, with the ids of the processes of the tree that it saw
 * still running at the end (empty when it knows of none). `exited(ms)` waits
 * up to ms for the started process to exit and says whether it did;
 * `terminate()` ends the started process itself (Node's `child.kill()`:
 * TerminateProcess on Windows, SIGKILL elsewhere), the last resort.
 */
export type Stopper = (pid: number, graceMs: number, exited: (ms: number) => Promise<boolean>, terminate: () => void) => Promise<readonly number[] | void>

/**
 * `read(pid folder)` for every process in /proc, unreadable ones (gone, not ours) left out; empty where there is no
 * /proc.
 */
export function eachProcess<T>(read: (dir: string, pid: number) => T[], proc = '/proc'): T[] {
  let entries: string[]
  try {
    entries = fs.readdirSync(proc).filter((e) => /^\d+$/.test(e))
  } catch {
    return []
  }
  return entries.flatMap((e) => {
    try {
      return read(path.join(proc, e), Number(e))
    } catch {
      return []
    }
  })
}

/** The ids of the processes in process group `pgid`, from /proc (empty where there is no /proc). */
export function processGroupMembers(pgid: number, proc = '/proc'): number[] {
  return eachProcess((dir, pid) => {
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp ...", comm may hold spaces and parentheses: read after the last ')'.
    const stat = fs.readFileSync(path.join(dir, 'stat'), 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[2]) === pgid && fields[0] !== 'Z' ? [pid] : []
  }, proc)
}

/**
 * POSIX: SIGTERM to the process group (a one-file executable forks a child),
 * so that a one-file program removes the folder it unpacked itself into,
 * then SIGKILL graceMs later to what is still in the group. What is still
 * there graceMs after SIGKILL (a process in uninterruptible sleep) is
 * returned: SIGKILL is the last step there is.
 */
export function stopPosixGroup(members: (pgid: number) => number[] = processGroupMembers): Stopper {
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
  /** The group's members once it is empty or graceMs have passed. */
  const settled = async (pgid: number, graceMs: number): Promise<number[]> => {
    const deadline = Date.now() + graceMs
    let left = members(pgid)
    while (left.length && Date.now() < deadline) {
      await pause(Math.min(100, graceMs))
      left = members(pgid)
    }
    return left
  }
  return async (pid, graceMs, exited) => {
    const signal = (s: NodeJS.Signals): void => {
      try {
        process.kill(-pid, s)
      } catch {
        /* the group is gone */
      }
    }
    signal('SIGTERM')
    if ((await exited(graceMs)) && !(await settled(pid, Math.min(graceMs, 500))).length) return []
    signal('SIGKILL')
    await exited(graceMs)
    return settled(pid, graceMs)
  }
}

/**
 * The commands that stop a process tree on Windows, gentlest first
 * (Microsoft, "taskkill": /T "ends the specified process and any child
 * processes started by it", /F "specifies that processes be forcefully
 * ended"; without /F taskkill asks the process to close, which a windowed
 * program can honour):
 * 1. `close`: taskkill /T without /F.
 * 2. The processes the started one started, and theirs: the process table
 *    (`processes`, PowerShell's Win32_Process; `processesWmic`, the same
 *    table from wmic where PowerShell is missing or prints nothing, as under
 *    Wine) gives each process's parent. A PyInstaller one-file program is a
 *    parent bootloader waiting for its child, and the parent removes its _MEI
 *    folder only after the child ended (bootloader/src/pyi_utils_win32.c,
 *    the waiting loop; a forced kill of the parent leaves the folder behind,
 *    PyInstaller manual, "How the One-File Program Works"). So the
 *    descendants are ended (`kill`, /F, deepest first: each is named, so no
 *    /T is needed, which Wine's taskkill refuses), and the parent gets the
 *    time to clean up and exit by itself.
 * 3. `killTree` of the started process: what is still there, forcefully.
 * 4. The started process itself, with Node's child.kill() (TerminateProcess),
 *    when taskkill could not end it.
 */
export const windowsStopCommands = {
  close: (pid: number): Command => ({ program: 'taskkill', args: ['/PID', String(pid), '/T'] }),
  processes: (): Command => ({
    program: 'powershell',
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', 'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.ParentProcessId)" }']
  }),
  processesWmic: (): Command => ({ program: 'wmic', args: ['process', 'get', 'ParentProcessId,ProcessId'] }),
  kill: (pid: number): Command => ({ program: 'taskkill', args: ['/PID', String(pid), '/F'] }),
  killTree: (pid: number): Command => ({ program: 'taskkill', args: ['/PID', String(pid), '/T', '/F'] })
}

/** A process and its parent, as the process table lists them. */
export interface ProcessEntry {
  readonly pid: number
  readonly ppid: number
}

/**
 * The process table from PowerShell's lines ("pid ppid", no header:
 * `headerless`) or wmic's table, whose header names ParentProcessId and
 * ProcessId in its own order and spacing (Windows pads the columns; Wine
 * 10's wmic runs the names together: "ParentProcessIDProcessID"), one row
 * per process. A table without the header it needs is read as empty: with
 * the columns guessed, a parent read as a child would be ended. wmic writes
 * UTF-16 to a pipe: decode it before (decodeHelperOutput).
 */
export function parseProcessTable(text: string, headerless = false): ProcessEntry[] {
  const lines = text.split(/\r?\n/)
  const header = lines.findIndex((l) => /ParentProcessId/i.test(l) && /ProcessId/i.test(l.replace(/ParentProcessId/gi, '')))
  if (header === -1 && !headerless) return []
  const parentFirst =
    header === -1
      ? false
      : lines[header].search(/ParentProcessId/i) < lines[header].replace(/ParentProcessId/gi, (m) => ' '.repeat(m.length)).search(/ProcessId/i)
  return lines
    .slice(header + 1)
    .map((l) => l.trim().split(/\s+/))
    .filter((l) => l.length === 2 && l.every((w) => /^\d+$/.test(w)))
    .map((l) => (parentFirst ? { pid: Number(l[1]), ppid: Number(l[0]) } : { pid: Number(l[0]), ppid: Number(l[1]) }))
}

/** The processes below `pid` in the table, deepest first (a child before its parent). A pid listed as its own parent ends the walk. */
export function descendants(table: readonly ProcessEntry[], pid: number): number[] {
  const order: number[][] = []
  const seen = new Set([pid])
  let level = [pid]
  while (level.length) {
    const next = table.filter((e) => level.includes(e.ppid) && !seen.has(e.pid)).map((e) => e.pid)
    for (const p of next) seen.add(p)
    if (next.length) order.push(next)
    level = next
  }
  return order.reverse().flat()
}

/** A helper's stdout as text: UTF-16LE when it starts with a byte-order mark or looks like it (wmic to a pipe), UTF-8 otherwise. */
export function decodeHelperOutput(out: Buffer): string {
  if (out.length >= 2 && out[0] === 0xff && out[1] === 0xfe) return out.subarray(2).toString('utf16le')
  const zeros = out.subarray(0, 200).filter((b, i) => i % 2 === 1 && b === 0).length
  return out.length >= 4 && zeros >= Math.min(out.length, 200) / 4 ? out.toString('utf16le') : out.toString('utf8')
}

/** How long one stop helper (taskkill, PowerShell, wmic) may run, and how long a whole stop sequence may take. */
export const STOP_HELPER_TIMEOUT_MS = 10_000
export const STOP_BOUND_MS = 25_000

/** Runs a short helper command to its end (at most STOP_HELPER_TIMEOUT_MS) and returns its stdout; never throws. */
function runQuietly(cmd: Command): Promise<string> {
  return new Promise((resolve) => {
    const out: Buffer[] = []
    const done = (): void => resolve(decodeHelperOutput(Buffer.concat(out)))
    try {
      const p = spawn(cmd.program, [...cmd.args], {
        env: environment(cmd.env, process.env, undefined, 'tool'),
        stdio: ['ignore', 'pipe', 'ignore'],
        windowsHide: true,
        timeout: STOP_HELPER_TIMEOUT_MS
      })
      p.stdout.on('data', (c: Buffer) => out.push(c))
      p.on('error', done)
      p.on('close', done)
    } catch {
      done()
    }
  })
}

/** The process table: PowerShell's, or wmic's when PowerShell gave none. */
async function processTable(run: (cmd: Command) => Promise<string>): Promise<ProcessEntry[]> {
  const table = parseProcessTable(await run(windowsStopCommands.processes()), true)
  return table.length ? table : parseProcessTable(await run(windowsStopCommands.processesWmic()))
}

/** Windows: the steps of windowsStopCommands, each awaited; returns the descendants still listed at the end. */
export function stopWindowsTree(run: (cmd: Command) => Promise<string> = runQuietly): Stopper {
  return async (pid, graceMs, exited, terminate) => {
    await run(windowsStopCommands.close(pid))
    if (await exited(graceMs)) return []
    // Never this process (nor its parent): whatever a process table says, the action does not end itself.
    const tree = descendants(await processTable(run), pid).filter((p) => p !== process.pid && p !== process.ppid)
    for (const p of tree) await run(windowsStopCommands.kill(p))
    const stillThere = async (): Promise<number[]> => {
      if (!tree.length) return []
      const alive = new Set((await processTable(run)).map((e) => e.pid))
      return tree.filter((p) => alive.has(p))
    }
    if (tree.length && (await exited(graceMs))) return stillThere()
    await run(windowsStopCommands.killTree(pid))
    if (await exited(graceMs)) return stillThere()
    terminate()
    await exited(graceMs)
    return stillThere()
  }
}

export interface TimedResult {
  readonly exitCode: number | null
  readonly signal: string | null
  readonly timedOut: boolean
  /** stdout and stderr interleaved as they arrived: the first and last characters (BoundedOutput), with what was cut said between. */
  readonly output: string
  readonly ms: number
  /**
   * After a time-out: the processes of the tree still running after every
   * stop step (the started one first when it is among them). Nothing waits
   * for them: they are named instead.
   */
  readonly survivors: readonly number[]
}

/** The longest delay Node's timers take: a longer one overflows and fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** `promise`, or `fallback` when it has not settled after ms. */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() => clearTimeout(timer))
}

/**
 * Runs a command with a time limit, capturing its output. On time-out the
 * process tree is stopped by `stop` (stopPosixGroup, or stopWindowsTree on
 * Windows; the whole sequence bounded by stopBoundMs), and the result
 * waits for that to finish. A process that outlives every stop step is not
 * waited for: the result comes back naming it (survivors). A process the
 * program started and left running can hold its output pipes open after it
 * exited: the result then comes graceMs after the exit, not whenever that
 * process ends.
 */
export function runWithTimeout(
  planned: Command,
  timeoutMs: number,
  graceMs = 2000,
  stop: Stopper = process.platform === 'win32' ? stopWindowsTree() : stopPosixGroup(),
  stopBoundMs = STOP_BOUND_MS
): Promise<TimedResult> {
  const cmd = launcher(planned)
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
      env: environment(cmd.env, process.env, undefined, cmd.scope),
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
    const letGo = (): void => {
      child.stdout.destroy()
      child.stderr.destroy()
      child.unref()
    }
    let stopping: Promise<readonly number[]> = Promise.resolve([])
    const timer = setTimeout(
      () => {
        timedOut = true
        const pid = child.pid
        if (!pid) return
        const terminate = (): void => void child.kill('SIGKILL')
        stopping = within(
          stop(pid, graceMs, exited, terminate).then((s) => s ?? []),
          stopBoundMs,
          []
        )
          .catch(() => [] as number[])
          .then((found) => {
            const survivors = [...new Set([...(exit ? [] : [pid]), ...found])]
            if (!exit) {
              // Every stop step is done and the process is still there: waiting longer would wait forever.
              output.add(`\n(process ${survivors.join(', ')} still ran after every stop step: stopped waiting for it)\n`)
              letGo()
              finish(null, null)
            }
            return survivors
          })
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
      void stopping.then((survivors) => {
        const ms = Date.now() - started
        ended()
        resolve({ exitCode, signal, timedOut, output: output.toString(), ms, survivors })
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
        letGo()
        finish(code, signal)
      }, graceMs)
    })
    child.on('close', (code, signal) => finish(exit?.code ?? code, exit?.signal ?? signal))
  })
}
