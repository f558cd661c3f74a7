/**
 * The Windows harness: runs the committed bundle (dist/index.js, or the local
 * CLI dist/cli/index.js) under Windows Node in Wine, as a Windows runner
 * would, against a tool cache holding a real Windows CPython, with Wine's
 * quirks handled here and nowhere else:
 *
 * - a prefix per test file in Windows 10 mode, Wine's chatter off (wine.ts);
 * - the inputs and runner variables set inside Node by wrapper.mjs (Wine
 *   drops names with `-`, such as INPUT_SMOKE-TEST);
 * - Node's stdout and stderr to files (to a pipe Node fails with EBADF),
 *   built programs' to pipes (Windows Python's std streams fail on a file);
 * - every path a Windows program gets as Z:\… (Z: is the host's /), and the
 *   outputs' Z:\ paths turned back into host paths by hostPath();
 * - GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_STATE, RUNNER_TEMP and a TEMP
 *   of its own per run, as on a runner; the host's CA bundle for pip and uv.
 *
 * Which Wine: `host` (Debian 12's Wine 8.0, Node 22: `npm test`'s fast case)
 * or `trixie` (Wine 10.0 in a trixie root filesystem, Node 24, which the
 * action declares: the long tests). Where something is missing the tests
 * skip, saying what (missingForWindows); .ci/run installs all of it.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { HOST_CA, CACHE_DIR } from '../long/bullseye.js'
import { parseOutputFile, REPO, runnerFiles, SCRATCH, tempDir, type ActionRun } from '../e2e/harness.js'
import { missingForWindowsNode, missingForWindowsPython, pythonDlls, windowsNode, windowsToolCache } from './downloads.js'
import {
  endPrefix,
  hostWine,
  makePrefix,
  missingForHostWine,
  missingForTrixieWine,
  NODE_FOR_WINE,
  processesOf,
  runWine,
  settlePrefix,
  spawnWine,
  trixieWine,
  winPath,
  type Wine,
  type WineKind,
  type WineProcess,
  type WineResult
} from './wine.js'

export { hostPath, winPath } from './wine.js'

/** Why the Windows tests under `kind` cannot run here ('' when they can). */
export function missingForWindows(kind: WineKind): string {
  return (kind === 'host' ? missingForHostWine() : missingForTrixieWine()) || missingForWindowsNode(NODE_FOR_WINE[kind]) || missingForWindowsPython()
}

export interface WindowsSetup {
  readonly wine: Wine
  /** Host path of the Windows node.exe, and its version. */
  readonly node: string
  readonly nodeVersion: string
  /** The tool cache (host path) holding the Windows CPython. */
  readonly toolCache: string
  readonly pythonVersion: string
  readonly prefix: string
  /** The host's CA bundle, copied where Windows programs reach it. */
  readonly ca: string
  /** How long the prefix took to make. */
  readonly prefixMs: number
}

/**
 * Everything a test file needs to run Windows programs: the downloads
 * (cached), the Wine, and a fresh prefix in the file's scratch folder.
 */
export async function windowsSetup(kind: WineKind): Promise<WindowsSetup> {
  const nodeVersion = NODE_FOR_WINE[kind]
  const node = windowsNode(nodeVersion)
  const { toolCache, version, pythonDir } = windowsToolCache()
  const wine = kind === 'host' ? hostWine() : trixieWine([REPO, SCRATCH, CACHE_DIR])
  const prefix = tempDir(`wineprefix-${kind}`)
  const { ms } = await makePrefix(wine, prefix, pythonDlls(pythonDir))
  const ca = path.join(SCRATCH, 'ca-bundle.crt')
  fs.copyFileSync(HOST_CA, ca)
  return { wine, node, nodeVersion, toolCache, pythonVersion: version, prefix, ca, prefixMs: ms }
}

/** Ends every process of the prefix; returns what had to be killed after wineserver -k. */
export const closeSetup = (setup: WindowsSetup): Promise<WineProcess[]> => endPrefix(setup.wine, setup.prefix)

/** Waits until the prefix's programs have ended (wineserver -w): what msiexec installs is in place only then. */
export const settleSetup = (setup: WindowsSetup, timeoutMs?: number): void => settlePrefix(setup.wine, setup.prefix, timeoutMs)

/** The processes of the prefix whose command line matches `pattern` (e.g. /tiny\.exe/i): what a run left behind. */
export const leftInPrefix = (setup: WindowsSetup, pattern: RegExp): WineProcess[] => processesOf(setup.prefix).filter((p) => pattern.test(p.cmdline))

