/**
 * Wine, in the two forms the tests use, behind one interface:
 *
 * - `host`: this machine's Wine (Debian 12's wine 8.0, `apt-get install wine
 *   wine64`). It runs Windows CPython, pip, PyInstaller and Node 22, but not
 *   Node 24 (V8 dies at start) nor uv.exe (needs bcryptprimitives.dll).
 * - `trixie`: Wine 10.0 from a Debian 13 (trixie) root filesystem
 *   (trixie.ts), run chrooted in a private mount namespace with the folders
 *   the tests share with it (the repository, the test file's scratch folder,
 *   the download cache) bound at the same paths, so a `Z:\` path means the
 *   same file on both sides. It runs Node 24 and uv.exe.
 *
 * Each Wine gets a plain Unix environment (PATH, HOME, a locale, WINEPREFIX,
 * WINEDEBUG=-all): nothing of the test runner's own. What a Windows program
 * needs besides is set inside it (harness.ts: Wine drops variable names with
 * `-`), or passed here by name.
 *
 * Processes are found on the host by the WINEPREFIX in their environment
 * (chrooted or not, they share the host's process ids), so a test can say
 * which Windows processes of its prefix are left, and end them all.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ensureTrixieRootfs, missingForTrixie, TRIXIE_WINE_PACKAGES } from './trixie.js'

export type WineKind = 'host' | 'trixie'

/** The Windows Node each Wine runs: the action declares node24, which only Wine 10 starts. */
export const NODE_FOR_WINE: Readonly<Record<WineKind, string>> = Object.freeze({ host: '22.22.2', trixie: '24.21.0' })

export interface Wine {
  readonly kind: WineKind
  /** `wine --version`, e.g. wine-10.0 (Debian 10.0~repack-6). */
  readonly version: string
  /** Host folders Windows programs reach as Z:\… (the trixie Wine binds them in; the host's sees all of /). */
  readonly shared: readonly string[]
  /** The program, arguments, environment and folder that run `argv` under this Wine (argv[0]: `wine`, `wineserver`, …) from `cwd`. */
  command(argv: readonly string[], env: Readonly<Record<string, string>>, cwd?: string): WineCommand
}

export interface WineCommand {
  readonly program: string
  readonly args: string[]
  readonly env: Record<string, string>
  readonly cwd?: string
}

const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** The Unix environment every Wine process gets: a prefix, Wine's chatter off, and nothing of the caller's. */
export function wineEnv(prefix: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { PATH: HOST_PATH, HOME: '/root', LANG: 'C.UTF-8', WINEPREFIX: prefix, WINEDEBUG: '-all', ...extra }
}

/** Why this machine's Wine cannot run the tests ('' when it can). */
export function missingForHostWine(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'not Linux x64'
  if (spawnSync('sh', ['-c', 'command -v wine']).status !== 0) return 'wine is not installed (apt-get install wine wine64)'
  return ''
}

/** Why the trixie Wine cannot run the tests ('' when it can). */
export function missingForTrixieWine(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'not Linux x64'
  return missingForTrixie()
}

export function hostWine(): Wine {
  const missing = missingForHostWine()
  if (missing) throw new Error(`The host's Wine cannot run: ${missing}.`)
  const version = spawnSync('wine', ['--version'], { encoding: 'utf8', env: wineEnv('/nonexistent') }).stdout.trim()
  return {
    kind: 'host',
    version,
    shared: ['/'],
    command: (argv, env, cwd) => ({ program: argv[0], args: argv.slice(1), env: { ...env }, cwd })
  }
}

/**
 * Mounts /proc and /dev, binds each shared folder at its own path, then runs
 * the command chrooted. Nothing is unmounted after: the namespace is private,
 * and Wine's own processes (wineserver, services.exe) may outlive the command
 * in it; it goes when the last of them ends. Every value is an argument,
 * never text the script interprets.
 */
export const ENTER = `set -u
root="$1"; shift
n="$1"; shift
mount --make-rprivate /
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
while [ "$n" -gt 0 ]; do
  mkdir -p "$root$1" && mount --bind "$1" "$root$1" || exit 125
  shift; n=$((n - 1))
done
exec chroot "$root" "$@"
`

export function trixieWine(shared: readonly string[]): Wine {
  const missing = missingForTrixieWine()
  if (missing) throw new Error(`The trixie Wine cannot run: ${missing}.`)
  const root = ensureTrixieRootfs()
  const command = (argv: readonly string[], env: Readonly<Record<string, string>>, cwd?: string): WineCommand => ({
    program: 'unshare',
    args: [
      '-m',
      '--propagation',
      'private',
      '/bin/sh',
      '-c',
      ENTER,
      'enter',
      root,
      String(shared.length),
      ...shared,
      '/usr/bin/env',
      '-i',
      ...(cwd ? [`--chdir=${cwd}`] : []),
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      ...argv
    ],
    env: { PATH: HOST_PATH }
  })
  const probe = command(['wine', '--version'], wineEnv('/nonexistent'))
  const r = spawnSync(probe.program, probe.args, { encoding: 'utf8', env: probe.env, timeout: 60_000 })
  const version = (r.stdout ?? '').trim()
  if (!/^wine-10\./.test(version))
    throw new Error(`The trixie root filesystem's Wine is '${version || '(did not run)'}', not 10.x (${TRIXIE_WINE_PACKAGES.join(', ')}): ${r.stderr}`)
  return { kind: 'trixie', version, shared, command }
}

