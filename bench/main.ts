// Benchmark: the action (cold and warm dependency cache, a next commit, the same commit again) against the hand-written
// workflow it replaces, and several entry points side by side against one process.
//
//   npm run bench [-- --runs N] [--project DIR] [--spec FILE | --entry NAME] [--smoke ARGS] [--extras LIST]
//
// What is built: a copy of the project in a git repository of its own (workspace.ts), as a runner's checkout: its spec
// (examples/chatty: packaging/chatty_cli.spec), or — for any other project, or with --entry — one [project.scripts]
// entry point, one-file, with no spec (target.ts). Each of N rounds runs, in turn:
// (a)  the hand-written workflow: `python3 -m venv`, `pip install '.[extras]' pyinstaller==…` with an empty, fresh
//      PIP_CACHE_DIR (and an empty PyInstaller cache folder), then PyInstaller with its defaults (the spec, or
//      `--onefile --collect-data <package>` on the entry point);
// (a') the same again with the pip cache (and PyInstaller cache) that (a) just filled;
// (u)  the same with uv instead of pip: `uv venv`, `uv pip install --no-cache …`;
// (b)  the bundled action (dist/index.js under Node 24, as a runner runs it) with a fresh act cache server and a
//      fresh RUNNER_TEMP, then its post step (which saves the dependency cache and keeps the build);
// (c)  a next commit (one line of a source file changed and committed), then the action again with the same
//      RUNNER_TEMP path wiped and the cache server of (b) kept: the dependency cache warm, the build made anew (its
//      post step keeps it, and saves no dependency cache);
// (d)  plain PyInstaller as in (a), in the venv (c) installed: the same packages, to compare the build alone;
// (r)  the action on the commit of (c) again (a re-run, a tag pushed on a commit already built): it must take the
//      build (c) kept, skip the install and the build, and still run the smoke tests;
// (m)  with several [project.scripts]/[project.gui-scripts] entry points (examples/chatty has three): the action on
//      all of them, one-file and one-folder, each analysed by a PyInstaller process of its own, side by side;
// (s)  the spec with every entry point that (m) generated, in one PyInstaller process in the venv of (m): the build
//      stage as it was before.
// Then, with entry points, once: the action warm again in one-folder mode, and the start-up time (median of
// --startup-runs) and size of the one-file build of (c) and of that one-folder build. Every executable built is run
// once with --smoke's arguments. Prints medians, the ratios c/a (issue 17's target) and rerun/a, rerun/b, (m)/(s)
// (issue 27's targets), PyInstaller's phases (from its log); exits 0 whatever the figures are, and non-zero only when a
// run fails (with the tail of its output).
//
//   npm run bench -- --builders [--startup-runs N]
//
// compares the builders instead, on examples/chatty's `chatty` entry point, each through the bundled action with a
// dependency cache on act's cache server, a next commit before each run (so that no run takes another's build):
// PyInstaller one-file and one-folder, Nuitka one-file with a cold cache, Nuitka one-file again with the cache the
// first run saved (ccache objects, Nuitka's module cache), and Nuitka standalone with that cache. Figures: the build
// stage's seconds, the size of what ships (the one-file executable, or the whole folder), and the start-up time of
// `chatty --help` (median of N runs, default 15).
//
// Run with tsx (`npm run bench`): options.ts reads the command line, target.ts says what to build, workspace.ts makes
// the git copy and its commits, baselines.ts runs (a), (a') and (u), variants.ts (b), (c), (d), (r), (m) and (s),
// builders.ts --builders, phases.ts reads PyInstaller's log, report.ts prints the figures; environment.ts,
// cache-server.ts and processes.ts are what they share.
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { DEFAULT_PYINSTALLER_VERSION } from '../src/config.js'
import { tail } from '../src/exec.js'
import { UV_VERSION } from '../src/install/installers.js'
import { currentPlatform } from '../src/platform.js'
import { baseline, type BaselineInstaller, type BaselineResult } from './baselines.js'
import { benchBuilders } from './builders.js'
import { actServersBinary, startCacheServer, type CacheServer } from './cache-server.js'
import { cleanEnv, dirSize, distAtHead, gitHead, hostPython, machineLine, makeToolCache, node24, shortHash, snapshotDist } from './environment.js'
import { parseArgs, usageError } from './options.js'
import { check, keepLogs, killGroup, REPO, run, RunFailure, running, startupSeconds } from './processes.js'
import { report, secs, type Results, type StartupFigures } from './report.js'
import { benchTarget, plainBuildArgs } from './target.js'
import { actionRun, plainOnActionVenv, serialOnActionVenv, type ActionResult, type Job } from './variants.js'
import { makeWorkspace, nextCommit } from './workspace.js'
import { parsePyproject } from '../src/pyproject.js'

/** The [project.scripts] and [project.gui-scripts] names of the project. */
function projectEntryPoints(projectDir: string): string[] {
  const project = parsePyproject(fs.readFileSync(path.join(projectDir, 'pyproject.toml'), 'utf8'))
  return [...Object.keys(project.scripts), ...Object.keys(project.guiScripts)]
}

