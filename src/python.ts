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
import { installPython } from './python-install.js'
import { compareVersionsDesc, parseSpec, versionMatches } from './python-spec.js'

export { compareVersionsDesc, versionMatches }

/** What a candidate interpreter says about itself. */
export interface Probe {
  readonly version: string
  readonly executable: string
  readonly bits: number
  readonly machine: string
}

const PROBE_SCRIPT =
  'import json,platform,struct,sys;print(json.dumps({"version":"%d.%d.%d"%sys.version_info[:3],"executable":sys.executable,"bits":struct.calcsize("P")*8,"machine":platform.machine()}))'

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
  const [major, minor] = parseSpec(spec) === 'short' ? spec.split('.') : []
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

export interface Located {
  readonly found?: FoundPython
  /** What was found that does not match, for the error message. */
  readonly seen: readonly string[]
}

/** Looks for an interpreter for `spec` in the tool cache, then on PATH. */
export async function locatePython(platform: Platform, spec: string, toolCache: string): Promise<Located> {
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
    if (versionMatches(spec, info.version) && archMatches(info, platform))
      return { found: { executable: info.executable || p, version: info.version, source }, seen }
  }
  return { seen }
}

/** The error when no interpreter matches, naming what was found instead. */
export function pythonNotFound(platform: Platform, spec: string, toolCache: string, seen: readonly string[], installNote: string): StageError {
  const cacheRoot = toolCache ? path.join(toolCache, 'Python') : ''
  const looked = [cacheRoot ? `the runner tool cache (${cacheRoot})` : 'the runner tool cache (RUNNER_TOOL_CACHE is not set)', 'PATH'].join(' and ')
  return new StageError(
    'python',
    `no Python ${spec} for ${platform.arch} was found in ${looked}. ${seen.length ? `Found instead: ${seen.join('; ')}.` : 'No Python was found at all.'} ${installNote}` +
      `Install it before this step (for example with actions/setup-python), or set python-version to one that is installed.`
  )
}

/**
 * Finds an interpreter for `spec`; when none is installed and the runner has a
 * tool cache, installs one from the versions manifest first.
 */
export async function findPython(platform: Platform, spec: string, toolCache: string, manifestUrl = ''): Promise<FoundPython> {
  const first = await locatePython(platform, spec, toolCache)
  if (first.found) return first.found
  if (!toolCache || !manifestUrl)
    throw pythonNotFound(platform, spec, toolCache, first.seen, toolCache ? '' : 'Without a tool cache, the action does not download one. ')
  const installed = await installPython(platform, spec, toolCache, manifestUrl)
  const second = await locatePython(platform, installed, toolCache)
  if (second.found) return second.found
  throw pythonNotFound(platform, spec, toolCache, second.seen, `Python ${installed} was installed into the tool cache, but does not run here. `)
}

/** What an interpreter says about itself; undefined when it does not run or does not answer. */
export async function probe(program: string): Promise<Probe | undefined> {
  const result = await runCommand(probeCommand(program), { silent: true })
  if (result.exitCode !== 0) return undefined
  try {
    return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as Probe
  } catch {
    return undefined
  }
}
