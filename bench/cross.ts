// Benchmark: the same project built for Windows on this Linux machine (target: windows-x64, under Wine) beside its
// Linux build, through the local CLI (dist/cli/index.js under Node 24):
//
//   npm run bench:cross [-- --runs N] [--wine host|trixie]
//
// Each round runs, in turn, examples/chatty from its spec with `--help`, `gui --help` and `list`, installer uv:
// (L) the Linux build, in a fresh work folder, with the host's Python in a tool cache;
// (W) the Windows build, cold: a fresh work folder and an empty tool cache, so the Wine prefix is made and the
//     Windows Python is downloaded from python.org's index (served on 127.0.0.1 from the Maven Central CPython, as
//     the tests do: __tests__/windows/cross.ts) and unpacked;
// (W') the Windows build again in the same work folder and tool cache: the prefix and the Python are kept.
// Wine: the trixie root filesystem's Wine 10 (default; uv runs there) or the host's (Debian 12's Wine 8: pip).
// The dependency cache is off in every run (cache: false): what is compared is the cost of Wine, not of downloads.
// Prints the medians of each stage and the total.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseCommandFile } from '../src/cli-args.js'
import { crossEnv, startIndexServer, wine10Programs } from '../__tests__/windows/cross.js'
import { REPO, SCRATCH } from '../__tests__/e2e/harness.js'
import { cleanEnv, hostPython, makeToolCache, node24 } from './environment.js'
import { median } from './stats.js'
import { run, RunFailure } from './processes.js'

const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1] ?? 1) || 1
const wineKind = args.includes('--wine') ? args[args.indexOf('--wine') + 1] : 'trixie'

const INPUTS = ['--project-path', 'examples/chatty', '--spec', 'packaging/chatty_cli.spec', '--installer', 'uv', '--cache', 'false']
const SMOKE = ['--smoke-test', '--help', '--smoke-test', 'gui --help', '--smoke-test', 'list']

/** One CLI run from `cwd` (its .build-standalone is the work folder); the stage seconds from its summary, and the total. */
async function cli(label: string, cwd: string, extra: readonly string[], env: Record<string, string>): Promise<Record<string, number>> {
  const r = await run(node24(), [path.join(REPO, 'dist', 'cli', 'index.js'), ...INPUTS, ...SMOKE, ...extra], {
    cwd,
    env: { ...cleanEnv(), GITHUB_WORKSPACE: REPO, TMPDIR: SCRATCH, ...env }
  })
  if (r.code !== 0) throw new RunFailure(label, `exited with ${r.code}`, r.output.slice(-4000))
  const summary = fs.readFileSync(path.join(cwd, '.build-standalone', 'summary.md'), 'utf8')
  const stages = Object.fromEntries([...summary.matchAll(/^\| (\w+) \| ([\d.]+) \|$/gm)].map((m) => [m[1], Number(m[2])]))
  const outputs = parseCommandFile(fs.readFileSync(path.join(cwd, '.build-standalone', 'outputs.txt'), 'utf8'))
  process.stdout.write(
    `${label}: ${r.seconds.toFixed(1)} s (${outputs.archives
      .split('\n')
      .map((a) => path.basename(a))
      .join(', ')})\n`
  )
  return { ...stages, total: r.seconds }
}

const server = await startIndexServer()
const wine = wineKind === 'host' ? {} : wine10Programs()
const results: Record<string, Record<string, number>[]> = { L: [], W: [], "W'": [] }
try {
  for (let i = 0; i < runs; i++) {
    const linuxDir = fs.mkdtempSync(path.join(SCRATCH, 'bench-linux-'))
    const linuxCache = makeToolCache(path.join(linuxDir, 'toolcache'), hostPython())
    results.L.push(await cli(`(L) linux-x64 #${i + 1}`, linuxDir, [], { RUNNER_TOOL_CACHE: linuxCache }))
    const winDir = fs.mkdtempSync(path.join(SCRATCH, 'bench-windows-'))
    const env = { ...crossEnv(path.join(winDir, 'toolcache'), server.version), ...wine }
    results.W.push(await cli(`(W) windows-x64 cold #${i + 1}`, winDir, ['--target', 'windows-x64', '--python-versions-manifest', server.url], env))
    results["W'"].push(await cli(`(W') windows-x64 kept #${i + 1}`, winDir, ['--target', 'windows-x64', '--python-versions-manifest', server.url], env))
  }
} finally {
  await server.close()
}
const stages = ['wine', 'python', 'install', 'build', 'inspect', 'smoke', 'package', 'total']
process.stdout.write(
  `\nmedian seconds over ${runs} run(s), Wine: ${wineKind}\n\n| stage | (L) Linux | (W) Windows, cold | (W') Windows, prefix and Python kept |\n|---|---:|---:|---:|\n`
)
for (const s of stages) {
  const cell = (k: string): string => {
    const values = results[k].map((r) => r[s]).filter((v): v is number => v !== undefined)
    return median(values)?.toFixed(1) ?? '—'
  }
  process.stdout.write(`| ${s} | ${cell('L')} | ${cell('W')} | ${cell("W'")} |\n`)
}
process.exit(0)