export interface WineSpawnOptions {
  readonly prefix: string
  /** The Unix folder it starts in (Windows programs see it as Z:\…). */
  readonly cwd?: string
  /** Unix-side variables besides wineEnv's (names without `-`: Wine drops the others). */
  readonly env?: Readonly<Record<string, string>>
  readonly stdio?: StdioOptions
}

/** Starts `argv` (`wine`, a Windows program, its arguments) under `wine` in `prefix`. */
export function spawnWine(wine: Wine, argv: readonly string[], opts: WineSpawnOptions): ChildProcess {
  const c = wine.command(argv, wineEnv(opts.prefix, opts.env), opts.cwd)
  return spawn(c.program, c.args, { env: c.env, cwd: c.cwd, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] })
}

export interface WineResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly timedOut: boolean
  readonly ms: number
}

/**
 * Runs `argv` under Wine with pipes (what Windows Python's std streams need)
 * and waits for it, at most timeoutMs: then it is killed and the prefix's
 * processes with it.
 */
export async function runWine(wine: Wine, argv: readonly string[], opts: WineSpawnOptions & { timeoutMs?: number }): Promise<WineResult> {
  const started = Date.now()
  const child = spawnWine(wine, argv, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  let timedOut = false
  const status = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
      void endPrefix(wine, opts.prefix)
    }, opts.timeoutMs ?? 120_000)
    child.on('error', (e) => {
      stderr += e.message
      clearTimeout(timer)
      resolve(null)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
  return { status, stdout, stderr, timedOut, ms: Date.now() - started }
}

/** A process of a Wine prefix, as the host sees it: its id and command line (a Windows program's shows its Windows path). */
export interface WineProcess {
  readonly pid: number
  readonly cmdline: string
}

/** The host's processes whose environment names `prefix` as WINEPREFIX (wineserver's included). */
export function processesOf(prefix: string): WineProcess[] {
  const marker = Buffer.from(`\0WINEPREFIX=${prefix}\0`)
  const out: WineProcess[] = []
  for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const environ = Buffer.concat([Buffer.from([0]), fs.readFileSync(path.join('/proc', entry, 'environ'))])
      if (!environ.includes(marker)) continue
      const cmdline = fs
        .readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8')
        .replace(/\0+$/, '')
        .replace(/\0/g, ' ')
      if (cmdline) out.push({ pid: Number(entry), cmdline })
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out
}

/** Ends every process of the prefix (wineserver -k), then waits up to 20 s for them to be gone; returns what is left. */
export async function endPrefix(wine: Wine, prefix: string): Promise<WineProcess[]> {
  const c = wine.command(['wineserver', '-k'], wineEnv(prefix))
  spawnSync(c.program, c.args, { env: c.env, timeout: 30_000, stdio: 'ignore' })
  const deadline = Date.now() + 20_000
  let left = processesOf(prefix)
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250))
    left = processesOf(prefix)
  }
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL')
    } catch {
      /* gone */
    }
  }
  return left
}

/**
 * Waits until the prefix's programs have ended and its wineserver with them
 * (`wineserver -w`), at most timeoutMs: msiexec returns before the installer
 * service has finished, so what it installs is there only after this.
 */
export function settlePrefix(wine: Wine, prefix: string, timeoutMs = 120_000): void {
  const c = wine.command(['wineserver', '-w'], wineEnv(prefix))
  const r = spawnSync(c.program, c.args, { env: c.env, timeout: timeoutMs, stdio: 'ignore' })
  if (r.error || r.status !== 0)
    throw new Error(`wineserver -w did not finish within ${timeoutMs / 1000} s for ${prefix} (${r.error?.message ?? `exit ${r.status}`})`)
}

/** A host path as a Windows program sees it (Z: is /). */
export const winPath = (hostPath: string): string => `Z:${path.resolve(hostPath).replace(/\//g, '\\')}`

/** A Z:\ path (as the action reports it) as a host path. */
export function hostPath(windowsPath: string): string {
  const m = /^[Zz]:(\\.*)?$/.exec(windowsPath)
  if (!m) throw new Error(`${windowsPath} is not on drive Z: (the host's /)`)
  return (m[1] ?? '\\').replace(/\\/g, '/')
}

/**
 * A new Wine prefix in Windows 10 mode (`winecfg /v win10`: Node refuses to
 * start on an older Windows), with `dlls` copied into its system32 (the
 * Windows CPython's python311.dll and VC++ runtime: see python.ts).
 */
export async function makePrefix(wine: Wine, prefix: string, dlls: readonly string[] = []): Promise<{ ms: number }> {
  const r = await runWine(wine, ['wine', 'winecfg', '/v', 'win10'], { prefix, timeoutMs: 180_000 })
  const system32 = path.join(prefix, 'drive_c', 'windows', 'system32')
  if (r.status !== 0 || !fs.existsSync(system32)) throw new Error(`wine winecfg /v win10 failed (exit ${r.status}) for ${prefix}:\n${r.stdout}${r.stderr}`)
  for (const dll of dlls) fs.copyFileSync(dll, path.join(system32, path.basename(dll)))
  return { ms: r.ms }
}