/** The version the baseline pins and the action is given: the action's own default. */
const PYINSTALLER_VERSION = DEFAULT_PYINSTALLER_VERSION
async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2))
  const sourceDir = path.resolve(REPO, opts.project)
  if (!opts.builders && !fs.existsSync(path.join(sourceDir, 'pyproject.toml'))) usageError(`${sourceDir} has no pyproject.toml`)
  if (!opts.builders) benchTarget(opts, sourceDir)
  const smoke = opts.smoke.split(/\s+/).filter(Boolean)
  if (opts.logs) keepLogs(path.resolve(opts.logs))

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-bench-'))
  const servers = new Set<CacheServer>()
  const cleanup = (): void => {
    for (const s of servers) s.stop()
    for (const child of running) killGroup(child)
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      cleanup()
      process.exit(130)
    })

  try {
    const python = hostPython()
    const dist = path.join(tmp, 'dist')
    await snapshotDist(dist)
    const actServers = await actServersBinary()
    const toolCache = makeToolCache(path.join(tmp, 'toolcache'), python)
    if (opts.builders) return await benchBuilders(opts, { dist, actServers, toolCache, tmp, servers, python })
    // Every variant builds a copy of the project in a git repository of its own, which the action keys its build on.
    const ws = await makeWorkspace(path.join(tmp, 'workspace'), sourceDir)
    const projectDir = ws.projectDir
    const target = benchTarget(opts, projectDir)
    const entryPoints = projectEntryPoints(projectDir)
    const uv = await installUv(path.join(tmp, 'tools'), python.executable)
    const head = gitHead()
    const atHead = distAtHead(dist)
    const inputs: Record<string, string> = {
      'python-version': python.version.split('.').slice(0, 2).join('.'),
      'project-path': ws.projectPath || '.',
      extras: opts.extras.join(','),
      ...(target.kind === 'spec' ? { spec: path.relative(projectDir, target.spec) } : { entrypoint: `${target.name} = ${target.ref}`, mode: 'onefile' }),
      'pyinstaller-version': PYINSTALLER_VERSION,
      'smoke-test': opts.smoke
    }

    // (m): every [project.scripts] and [project.gui-scripts] entry point, one-file and one-folder, side by side.
    const multi: Record<string, string> | undefined =
      entryPoints.length > 1 ? { ...Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== 'spec' && k !== 'entrypoint' && k !== 'mode')) } : undefined
    const variants = ['(a)', "(a')", '(u)', '(b)', '(c)', '(d)', '(r)', ...(multi ? ['(m)', '(s)'] : [])]
    console.log(`bench: ${opts.runs} run${opts.runs === 1 ? '' : 's'} of each of ${variants.join(', ')} on ${ws.projectPath}`)
    console.log(
      `  Python ${python.version} (${python.executable}); PyInstaller ${PYINSTALLER_VERSION}; uv ${UV_VERSION}; action under Node ${spawnSync(node24(), ['--version'], { encoding: 'utf8' }).stdout.trim()}`
    )
    console.log(
      `  action bundle (${atHead ? `as committed at HEAD ${head}` : `uncommitted; HEAD is ${head}`}): dist/index.js ${shortHash(path.join(dist, 'index.js'))}, dist/post/index.js ${shortHash(path.join(dist, 'post', 'index.js'))}`
    )
    console.log(
      `  inputs: ${Object.entries(inputs)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' ')}`
    )
    console.log(
      `  baselines build: pyinstaller --noconfirm ${plainBuildArgs(target, path.join(tmp, 'spec'))
        .map((a) => path.basename(a))
        .join(' ')}`
    )
    console.log(machineLine())

    const platform = currentPlatform()
    const results: Results = { a: [], "a'": [], u: [], b: [], c: [], d: [], r: [], m: [], s: [] }
    let last: { job: Job; server: CacheServer; iter: string; c: ActionResult } | undefined
    for (let i = 1; i <= opts.runs; i++) {
      const iter = path.join(tmp, `run-${i}`)
      const common = {
        platform,
        python: python.executable,
        projectDir,
        target,
        extras: opts.extras,
        pyinstallerVersion: PYINSTALLER_VERSION,
        smoke,
        pipCache: path.join(iter, 'pip-cache'),
        pyinstallerConfig: path.join(iter, 'pyinstaller-config')
      }
      const baselineRun = async (key: 'a' | "a'" | 'u', installer: BaselineInstaller): Promise<BaselineResult> => {
        const dir = path.join(iter, key)
        const r = await baseline(
          `(${key}) run ${i}`,
          { ...common, dir, ...(key === 'u' ? { pyinstallerConfig: path.join(iter, 'pyinstaller-config-u') } : {}) },
          installer
        )
        results[key].push(r)
        fs.rmSync(dir, { recursive: true, force: true })
        return r
      }
      const a = await baselineRun('a', { kind: 'pip' })
      const a2 = await baselineRun("a'", { kind: 'pip' })
      const u = await baselineRun('u', { kind: 'uv', uv })

      if (last) stopRound(last, servers)
      const server = await startCacheServer(actServers, path.join(iter, 'cache-server'))
      servers.add(server)
      const job: Job = { dist, root: path.join(iter, 'job'), toolCache, cacheUrl: server.url, workspace: ws.root }
      const b = await actionRun(`(b) run ${i}`, job, inputs, { dependencies: 'cold', build: 'made' })
      results.b.push(b)
      // The next commit: one line of a source file changed. The dependency caches are warm, the build is made anew.
      await nextCommit(ws, i)
      const c = await actionRun(`(c) run ${i}`, job, inputs, { dependencies: 'warm', build: 'made' })
      results.c.push(c)
      const d = await plainOnActionVenv(`(d) run ${i}`, job, target, projectDir, smoke)
      results.d.push(d)
      // The same commit again (a re-run, a tag on a commit main built): the build (c) kept is taken, and smoke-tested.
      const r = await actionRun(`(r) run ${i}`, job, inputs, { dependencies: 'warm', build: 'reused' })
      if (r.smokeTests < 1) throw new RunFailure(`(r) run ${i}`, 'ran no smoke test on the build it took', '')
      results.r.push(r)
      let line =
        `run ${i}/${opts.runs}:  (a) ${secs(a.total)} s   (a') ${secs(a2.total)} s   (u) ${secs(u.total)} s   ` +
        `(b) ${secs(b.total)} s + post ${secs(b.post)} s   (c) ${secs(c.total)} s + post ${secs(c.post)} s   (d) ${secs(d.seconds)} s   ` +
        `(r) ${secs(r.total)} s + post ${secs(r.post)} s`
      if (multi) {
        const m = await actionRun(`(m) run ${i}`, job, multi, { dependencies: 'warm', build: 'made' })
        results.m.push(m)
        const serial = await serialOnActionVenv(`(s) run ${i}`, job, projectDir, m.epoch)
        results.s.push(serial)
        line += `   (m) build ${secs(m.stages.build)} s   (s) ${secs(serial.seconds)} s`
      }
      last = { job, server, iter, c }
      console.log(line)
    }
    const startup =
      target.kind === 'entry' && last ? await oneFileAgainstOneFolder(last.job, last.c, inputs, target.name, smoke, opts.startupRuns, tmp) : undefined
    if (last) stopRound(last, servers)
    report(results, opts.runs, startup, { cores: os.availableParallelism(), entryPoints })
    return 0
  } catch (e) {
    if (!(e instanceof RunFailure)) throw e
    console.error(`\nbench: FAILED — ${e.message}`)
    if (e.output) console.error(`--- last lines of its output ---\n${tail(e.output, 40)}`)
    return 1
  } finally {
    cleanup()
  }
}