/** The variables a Windows program of these tests gets: its TEMP, the CA bundle for pip, uv and Python's ssl, pip quiet about itself. */
export function windowsBaseEnv(setup: WindowsSetup, temp: string): Record<string, string> {
  const ca = winPath(setup.ca)
  return {
    TEMP: winPath(temp),
    TMP: winPath(temp),
    PIP_CERT: ca,
    SSL_CERT_FILE: ca,
    REQUESTS_CA_BUNDLE: ca,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1'
  }
}

export interface NodeRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
  readonly timedOut: boolean
}

/**
 * Runs a Node entry under the setup's Windows Node through wrapper.mjs:
 * `env` is set inside Node, `args` are the entry's arguments, `cwd` its
 * folder (host paths, turned into Z:\ ones here). Output goes to files.
 */
export async function runWindowsNode(
  setup: WindowsSetup,
  run: { entry: string; args?: readonly string[]; env: Record<string, string>; cwd?: string; root: string; timeoutMs?: number }
): Promise<NodeRun> {
  const spec = path.join(run.root, 'node-run.json')
  fs.writeFileSync(spec, JSON.stringify({ cwd: winPath(run.cwd ?? REPO), entry: winPath(path.resolve(REPO, run.entry)), args: run.args ?? [], env: run.env }))
  const out = path.join(run.root, 'node-stdout.txt')
  const err = path.join(run.root, 'node-stderr.txt')
  const outFd = fs.openSync(out, 'w')
  const errFd = fs.openSync(err, 'w')
  const started = Date.now()
  let timedOut = false
  try {
    const child = spawnWine(setup.wine, ['wine', setup.node, winPath(path.join(import.meta.dirname, 'wrapper.mjs')), winPath(spec)], {
      prefix: setup.prefix,
      cwd: run.cwd ?? REPO,
      stdio: ['ignore', outFd, errFd]
    })
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true
        child.kill('SIGKILL')
        void endPrefix(setup.wine, setup.prefix)
      }, run.timeoutMs ?? 900_000)
      child.on('error', () => resolve(null))
      child.on('close', (c) => {
        clearTimeout(timer)
        resolve(c)
      })
    })
    // Node on Windows ends the log's lines with \r\n (os.EOL); a runner shows lines, and so do these.
    const text = (file: string): string => fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n')
    return { code, stdout: text(out), stderr: text(err), ms: Date.now() - started, timedOut }
  } finally {
    fs.closeSync(outFd)
    fs.closeSync(errFd)
  }
}

export interface WindowsActionRun extends ActionRun {
  readonly ms: number
}

/**
 * Runs dist/index.js with the given inputs as a Windows runner does:
 * RUNNER_OS Windows, the runner's files under `root`, the tool cache with
 * the Windows CPython, no versions manifest (nothing is downloaded), and
 * cache off unless an input says otherwise.
 */
export async function runWindowsAction(
  setup: WindowsSetup,
  inputs: Record<string, string>,
  opts: { root?: string; env?: Record<string, string>; timeoutMs?: number } = {}
): Promise<WindowsActionRun> {
  const root = opts.root ?? tempDir('win-e2e')
  const { runnerTemp, files } = runnerFiles(root)
  const temp = path.join(root, 'temp')
  fs.mkdirSync(temp, { recursive: true })
  const env: Record<string, string> = {
    ...windowsBaseEnv(setup, temp),
    ...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, winPath(f)])),
    RUNNER_OS: 'Windows',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: winPath(runnerTemp),
    RUNNER_TOOL_CACHE: winPath(setup.toolCache),
    GITHUB_WORKSPACE: winPath(REPO),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    'INPUT_PYTHON-VERSIONS-MANIFEST': 'http://127.0.0.1:9/no-manifest-in-tests.json',
    INPUT_CACHE: 'false',
    ...opts.env
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const r = await runWindowsNode(setup, { entry: 'dist/index.js', env, root, timeoutMs: opts.timeoutMs })
  if (r.code !== 0 && process.env.E2E_VERBOSE) process.stderr.write(r.stdout + r.stderr)
  return {
    code: r.code,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputFile(fs.readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    root,
    runnerTemp,
    ms: r.ms
  }
}

/**
 * Runs a built Windows program under the setup's Wine with pipes, from
 * `cwd`, with no Python anywhere it could find (its own TEMP, the default
 * Windows PATH only).
 */
export function runWindowsProgram(
  setup: WindowsSetup,
  program: string,
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number }
): Promise<WineResult> {
  const temp = tempDir('win-program-temp')
  const { TEMP, TMP } = windowsBaseEnv(setup, temp)
  return runWine(setup.wine, ['wine', program, ...args], {
    prefix: setup.prefix,
    cwd: opts.cwd,
    env: { TEMP, TMP, ...opts.env },
    timeoutMs: opts.timeoutMs ?? 120_000
  })
}
