/**
 * (b), (c), (r) and (m): the bundled action (dist/index.js under Node 24, as a runner runs it) against act's cache
 * server, then its post step, which saves the dependency cache after a cold run (b) and the build of every run that
 * built (src/reuse/); a run on the same commit as a kept build (r) takes it and saves nothing.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { cleanEnv, node24 } from './environment.js'
import { pyinstallerPhases, type Phases } from './phases.js'
import { check, run, RunFailure, smokeOnce } from './processes.js'
import { plainBuildArgs, type Target } from './target.js'
import { parseCommandFile } from '../src/cli-args.js'

/** One job on a runner: its files live in `root`; RUNNER_TEMP is `root/runner-temp`, the same path on every run. */
export interface Job {
  /** The snapshot of dist/ to run. */
  readonly dist: string
  readonly root: string
  readonly toolCache: string
  readonly cacheUrl: string
  /** GITHUB_WORKSPACE: the git repository that holds the project (workspace.ts). */
  readonly workspace: string
}

/** What a run must find and leave in the caches: the dependency cache cold or warm, the build made or reused. */
export interface Expect {
  readonly dependencies: 'cold' | 'warm'
  readonly build: 'made' | 'reused'
}

/** The files and variables of one job on a runner. */
function jobEnv({ root, toolCache, cacheUrl, workspace }: Job): Record<string, string> {
  const files = {
    GITHUB_OUTPUT: path.join(root, 'output'),
    GITHUB_STEP_SUMMARY: path.join(root, 'summary.md'),
    GITHUB_STATE: path.join(root, 'state'),
    GITHUB_ENV: path.join(root, 'env')
  }
  return {
    ...cleanEnv(),
    ...files,
    RUNNER_TEMP: path.join(root, 'runner-temp'),
    RUNNER_TOOL_CACHE: toolCache,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    ACTIONS_CACHE_URL: cacheUrl,
    ACTIONS_RUNTIME_TOKEN: 'bench-token'
  }
}

/** A fresh job: RUNNER_TEMP wiped and recreated, empty command files. */
function resetJob(root: string): void {
  fs.rmSync(path.join(root, 'runner-temp'), { recursive: true, force: true })
  fs.mkdirSync(path.join(root, 'runner-temp'), { recursive: true })
  for (const f of ['output', 'summary.md', 'state', 'env']) fs.writeFileSync(path.join(root, f), '')
}

export interface ActionResult {
  /** The action's `timings` output: seconds per stage. */
  readonly stages: Readonly<Record<string, number>>
  /** The main step's wall time. */
  readonly total: number
  /** The post step's wall time. */
  readonly post: number
  /** The action's own time: its Total less the time in child processes. */
  readonly own: number
  /** The archives (not the checksums file), sized before RUNNER_TEMP is wiped. */
  readonly assets: readonly { readonly name: string; readonly size: number }[]
  readonly executableSize: number
  /** The executables output: name and path of each. */
  readonly executables: readonly { readonly name: string; readonly path: string }[]
  /** PyInstaller's phases, from the build stage's log. */
  readonly phases: Phases
  /** How many distributions the install put into the venv (its *.dist-info folders). */
  readonly installed: number
  /** How many distributions the SBOM lists as shipped in the executables, when there is one. */
  readonly shipped: number | undefined
  /** The lock the install stage used ('' for none), from its log. */
  readonly lock: string
  /** What the post step says it saved, in bytes; filled in from the cache server's folder when it does not say. */
  cacheSize: number | undefined
  /** What the post step says it kept of the build, in bytes (compressed). */
  readonly keptSize: number | undefined
  /** The SOURCE_DATE_EPOCH the build ran with ('' when none), from its log. */
  readonly epoch: string
  /** Whether the run took a kept build (its build-reused output). */
  readonly reused: boolean
  /** How many smoke tests passed, from the job summary. */
  readonly smokeTests: number
  /** Each entry point's seconds, when they were built side by side (its log's `name: analysed and built in … s`). */
  readonly entryTimes: Readonly<Record<string, number>>
}

