/**
 * A kept build: the build stage's output as it was made (before notices,
 * signing or packaging touch it), and record.json, which says what it is and
 * what the stages after the build found out about it. A run that takes the
 * build has no venv: the facts (inspect) and the shipped distributions (SBOM,
 * notices) come from the record, read from these very bytes by the run that
 * made them, so its SBOM and notices are the same.
 *
 *   <snapshot>/record.json
 *   <snapshot>/dist/…      the work folder's dist/ (one-file executables, .app bundles, a spec's folders)
 *   <snapshot>/onedir/…    the work folder's onedir/ (the shared one-folder build)
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Build } from '../freeze/index.js'
import type { BuildFacts } from '../inspect/facts.js'
import type { ShippedReport } from '../inspect/shipped.js'
import type { BuilderName, EntryPoint, ProjectFacts } from '../config.js'
import { inside } from './project.js'

export const RECORD_FILE = 'record.json'
export const RECORD_FORMAT = 2
/** The folders of the work folder a kept build holds. */
export const KEPT_FOLDERS = ['dist', 'onedir'] as const

/** Who made a kept build: a workflow run, or a local build. */
export interface Maker {
  /** `run 123456789 (attempt 1) of owner/repo` or `a local build on <host>`. */
  readonly run: string
  /** The run's page, when it has one. */
  readonly url?: string
  /** ISO time. */
  readonly at: string
}

/** A build as kept: its paths relative to the work folder. */
export interface KeptBuild extends Omit<Build, 'root' | 'executables'> {
  readonly root: string
  readonly executables: readonly { readonly name: string; readonly path: string }[]
  readonly facts: BuildFacts
  /** What ships in it (PyInstaller builds), for the SBOM and the notices. */
  readonly shipped?: ShippedReport
}

export interface BuildRecord {
  readonly format: typeof RECORD_FORMAT
  readonly key: string
  readonly made: Maker
  readonly builder: BuilderName
  readonly version: string
  /** The project's facts and entry points as the run that made the build completed them (project.ts: some come from the installed distribution). */
  readonly project: ProjectFacts
  readonly entrypoints: readonly EntryPoint[]
  /** The lock the install used, as the summary names it ('' for none). */
  readonly lock: string
  /** Files the builder collected from outside the venv and the project (collected.ts), by path: their sha256. */
  readonly collected: Readonly<Record<string, string>>
  readonly builds: readonly KeptBuild[]
}

/** Who makes this build: the workflow run from GITHUB_* variables, else a local build. */
export function maker(env: Readonly<Record<string, string | undefined>>, host: string, now: Date): Maker {
  const at = now.toISOString()
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    const attempt = env.GITHUB_RUN_ATTEMPT ? ` (attempt ${env.GITHUB_RUN_ATTEMPT})` : ''
    const server = env.GITHUB_SERVER_URL || 'https://github.com'
    return {
      run: `run ${env.GITHUB_RUN_ID}${attempt} of ${env.GITHUB_REPOSITORY}`,
      url: `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`,
      at
    }
  }
  return { run: `a local build on ${host}`, at }
}

/** Whether a relative path (forward slashes) lies in dist/ or onedir/ and does not climb out. */
export function isKeptPath(rel: string): boolean {
  const parts = rel.split('/')
  return (
    parts.length > 1 && (KEPT_FOLDERS as readonly string[]).includes(parts[0]) && parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\'))
  )
}

/** A path under the work folder as kept ('dist/chatty'); undefined for one outside dist/ and onedir/. */
export function keptPath(workDir: string, p: string): string | undefined {
  const rel = inside(workDir, p)
  return rel && isKeptPath(rel) ? rel : undefined
}

/** The record of `builds` (each with its facts and, for PyInstaller, what ships); undefined when a build lies outside dist/ and onedir/. */
export function makeRecord(
  fields: Omit<BuildRecord, 'format' | 'builds'>,
  workDir: string,
  builds: readonly (Build & { readonly facts: BuildFacts })[],
  shipped: ReadonlyMap<string, ShippedReport>
): BuildRecord | undefined {
  const kept: KeptBuild[] = []
  for (const b of builds) {
    const root = keptPath(workDir, b.root)
    const executables = b.executables.map((e) => ({ name: e.name, path: keptPath(workDir, e.path) }))
    if (!root || executables.some((e) => !e.path)) return undefined
    kept.push({
      mode: b.mode,
      name: b.name,
      root,
      executables: executables as { name: string; path: string }[],
      facts: b.facts,
      ...(b.sourceDateEpoch !== undefined ? { sourceDateEpoch: b.sourceDateEpoch } : {}),
      ...(shipped.has(b.root) ? { shipped: shipped.get(b.root) } : {})
    })
  }
  return { format: RECORD_FORMAT, ...fields, builds: kept }
}

/** The builds of a record, under `workDir`. */
export function recordedBuilds(record: BuildRecord, workDir: string): Build[] {
  const at = (rel: string): string => path.join(workDir, ...rel.split('/'))
  return record.builds.map((b) => ({
    mode: b.mode,
    name: b.name,
    root: at(b.root),
    executables: b.executables.map((e) => ({ name: e.name, path: at(e.path) })),
    ...(b.sourceDateEpoch !== undefined ? { sourceDateEpoch: b.sourceDateEpoch } : {})
  }))
}

/** Why a record read from a store cannot be used for `key` ('' when it can). */
export function recordProblem(record: unknown, key: string): string {
  const r = record as Partial<BuildRecord> | undefined
  if (!r || typeof r !== 'object') return 'it has no record'
  if (r.format !== RECORD_FORMAT) return `its record is of format ${String(r.format)}, not ${RECORD_FORMAT}`
  if (r.key !== key) return `its record names another key (${String(r.key)})`
  if (!Array.isArray(r.builds) || !r.builds.length) return 'its record lists no build'
  for (const b of r.builds)
    if (
      !b ||
      typeof b.root !== 'string' ||
      !isKeptPath(b.root) ||
      !b.facts ||
      !Array.isArray(b.executables) ||
      !(b.executables as unknown[]).every((e) => typeof (e as { path?: unknown })?.path === 'string' && isKeptPath((e as { path: string }).path))
    )
      return 'its record lists a build it cannot place'
  if (typeof r.version !== 'string' || !r.version) return 'its record has no version'
  if (!r.project || typeof r.project !== 'object' || !Array.isArray(r.entrypoints)) return 'its record does not say what the project is'
  if (!r.collected || typeof r.collected !== 'object') return 'its record does not list what the build collected'
  return ''
}

/** Reads the record of a kept build; undefined when there is none or it does not parse. */
export function readRecord(dir: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8')) as unknown
  } catch {
    return undefined
  }
}

export function writeRecord(dir: string, record: BuildRecord): void {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, RECORD_FILE), `${JSON.stringify(record)}\n`)
}
