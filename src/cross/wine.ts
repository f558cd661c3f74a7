/**
 * Wine, for a Linux runner that builds Windows executables (target:
 * windows-x64): finding or installing it, the prefix (a Windows 10 "C:"
 * under the work folder, kept between runs that share it), and the launcher
 * that the executor (exec.ts) starts every Windows program through.
 *
 * The launcher's rule: a program whose name ends in .exe is a Windows
 * program, and runs as `wine <program as Z:\…> <args…>`; an argument or an
 * environment value that is a path under the folders the action shares with
 * the Windows side (RUNNER_TEMP, the workspace, the tool cache) is given as
 * the Windows program sees it (Z: is the host's /). Everything else (git,
 * osslsigncode, tar) stays a Linux program. Python's std streams need pipes
 * under Wine ("Invalid handle" on a regular file): the executor gives every
 * child pipes already.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import * as io from '@actions/io'
import { InputError, StageError } from '../errors.js'
import { eachProcess, environment, runCommand, runWithTimeout, tail, type Command, type Launcher } from '../exec.js'
import { targetPath } from '../platform.js'

/** The Wine programs: `wine` (the loader) and `wineserver`, absolute paths. */
export interface WinePrograms {
  readonly wine: string
  readonly wineserver: string
}

export interface WineSetup extends WinePrograms {
  /** `wine --version`: wine-10.0 (Debian 10.0~repack-6). */
  readonly version: string
  /** The prefix (WINEPREFIX), a host folder. */
  readonly prefix: string
}

/** The Debian and Ubuntu packages that give wine and wineserver for 64-bit Windows programs. */
export const WINE_PACKAGES: readonly string[] = ['wine64', 'wine']

/** Variables every Wine process gets: the prefix, and Wine's own chatter off (a program's output stays readable). */
export function wineEnv(prefix: string): Record<string, string> {
  return { WINEPREFIX: prefix, WINEDEBUG: '-all' }
}

/** Whether a command names a Windows program (run under Wine on a Linux host). */
export const isWindowsProgram = (program: string): boolean => /\.exe$/i.test(program)