/** Runs the action with `inputs` and then its post step; fails when the caches are not found and left as `expect` says. */
export async function actionRun(label: string, job: Job, inputs: Readonly<Record<string, string>>, expect: Expect): Promise<ActionResult> {
  const warm = expect.dependencies === 'warm'
  resetJob(job.root)
  const env = jobEnv(job)
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const main = check(label, await run(node24(), [path.join(job.dist, 'index.js')], { env }))
  const outputs = parseCommandFile(fs.readFileSync(env.GITHUB_OUTPUT, 'utf8'))
  const totals = /Total ([\d.]+) s, of which ([\d.]+) s in child processes\./.exec(main.stdout)
  if (!totals) throw new RunFailure(label, "printed no 'Total … s, of which … s in child processes.' line", main.output)
  let timings: Record<string, number>
  try {
    timings = JSON.parse(outputs.timings) as Record<string, number>
  } catch {
    throw new RunFailure(label, `set no usable 'timings' output (${JSON.stringify(outputs.timings)})`, main.output)
  }
  if (warm && !/Dependency cache restored from key /.test(main.stdout))
    throw new RunFailure(label, 'the warm run did not restore the dependency cache saved by the cold run', main.output)
  const reused = outputs['build-reused'] === 'true'
  if (reused !== (expect.build === 'reused'))
    throw new RunFailure(label, `build-reused is ${outputs['build-reused'] ?? '(not set)'}, where the run should have ${expect.build} its build`, main.output)
  const summary = fs.readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')
  // The archives (not the checksums file): the `archives` output, one path a line, sized before RUNNER_TEMP is wiped.
  const assets = (outputs.archives || '')
    .split('\n')
    .filter((p) => p.trim() && fs.existsSync(p.trim()))
    .map((p) => ({ name: path.basename(p.trim()), size: fs.statSync(p.trim()).size }))
  const executables = JSON.parse(outputs.executables || '[]') as { name: string; path: string }[]
  const executableSize = executables.reduce((sum, e) => sum + (fs.existsSync(e.path) && fs.statSync(e.path).isFile() ? fs.statSync(e.path).size : 0), 0)

  // The post step, as the runner runs it: the same job files, STATE_* from the GITHUB_STATE file, no inputs.
  const postEnv = jobEnv(job)
  for (const [k, v] of Object.entries(parseCommandFile(fs.readFileSync(env.GITHUB_STATE, 'utf8')))) postEnv[`STATE_${k}`] = v
  const post = check(`${label} post step`, await run(node24(), [path.join(job.dist, 'post', 'index.js')], { env: postEnv }))
  const saved = /Dependency cache saved under (\S+)\./.exec(post.stdout)
  if (!warm && !saved) throw new RunFailure(`${label} post step`, 'the cold run’s post step saved no dependency cache', post.output)
  if (warm && saved) throw new RunFailure(`${label} post step`, `the warm run’s post step saved a dependency cache (${saved[1]}); it must not`, post.output)
  const kept = /The build was kept under (\S+):/.test(post.stdout)
  if (kept !== (expect.build === 'made'))
    throw new RunFailure(`${label} post step`, kept ? 'kept the build it reused' : 'did not keep the build the run made', post.output)
  // The post step saves the dependency cache first, then the build.
  const sizes = [...post.stdout.matchAll(/Cache Size: ~\d+ MB \((\d+) B\)/g)].map((m) => Number(m[1]))
  const cacheSize = saved && sizes.length ? sizes[0] : undefined
  const keptSize = kept && sizes.length ? sizes[sizes.length - 1] : undefined

  return {
    stages: timings,
    total: main.seconds,
    post: post.seconds,
    own: Number(totals[1]) - Number(totals[2]),
    assets,
    executableSize,
    executables,
    phases: pyinstallerPhases(main.stdout),
    installed: installedDistributions(actionVenv(job)),
    shipped: sbomComponents(outputs.sbom),
    lock: /^Installing the project and its dependencies as .* pins them: (.+?); /m.exec(main.stdout)?.[1] ?? '',
    cacheSize,
    keptSize,
    reused,
    epoch: /^SOURCE_DATE_EPOCH=(\d+) /m.exec(main.stdout)?.[1] ?? '',
    smokeTests: Number(/(\d+) smoke tests? passed/.exec(summary)?.[1] ?? 0),
    entryTimes: Object.fromEntries([...main.stdout.matchAll(/^([\w.-]+): analysed and built in ([\d.]+) s$/gm)].map((m) => [m[1], Number(m[2])]))
  }
}

