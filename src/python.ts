/**
 * Finding a Python interpreter that matches `python-version` (the runner's
 * tool cache first, then PATH) and creating the isolated build venv.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as io from '@actions/io'
import { StageError } from './errors.js'
import { runCommand, type Command } from './exec.js'
import type { Platform } from './platform.js'

/** What a candidate interpreter says about itself. */
export interface Probe {
  readonly version: string
  readonly executable: string
  readonly bits: number
  readonly machine: string
}

const PROBE_SCRIPT =
  'import json,platform,struct,sys;print(json.dumps({"version":"%d.%d.%d"%sys.version_info[:3],"executable":sys.executable,"bits":struct.calcsize("P")*8,"machine":platform.machine()}))'

/** True when `actual` (e.g. 3.11.7) is what `spec` (3, 3.11, 3.11.7, 3.x) asks for. */
export function versionMatches(spec: string, actual: string): boolean {
  const want = spec.split('.')
  const have = actual.split('.')
  return want.every((part, i) => part === 'x' || part === have[i])
}

/** Newest first. */
export function compareVersionsDesc(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** The interpreter path inside a tool-cache entry `<toolCache>/Python/<version>/<arch>`. */
export function toolCachePython(platform: Platform, toolCache: string, version: string): string {
  const dir = platform.path.join(toolCache, 'Python', version, platform.arch)
  return platform.os === 'windows' ? platform.path.join(dir, 'python.exe') : platform.path.join(dir, 'bin', 'python3')
}

/**
 * Interpreters to try from the tool cache, best first: the versions whose
 * `<arch>.complete` marker exists and that match `spec`.
 */
export function toolCacheCandidates(
  platform: Platform,
  toolCache: string,
  spec: string,
  versions: readonly string[],
  complete: (version: string) => boolean
): string[] {
  if (!toolCache) return []
  return versions
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && versionMatches(spec, v) && complete(v))
    .sort(compareVersionsDesc)
    .map((v) => toolCachePython(platform, toolCache, v))
}

/** Program names to look up on PATH, most specific first. */
export function pathCandidates(platform: Platform, spec: string): string[] {
  const [major, minor] = spec.split('.')
  const names = platform.os === 'windows' ? ['python', 'python3'] : ['python3', 'python']
  if (minor && minor !== 'x' && platform.os !== 'windows') names.unshift(`python${major}.${minor}`)
  return names
}

/** True when the interpreter was built for the runner's architecture. */
export function archMatches(probe: Probe, platform: Platform): boolean {
  const machine = probe.machine.toLowerCase()
  const arm = machine === 'arm64' || machine === 'aarch64'
  if (platform.arch === 'x86') return probe.bits === 32
  if (platform.arch === 'arm64') return probe.bits === 64 && arm
  return probe.bits === 64 && !arm
}

export function probeCommand(program: string): Command {
  return { program, args: ['-c', PROBE_SCRIPT], env: { PYTHONHOME: undefined, PYTHONPATH: undefined } }
}

export interface FoundPython {
  readonly executable: string
  readonly version: string
  readonly source: 'tool cache' | 'PATH'
}

/** Finds an interpreter for `spec`, or throws naming what was found instead. */
export async function findPython(platform: Platform, spec: string, toolCache: string): Promise<FoundPython> {
  const cacheRoot = toolCache ? path.join(toolCache, 'Python') : ''
  const versions = cacheRoot && fs.existsSync(cacheRoot) ? fs.readdirSync(cacheRoot) : []
  const fromCache = toolCacheCandidates(platform, toolCache, spec, versions, (v) => fs.existsSync(path.join(cacheRoot, v, `${platform.arch}.complete`)))
  const fromPath: string[] = []
  for (const name of pathCandidates(platform, spec)) {
    const found = await io.which(name, false)
    if (found && !fromPath.includes(found)) fromPath.push(found)
  }
  const seen: string[] = []
  const candidates = [...fromCache.map((p) => ({ p, source: 'tool cache' as const })), ...fromPath.map((p) => ({ p, source: 'PATH' as const }))]
  for (const { p, source } of candidates) {
    if (!fs.existsSync(p)) continue
    const info = await probe(p)
    if (!info) continue
    seen.push(`${info.version} (${info.bits}-bit ${info.machine}) at ${p}`)
    if (versionMatches(spec, info.version) && archMatches(info, platform)) return { executable: info.executable || p, version: info.version, source }
  }
  const looked = [cacheRoot ? `the runner tool cache (${cacheRoot})` : 'the runner tool cache (RUNNER_TOOL_CACHE is not set)', 'PATH'].join(' and ')
  throw new StageError(
    'python',
    `no Python ${spec} for ${platform.arch} was found in ${looked}. ${seen.length ? `Found instead: ${seen.join('; ')}.` : 'No Python was found at all.'} ` +
      `Install it before this step (for example with actions/setup-python), or set python-version to one that is installed.`
  )
}

async function probe(program: string): Promise<Probe | undefined> {
  const result = await runCommand(probeCommand(program), { silent: true })
  if (result.exitCode !== 0) return undefined
  try {
    return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as Probe
  } catch {
    return undefined
  }
}
