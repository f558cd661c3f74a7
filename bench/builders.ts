/**
 * `--builders`: PyInstaller against Nuitka on examples/chatty's `chatty` entry point, each through the bundled action
 * with a dependency cache on act's cache server: build stage seconds, the size of what ships, start-up time.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BuilderName } from '../src/config.js'
import { startCacheServer, type CacheServer } from './cache-server.js'
import { dirSize, machineLine, type HostPython } from './environment.js'
import type { Options } from './options.js'
import { REPO, RunFailure, startupSeconds } from './processes.js'
import { mb, secs, table } from './report.js'
import { actionRun, type Job } from './variants.js'
import { makeWorkspace, nextCommit } from './workspace.js'

const SMOKE_TEST = '--help'

interface BuilderRun {
  readonly label: string
  readonly builder: BuilderName
  readonly mode: 'onefile' | 'onedir'
  /** Whether the dependency cache of an earlier run of the same builder must be restored. */
  readonly warm: boolean
}

const BUILDER_RUNS: readonly BuilderRun[] = [
  { label: 'PyInstaller one-file', builder: 'pyinstaller', mode: 'onefile', warm: false },
  { label: 'PyInstaller one-folder', builder: 'pyinstaller', mode: 'onedir', warm: true },
  { label: 'Nuitka one-file', builder: 'nuitka', mode: 'onefile', warm: false },
  { label: 'Nuitka one-file', builder: 'nuitka', mode: 'onefile', warm: true },
  { label: 'Nuitka standalone', builder: 'nuitka', mode: 'onedir', warm: true }
]

export interface BuildersSetup {
  readonly dist: string
  readonly actServers: string
  readonly toolCache: string
  readonly tmp: string
  /** The servers running, for the bench to stop when it is interrupted. */
  readonly servers: Set<CacheServer>
  readonly python: HostPython
}

export async function benchBuilders(opts: Options, { dist, actServers, toolCache, tmp, servers, python }: BuildersSetup): Promise<number> {
  // A next commit before each run: otherwise a run would take the build an earlier run of the same builder kept.
  const ws = await makeWorkspace(path.join(tmp, 'workspace'), path.join(REPO, 'examples', 'chatty'))
  const base = {
    'python-version': python.version.split('.').slice(0, 2).join('.'),
    'project-path': ws.projectPath,
    entrypoint: 'chatty = chatty_commander.cli.cli:cli_main',
    'smoke-test': SMOKE_TEST
  }
  console.log(`bench --builders on examples/chatty's chatty entry point; start-up: median of ${opts.startupRuns} runs of \`chatty --help\``)
  console.log(
    `  inputs: ${Object.entries(base)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ')}; builder and mode per row`
  )
  console.log(machineLine())
  const cacheServers: Partial<Record<BuilderName, CacheServer>> = {}
  const rows: { label: string; build: number | undefined; total: number; shipped: number; archive: number | undefined; startup: number }[] = []
  try {
    for (const spec of BUILDER_RUNS) {
      let server = cacheServers[spec.builder]
      if (!server) {
        server = cacheServers[spec.builder] = await startCacheServer(actServers, path.join(tmp, `cache-${spec.builder}`))
        servers.add(server)
      }
      const job: Job = { dist, root: path.join(tmp, `job-${spec.builder}`), toolCache, cacheUrl: server.url, workspace: ws.root }
      const label = `${spec.label}, ${spec.warm ? 'warm' : 'cold'} cache`
      await nextCommit(ws, rows.length + 1)
      const r = await actionRun(label, job, { ...base, builder: spec.builder, mode: spec.mode }, { dependencies: spec.warm ? 'warm' : 'cold', build: 'made' })
      const exe = r.executables.find((e) => e.name === 'chatty')
      if (!exe) throw new RunFailure(label, 'its executables output names no chatty', JSON.stringify(r.executables))
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