/** True when `p` is `root` or lies under it. */
const under = (p: string, root: string): boolean => p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`)

/**
 * One argument (or environment value) as a Windows program needs it: a path
 * under one of `roots` as Z:\…, alone or as the value of `--option=`; any
 * other text unchanged (a smoke test's `--help` or `/?` stays what it is).
 */
export function translateArg(arg: string, roots: readonly string[]): string {
  const isShared = (p: string): boolean => p.startsWith('/') && roots.some((r) => r && under(path.posix.normalize(p), r))
  if (isShared(arg)) return targetPath({ via: 'wine' }, arg)
  const m = /^(--?[A-Za-z0-9][\w-]*=)(\/.*)$/.exec(arg)
  if (m && isShared(m[2])) return `${m[1]}${targetPath({ via: 'wine' }, m[2])}`
  return arg
}

/**
 * The launcher: a Windows program's command as the Linux command that runs
 * it under Wine in `setup`'s prefix; other commands unchanged.
 */
export function wineLauncher(setup: Pick<WineSetup, 'wine' | 'prefix'>, roots: readonly string[]): Launcher {
  const shared = [...new Set(roots.filter((r) => r.startsWith('/')).map((r) => path.posix.normalize(r).replace(/\/$/, '')))]
  return (cmd: Command): Command => {
    if (!isWindowsProgram(cmd.program)) return cmd
    const env: Record<string, string | undefined> = {}
    // PATH and other lists (a ':' in the value) stay as they are: Wine's own loader needs the host's PATH.
    for (const [k, v] of Object.entries(cmd.env ?? {})) env[k] = v === undefined || k.toUpperCase() === 'PATH' || v.includes(':') ? v : translateArg(v, shared)
    return {
      ...cmd,
      program: setup.wine,
      args: [targetPath({ via: 'wine' }, cmd.program), ...cmd.args.map((a) => translateArg(a, shared))],
      env: { ...env, ...wineEnv(setup.prefix) }
    }
  }
}

/** The version out of `wine --version` ('10.0' of 'wine-10.0 (Debian 10.0~repack-6)'); '' when it is not there. */
export function parseWineVersion(out: string): string {
  return /wine-(\d+(?:\.\d+)*)/.exec(out)?.[1] ?? ''
}

/**
 * Where Wine is: the WINE and WINESERVER variables (winetricks reads the
 * same: a Wine of another build or a wrapper), else `wine` on PATH and
 * `wineserver` beside it or on PATH. Undefined when there is no wine.
 */
export async function findWine(env: NodeJS.ProcessEnv = process.env): Promise<WinePrograms | undefined> {
  const which = async (name: string): Promise<string> => (name.includes('/') ? (fs.existsSync(name) ? path.resolve(name) : '') : io.which(name, false))
  const wine = await which(env.WINE || 'wine')
  if (!wine) return undefined
  const beside = path.join(path.dirname(wine), 'wineserver')
  const wineserver = env.WINESERVER ? await which(env.WINESERVER) : fs.existsSync(beside) ? beside : await io.which('wineserver', false)
  if (!wineserver) return undefined
  return { wine, wineserver }
}

/** How Wine can be installed here: apt-get as root, or through sudo without a password; undefined when neither. */
export async function aptInstall(
  run: (cmd: Command) => Promise<number> = async (c) => (await runCommand(c, { silent: true })).exitCode
): Promise<Command[] | undefined> {
  const aptGet = await io.which('apt-get', false)
  if (!aptGet) return undefined
  const root = process.getuid?.() === 0
  const sudo = root ? '' : await io.which('sudo', false)
  if (!root && (!sudo || (await run({ program: sudo, args: ['-n', 'true'] })) !== 0)) return undefined
  const as = (args: string[]): Command =>
    root
      ? { program: aptGet, args, env: { DEBIAN_FRONTEND: 'noninteractive' } }
      : { program: sudo, args: ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', aptGet, ...args] }
  return [as(['update', '-qq']), as(['install', '-y', '-qq', '--no-install-recommends', ...WINE_PACKAGES])]
}

/** The longest an apt-get step may take, and a Wine helper (winecfg, wineserver -k). */
export const APT_TIMEOUT_MS = 15 * 60_000
export const WINE_HELPER_TIMEOUT_MS = 5 * 60_000

/** The error when Wine is neither installed nor installable: the target input, and what to install. */
export function wineMissing(reason: string): InputError {
  return new InputError(
    'target',
    `windows-x64 is built under Wine on this Linux runner, and ${reason}.`,
    `Install Wine before this step (sudo apt-get install ${WINE_PACKAGES.join(' ')} on Debian and Ubuntu; Wine 9 or newer runs uv, Wine 8 only pip), or set the WINE variable to the wine program; or build on a Windows runner.`
  )
}

/** Wine's programs: found, or installed with apt-get where this runner allows it (said in the log). */
export async function ensureWine(env: NodeJS.ProcessEnv = process.env): Promise<WinePrograms> {
  const found = await findWine(env)
  if (found) return found
  if (env.WINE) throw wineMissing(`WINE names ${env.WINE}, which is not there (or has no wineserver beside it: set WINESERVER)`)
  const steps = await aptInstall()
  if (!steps) throw wineMissing('wine is not on PATH, and this runner cannot install it (no apt-get, or not root and no sudo without a password)')
  core.info(`wine is not on PATH: installing Debian/Ubuntu's ${WINE_PACKAGES.join(' and ')} with apt-get (about a minute).`)
  for (const step of steps) {
    const r = await runWithTimeout(step, APT_TIMEOUT_MS)
    if (r.exitCode !== 0)
      throw wineMissing(
        `\`${[step.program, ...step.args].join(' ')}\` ${r.timedOut ? 'did not finish in time' : `failed (exit code ${r.exitCode})`}:\n${tail(r.output, 10)}`
      )
  }
  const installed = await findWine(env)
  if (!installed) throw wineMissing(`apt-get installed ${WINE_PACKAGES.join(' and ')}, but wine is still not on PATH`)
  return installed
}

/** The file that says a prefix was made (and set to Windows 10) by this action, so a later run reuses it. */
export const PREFIX_MARKER = '.build-standalone-prefix'

/** The prefix of a Wine version under the work folder: one per version (a prefix made by a newer Wine is not for an older one). */
export function prefixPath(workDir: string, version: string): string {
  return path.join(workDir, 'wine', `prefix-${version.replace(/[^0-9.]+/g, '') || 'unknown'}`)
}