/** The number of components in the first SBOM the `sbom` output names (one path a line). */
function sbomComponents(sbomOutput: string | undefined): number | undefined {
  const first = (sbomOutput ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean)
  if (!first || !fs.existsSync(first)) return undefined
  return (JSON.parse(fs.readFileSync(first, 'utf8')) as { components?: unknown[] }).components?.length
}

/** The *.dist-info folders in a POSIX venv's site-packages. */
function installedDistributions(venv: string): number {
  const lib = path.join(venv, 'lib')
  if (!fs.existsSync(lib)) return 0
  return fs
    .readdirSync(lib)
    .map((py) => path.join(lib, py, 'site-packages'))
    .filter((sp) => fs.existsSync(sp))
    .reduce((n, sp) => n + fs.readdirSync(sp).filter((f) => f.endsWith('.dist-info')).length, 0)
}

/** The venv the action's last run in `job` installed into (RUNNER_TEMP/build-standalone/venv). */
export const actionVenv = (job: Job): string => path.join(job.root, 'runner-temp', 'build-standalone', 'venv')

export interface PlainResult {
  /** PyInstaller's wall time. */
  readonly seconds: number
  readonly executableSize: number
  readonly phases: Phases
}

/**
 * (d): plain `pyinstaller` with its defaults (plainBuildArgs) in the venv the action's last run made in `job` — the
 * same packages, the same versions — to compare the action's build stage with, and the executable's size.
 */
export async function plainOnActionVenv(label: string, job: Job, target: Target, projectDir: string, smoke: readonly string[]): Promise<PlainResult> {
  const dir = path.join(job.root, 'plain')
  fs.rmSync(dir, { recursive: true, force: true })
  const distpath = path.join(dir, 'dist')
  const args = [
    '-m',
    'PyInstaller',
    '--noconfirm',
    '--distpath',
    distpath,
    '--workpath',
    path.join(dir, 'work'),
    ...plainBuildArgs(target, path.join(dir, 'spec'))
  ]
  const env = { ...cleanEnv(), PYINSTALLER_CONFIG_DIR: path.join(dir, 'config') }
  const r = check(label, await run(path.join(actionVenv(job), 'bin', 'python'), args, { cwd: projectDir, env }))
  const built = fs.existsSync(distpath) ? fs.readdirSync(distpath).map((f) => path.join(distpath, f)) : []
  if (!built.length) throw new RunFailure(label, `built nothing in ${distpath}`, r.output)
  if (target.kind === 'entry') await smokeOnce(label, path.join(distpath, target.name), smoke, dir)
  const executableSize = built.filter((f) => fs.statSync(f).isFile()).reduce((sum, f) => sum + fs.statSync(f).size, 0)
  return { seconds: r.seconds, executableSize, phases: pyinstallerPhases(r.output) }
}

export interface SerialResult {
  /** PyInstaller's wall time. */
  readonly seconds: number
}

/**
 * (s): the spec with every entry point that the action's last run in `job` generated (spec/build-standalone.spec,
 * written beside the parts' specs for a build in one process), run by one PyInstaller process in that run's venv with
 * the environment the action gives PyInstaller: the build stage as it was before entry points ran side by side.
 */
export async function serialOnActionVenv(label: string, job: Job, projectDir: string, epoch: string): Promise<SerialResult> {
  const work = path.join(job.root, 'runner-temp', 'build-standalone')
  const dir = path.join(job.root, 'serial')
  fs.rmSync(dir, { recursive: true, force: true })
  const env = {
    ...cleanEnv(),
    PYTHONHASHSEED: '0',
    ...(epoch ? { SOURCE_DATE_EPOCH: epoch } : {}),
    PYINSTALLER_ZLIB_COMPRESSION_LEVEL: '6',
    PYINSTALLER_CONFIG_DIR: path.join(dir, 'config')
  }
  const args = [
    '-m',
    'PyInstaller',
    '--noconfirm',
    '--distpath',
    path.join(dir, 'dist'),
    '--workpath',
    path.join(dir, 'work'),
    path.join(work, 'spec', 'build-standalone.spec')
  ]
  const r = check(label, await run(path.join(actionVenv(job), 'bin', 'python'), args, { cwd: projectDir, env }))
  fs.rmSync(dir, { recursive: true, force: true })
  return { seconds: r.seconds }
}
