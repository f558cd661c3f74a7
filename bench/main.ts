// Benchmark: the action (cold and warm dependency cache) against the hand-written workflow it replaces.
//
//   npm run bench [-- --runs N] [--project DIR] [--spec FILE] [--extras LIST]
//
// (a)  baseline as a workflow does it today: `python3 -m venv`, `pip install '.[extras]' pyinstaller==…` with an
//      empty, fresh PIP_CACHE_DIR (and an empty PyInstaller cache folder), then `pyinstaller --noconfirm <spec>`;
// (a') the same again with the pip cache (and PyInstaller cache) that (a) just filled;
// (b)  the bundled action (dist/index.js under Node 24, as a runner runs it) with a fresh act cache server and a
//      fresh RUNNER_TEMP, then its post step (which saves the dependency cache);
// (c)  the action again with the same RUNNER_TEMP path wiped and the cache server of (b) kept, then its post step
//      (which must save nothing).
// Each N times, interleaved a, a', b, c, a, a', b, c, … Prints medians; exits 0 whatever the figures are, and
// non-zero only when a run fails (with the tail of its output).
//
//   npm run bench -- --builders [--startup-runs N]
//
// compares the builders instead, on examples/chatty's `chatty` entry point (FastAPI, uvicorn, websockets), each
// through the bundled action with a dependency cache on act's cache server: PyInstaller one-file and one-folder,
// Nuitka one-file with a cold cache, Nuitka one-file again with the cache the first run saved (ccache objects,
// Nuitka's module cache), and Nuitka standalone with that cache. Figures: the build stage's seconds, the size of
// what ships (the one-file executable, or the whole folder), and the start-up time of `chatty --help` (median of
// N runs, default 15).
//
// Run with tsx (`npm run bench`): options.ts reads the command line, baselines.ts runs (a) and (a'), variants.ts
// (b) and (c), builders.ts --builders, report.ts prints the figures; environment.ts, cache-server.ts and
// processes.ts are what they share.
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { DEFAULT_PYINSTALLER_VERSION } from '../src/config.js'
import { tail } from '../src/exec.js'
import { currentPlatform } from '../src/platform.js'
import { baseline } from './baselines.js'
import { benchBuilders } from './builders.js'
import { actServersBinary, startCacheServer, type CacheServer } from './cache-server.js'
import { dirSize, distAtHead, gitHead, hostPython, machineLine, makeToolCache, node24, shortHash, snapshotDist } from './environment.js'
import { parseArgs, usageError } from './options.js'
import { killGroup, REPO, RunFailure, running } from './processes.js'
import { report, secs, type Results } from './report.js'
import { actionRun, type Job } from './variants.js'

/** The version the baseline pins and the action is given: the action's own default. */
const PYINSTALLER_VERSION = DEFAULT_PYINSTALLER_VERSION
const SMOKE_TEST = '--help'

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2))
  const projectDir = path.resolve(REPO, opts.project)
  const specFile = path.resolve(projectDir, opts.spec)
  if (!opts.builders && !fs.existsSync(path.join(projectDir, 'pyproject.toml'))) usageError(`${projectDir} has no pyproject.toml`)
  if (!opts.builders && !fs.existsSync(specFile)) usageError(`${specFile} does not exist`)

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
    const head = gitHead()
    const atHead = distAtHead(dist)
    const inputs = {
      'python-version': python.version.split('.').slice(0, 2).join('.'),
      'project-path': path.relative(REPO, projectDir) || '.',
      extras: opts.extras.join(','),
      spec: path.relative(projectDir, specFile),
      'pyinstaller-version': PYINSTALLER_VERSION,
      'smoke-test': SMOKE_TEST
    }

    console.log(`bench: ${opts.runs} run${opts.runs === 1 ? '' : 's'} of each of (a), (a'), (b), (c) on ${path.relative(REPO, projectDir)}`)
    console.log(
      `  Python ${python.version} (${python.executable}); PyInstaller ${PYINSTALLER_VERSION}; action under Node ${spawnSync(node24(), ['--version'], { encoding: 'utf8' }).stdout.trim()}`
    )
    console.log(
      `  action bundle (${atHead ? `as committed at HEAD ${head}` : `uncommitted; HEAD is ${head}`}): dist/index.js ${shortHash(path.join(dist, 'index.js'))}, dist/post/index.js ${shortHash(path.join(dist, 'post', 'index.js'))}`
    )
    console.log(
      `  inputs: ${Object.entries(inputs)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' ')}`
    )
    console.log(machineLine())

    const platform = currentPlatform()
    const results: Results = { a: [], "a'": [], b: [], c: [] }
    for (let i = 1; i <= opts.runs; i++) {
      const iter = path.join(tmp, `run-${i}`)
      const common = {
        platform,
        python: python.executable,
        projectDir,
        spec: specFile,
        extras: opts.extras,
        pyinstallerVersion: PYINSTALLER_VERSION,
        pipCache: path.join(iter, 'pip-cache'),
        pyinstallerConfig: path.join(iter, 'pyinstaller-config')
      }

      const a = await baseline(`(a) run ${i}`, { ...common, dir: path.join(iter, 'a') })
      results.a.push(a)
      fs.rmSync(path.join(iter, 'a'), { recursive: true, force: true })
      const a2 = await baseline(`(a') run ${i}`, { ...common, dir: path.join(iter, "a'") })
      results["a'"].push(a2)
      fs.rmSync(path.join(iter, "a'"), { recursive: true, force: true })

      const server = await startCacheServer(actServers, path.join(iter, 'cache-server'))
      servers.add(server)
      const job: Job = { dist, root: path.join(iter, 'job'), toolCache, cacheUrl: server.url }
      const b = await actionRun(`(b) run ${i}`, job, inputs, false)
      results.b.push(b)
      const c = await actionRun(`(c) run ${i}`, job, inputs, true)
      results.c.push(c)
      if (b.cacheSize === undefined) b.cacheSize = dirSize(path.join(iter, 'cache-server'))
      server.stop()
      servers.delete(server)
      fs.rmSync(iter, { recursive: true, force: true })

      console.log(
        `run ${i}/${opts.runs}:  (a) ${secs(a.total)} s   (a') ${secs(a2.total)} s   ` +
          `(b) ${secs(b.total)} s + post ${secs(b.post)} s   (c) ${secs(c.total)} s + post ${secs(c.post)} s`
      )
    }
    report(results, opts.runs)
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

process.exitCode = await main()