/**
 * Runs a Wine helper (wineserver, winecfg) to its end with no pipes held
 * (wineserver forks a server that outlives the call), bounded by
 * WINE_HELPER_TIMEOUT_MS; resolves to its exit code, null when it was stopped.
 * Its environment is a build child's (src/exec.ts): the wineserver it starts
 * lives for the whole run and must hold none of the runner's secrets.
 */
export function runHelper(program: string, args: readonly string[], prefix: string, timeoutMs = WINE_HELPER_TIMEOUT_MS): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(program, [...args], { env: environment(wineEnv(prefix)), stdio: 'ignore' })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', () => resolve(null))
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

/**
 * The prefix, made when missing: Windows 10 mode (`winecfg /v win10`; Node
 * and newer Pythons refuse older Windows versions), with a wineserver that
 * stays for the whole run (`wineserver -p`: without it each program would
 * start and stop its own, a second or two each time).
 */
export async function preparePrefix(programs: WinePrograms, prefix: string): Promise<{ made: boolean }> {
  const made = !fs.existsSync(path.join(prefix, PREFIX_MARKER))
  if (made) {
    fs.rmSync(prefix, { recursive: true, force: true })
    fs.mkdirSync(path.dirname(prefix), { recursive: true })
  }
  await runHelper(programs.wineserver, ['-p'], prefix)
  // Boots the prefix (its services: explorer, services.exe, rpcss…) here, with no pipes of ours: started by the first
  // program instead, they would inherit its output pipes and hold them open for the whole run.
  const step = made ? ['winecfg', '/v', 'win10'] : ['wineboot']
  const code = await runHelper(programs.wine, step, prefix)
  if (code !== 0 || !fs.existsSync(path.join(prefix, 'drive_c', 'windows', 'system32')))
    throw new StageError(
      'wine',
      `\`wine ${step.join(' ')}\` could not ${made ? 'make' : 'start'} the Wine prefix ${prefix} (${code === null ? 'it did not finish in time' : `exit code ${code}`}). Check that this Wine runs 64-bit programs (${WINE_PACKAGES.join(', ')}).`
    )
  if (made) fs.writeFileSync(path.join(prefix, PREFIX_MARKER), '')
  return { made }
}

/**
 * Whether the prefix's Wine runs uv.exe: uv (Rust) draws its random numbers
 * from bcryptprimitives.dll's ProcessPrng, which Wine 8 does not have (uv
 * dies at start there); Wine 9 and newer do.
 */
export function runsUv(prefix: string): boolean {
  return fs.existsSync(path.join(prefix, 'drive_c', 'windows', 'system32', 'bcryptprimitives.dll'))
}

/** The processes of the prefix still running (host ids and command lines), found by the WINEPREFIX in their environment. */
export function processesOf(prefix: string, proc = '/proc'): { pid: number; cmdline: string }[] {
  const marker = Buffer.from(`\0WINEPREFIX=${prefix}\0`)
  return eachProcess((dir, pid) => {
    const environ = Buffer.concat([Buffer.from([0]), fs.readFileSync(path.join(dir, 'environ'))])
    if (!environ.includes(marker)) return []
    const cmdline = fs.readFileSync(path.join(dir, 'cmdline'), 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ')
    return cmdline ? [{ pid, cmdline }] : []
  }, proc)
}

/**
 * Ends the prefix's wineserver and every Windows process of it (`wineserver
 * -k`), and names what was still running before: a program a smoke test
 * left behind, or Wine's own services.
 */
export async function endPrefix(setup: Pick<WineSetup, 'wineserver' | 'prefix'>): Promise<string[]> {
  const left = processesOf(setup.prefix)
    .map((p) => p.cmdline)
    .filter((c) => !/\b(wineserver|services\.exe|winedevice\.exe|plugplay\.exe|explorer\.exe|rpcss\.exe|svchost\.exe|conhost\.exe|tabtip\.exe)\b/i.test(c))
  await runHelper(setup.wineserver, ['-k'], setup.prefix, 60_000)
  return left
}

/** The Platform's description of where the programs ran, for the summary: `Wine 10.0`. */
export const wineTitle = (version: string): string => `Wine ${version}`