/** Stops a round's cache server and removes its folder. */
function stopRound({ server, iter }: { server: CacheServer; iter: string }, servers: Set<CacheServer>): void {
  server.stop()
  servers.delete(server)
  fs.rmSync(iter, { recursive: true, force: true })
}

/** uv, the release the action installs, into `dir` with pip (as the action bootstraps it); its path. */
async function installUv(dir: string, python: string): Promise<string> {
  check(
    'pip install uv',
    await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', dir, `uv==${UV_VERSION}`], { env: cleanEnv() })
  )
  return path.join(dir, 'bin', 'uv')
}

/**
 * The one-file executable of the job's last run (c), `last`, against a one-folder build of the same entry point (the action,
 * warm, mode onedir): what ships and the start-up time of `name smoke…`.
 */
async function oneFileAgainstOneFolder(
  job: Job,
  last: ActionResult,
  inputs: Readonly<Record<string, string>>,
  name: string,
  smoke: readonly string[],
  runs: number,
  tmp: string
): Promise<StartupFigures> {
  const onefile = last.executables.find((e) => e.name === name)
  if (!onefile) throw new RunFailure('(c)', `its executables output names no ${name}`, JSON.stringify(last.executables))
  const kept = path.join(tmp, 'startup', name)
  fs.mkdirSync(path.dirname(kept), { recursive: true })
  fs.copyFileSync(onefile.path, kept)
  fs.chmodSync(kept, 0o755)
  const folder = await actionRun('(e) one-folder', job, { ...inputs, mode: 'onedir' }, { dependencies: 'warm', build: 'made' })
  const onedir = folder.executables.find((e) => e.name === name)
  if (!onedir) throw new RunFailure('(e) one-folder', `its executables output names no ${name}`, JSON.stringify(folder.executables))
  const cwd = path.join(tmp, 'startup')
  return {
    runs,
    command: [name, ...smoke].join(' '),
    rows: [
      { label: 'one-file', size: fs.statSync(kept).size, seconds: startupSeconds('one-file', kept, smoke, runs, cwd) },
      { label: 'one-folder', size: dirSize(path.dirname(onedir.path)), seconds: startupSeconds('one-folder', onedir.path, smoke, runs, cwd) }
    ]
  }
}

process.exitCode = await main()
