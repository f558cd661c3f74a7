/**
 * Build reuse: a build is never made twice. Before installing, the run works
 * out its build's key (key.ts: the project's files, what the install would
 * resolve, the interpreter and the machine, the builder, every input that
 * shapes the build, the action itself) and asks the store (store.ts) for a
 * build kept under it. Found: the install and the build are skipped and the
 * kept build is put where the build stage would have put it; inspect, smoke
 * tests, packaging, signing and publishing run as always, on facts the record
 * keeps (record.ts). Not found: the run builds, and keeps its build (as made,
 * before anything touches it) with what inspect found, for the next run.
 * Anything the key cannot be sure of is a miss: the run builds.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as core from '@actions/core'
import * as io from '@actions/io'
import { environment, runCommand } from '../exec.js'
import type { Build, BuildResult } from '../freeze/index.js'
import type { BuildFacts } from '../inspect/facts.js'
import type { ShippedReport } from '../inspect/shipped.js'
import type { Platform } from '../platform.js'
import type { FoundPython } from '../python.js'
import type { Config } from '../config.js'
import { buildEnvironment, buildKey, describeKey, KeyDoubt, keyedInputs, namedFiles, sha256, type BuildKeyParts } from './key.js'
import { outsideFiles, projectFingerprint } from './project.js'
import { changedCollected, collectedOutside } from './collected.js'
import { buildPaths } from '../freeze/builds.js'
import { KEPT_FOLDERS, maker, makeRecord, readRecord, recordedBuilds, recordProblem, writeRecord, type BuildRecord } from './record.js'
import { actionsStore, cloneTree, localStore, type BuildStore } from './store.js'
import { compilerFacts, machineFacts, pythonFacts } from './system.js'

export { saveKept, BUILD_STATE, type BuildStore } from './store.js'
export type { BuildRecord } from './record.js'

/** A run's build key and, when a build was kept under it, that build's record. */
export interface Reuse {
  readonly key: string
  readonly store: BuildStore
  /** The folder the kept build is fetched into, or this run's build is kept in. */
  readonly dir: string
  /** Files are hard-linked into the kept folder rather than copied (nothing changes them in place). */
  readonly link: boolean
  /** The build kept under the key: a hit. */
  readonly found?: BuildRecord
}

export interface LookUp {
  readonly config: Config
  readonly platform: Platform
  readonly python: FoundPython
  /** SOURCE_DATE_EPOCH of the build ('' for none). */
  readonly epoch: string
  readonly store: BuildStore
  /** What the install would take from the index (the installer's resolution, without installing). */
  readonly resolve: () => Promise<string>
}

/** Where kept builds are: the Actions cache, or (local runs) a folder beside the dependency cache. */
export type StoreKind = 'actions' | 'local'

/** Whether a kept build may be taken (and kept) with hard links: only when nothing changes the build's files in place (signing does). */
export const linkable = (config: Pick<Config, 'signing'>): boolean => !config.signing.windows && !config.signing.macos

/** The store of kept builds of the given kind. */
export function buildStore(kind: StoreKind, config: Pick<Config, 'workDir' | 'signing'>): BuildStore {
  return kind === 'local' ? localStore(path.join(config.workDir, 'cache', 'builds'), linkable(config)) : actionsStore()
}

/** The folder of the work folder a kept build passes through. */
export const keptDir = (workDir: string): string => path.join(workDir, 'kept-build')

let bundleHash = ''
/** The action's own code: the hash of the running bundle (dist/index.js on a runner). */
function actionFingerprint(): string {
  bundleHash ||= sha256(fs.readFileSync(fileURLToPath(import.meta.url)))
  return bundleHash
}

/** HEAD and `git describe` of the project's checkout ('' outside git): a dynamic version is read from them. */
async function commitFacts(projectDir: string): Promise<string> {
  const git = await io.which('git', false)
  if (!git) return ''
  const run = async (args: string[]): Promise<string> => {
    const r = await runCommand({ program: git, args: ['-C', projectDir, ...args], env: { GIT_OPTIONAL_LOCKS: '0' } }, { silent: true }).catch(() => undefined)
    return r?.exitCode === 0 ? r.stdout.trim() : ''
  }
  const head = await run(['rev-parse', '--verify', '--quiet', 'HEAD'])
  return head ? `${head} ${await run(['describe', '--tags', '--long', '--dirty', '--always'])}` : ''
}

/** Gathers the key's parts. */
export async function keyParts(l: LookUp): Promise<{ parts: BuildKeyParts; envNames: string[] }> {
  const { config } = l
  // What the install and the builder get of the action's environment (exec.ts), not the runner's own variables.
  const env = buildEnvironment(environment())
  const dynamicVersion = !config.version && !config.project.version
  const parts: BuildKeyParts = {
    action: actionFingerprint(),
    system: [...machineFacts(l.platform), await pythonFacts(l.python.executable), ...(await compilerFacts(config.builder))],
    project: await projectFingerprint(config.projectDir, [path.dirname(config.workDir), config.outputDir]),
    requirements: sha256(
      await l.resolve().catch((e: Error) => {
        throw new KeyDoubt(`the requirements could not be resolved without installing them (${e.message})`)
      })
    ),
    epoch: l.epoch,
    commit: dynamicVersion ? await commitFacts(config.projectDir) : '',
    inputs: keyedInputs(config),
    files: outsideFiles(config.projectDir, namedFiles(config)),
    environment: env.hash
  }
  return { parts, envNames: env.names }
}

/**
 * Works out the build's key and looks for a build kept under it; undefined when
 * reuse is off (the cache input) or the key cannot be made (said in the log).
 */
export async function lookUpBuild(l: LookUp): Promise<Reuse | undefined> {
  if (!l.config.cache) return undefined
  const unavailable = l.store.unavailable()
  if (unavailable) {
    core.info(`No build is reused or kept: ${unavailable}.`)
    return undefined
  }
  const dir = keptDir(l.config.workDir)
  const link = linkable(l.config)
  try {
    const { parts, envNames } = await keyParts(l)
    const key = buildKey(l.platform, parts)
    core.info(
      `Build key ${key}, over:\n${describeKey(parts, envNames)
        .map((line) => `  ${line}`)
        .join('\n')}`
    )
    fs.rmSync(dir, { recursive: true, force: true })
    const miss = { key, store: l.store, dir, link }
    if (!(await l.store.fetch(key, dir))) {
      core.info(`No build is kept under ${key} in ${l.store.name}: installing and building.`)
      return miss
    }
    const record = readRecord(dir)
    const problem = recordProblem(record, key) || missingFile(record as BuildRecord, dir)
    if (problem) {
      core.warning(`The build kept under ${key} in ${l.store.name} cannot be used (${problem}): installing and building.`)
      fs.rmSync(dir, { recursive: true, force: true })
      return miss
    }
    const found = record as BuildRecord
    const changed = changedCollected(found.collected)
    if (changed) {
      core.info(`The build kept under ${key} is not taken: ${changed}. Installing and building.`)
      fs.rmSync(dir, { recursive: true, force: true })
      return miss
    }
    core.info(
      `Build reused from ${key}, made by ${found.made.run}${found.made.url ? ` (${found.made.url})` : ''} at ${found.made.at}: the install and the build are skipped; inspect, the smoke tests, packaging, signing and publishing run as always.`
    )
    return { ...miss, found }
  } catch (e) {
    if (e instanceof KeyDoubt) core.info(`No build is reused or kept: ${e.message}.`)
    else core.warning(`No build is reused or kept: the build's key could not be made (${(e as Error).message}).`)
    fs.rmSync(dir, { recursive: true, force: true })
    return undefined
  }
}

/** A file the record names that the fetched folder lacks ('' when all are there). */
function missingFile(record: BuildRecord, dir: string): string {
  for (const b of record.builds)
    for (const rel of [b.root, ...b.executables.map((e) => e.path)]) if (!fs.existsSync(path.join(dir, ...rel.split('/')))) return `${rel} is missing from it`
  return ''
}

/** Puts the kept build where the build stage would have made it; the build stage's result. */
export function placeKept(reuse: Reuse & { readonly found: BuildRecord }, workDir: string): BuildResult {
  for (const folder of KEPT_FOLDERS) {
    fs.rmSync(path.join(workDir, folder), { recursive: true, force: true })
    if (fs.existsSync(path.join(reuse.dir, folder))) fs.renameSync(path.join(reuse.dir, folder), path.join(workDir, folder))
  }
  const builds = recordedBuilds(reuse.found, workDir)
  for (const b of builds) core.info(`${b.name} (${b.mode}): from the kept build`)
  return { builds, entryTimes: [], processes: 0 }
}

/** Copies (or links) what this run built into the kept folder, before anything touches it. */
export function snapshotBuild(reuse: Reuse, workDir: string): void {
  fs.rmSync(reuse.dir, { recursive: true, force: true })
  for (const folder of KEPT_FOLDERS)
    if (fs.existsSync(path.join(workDir, folder))) cloneTree(path.join(workDir, folder), path.join(reuse.dir, folder), reuse.link)
}

/** Records what inspect found and keeps the build in the store; a failure only warns. */
export async function keepBuild(
  reuse: Reuse,
  config: Pick<Config, 'workDir' | 'builder' | 'projectDir'>,
  fields: Pick<BuildRecord, 'version' | 'lock' | 'project' | 'entrypoints'>,
  builds: readonly (Build & { readonly facts: BuildFacts })[],
  shipped: ReadonlyMap<string, ShippedReport>
): Promise<void> {
  try {
    const paths = buildPaths(config)
    const collected = config.builder === 'pyinstaller' ? collectedOutside([paths.workPath, paths.partsDir], [config.workDir, config.projectDir]) : {}
    const record = makeRecord(
      { key: reuse.key, made: maker(process.env, os.hostname(), new Date()), builder: config.builder, collected, ...fields },
      config.workDir,
      builds,
      shipped
    )
    if (!record) {
      core.info('The build is not kept: a build lies outside the work folder’s dist/ and onedir/.')
      return
    }
    writeRecord(reuse.dir, record)
    await reuse.store.keep(reuse.key, reuse.dir)
  } catch (e) {
    core.warning(`The build could not be kept for a later run (${(e as Error).message}). This run is not affected.`)
  }
}

/** The config and version of a run that takes a kept build: the project's facts as the run that made it completed them (it has no venv to read them from). */
export function keptProject(record: BuildRecord, inputs: Config): { config: Config; version: string } {
  core.info(`Version ${record.version}, the project's name and its entry points, from the kept build's record.`)
  return {
    config: Object.freeze({ ...inputs, project: Object.freeze(record.project), entrypoints: Object.freeze(record.entrypoints) }),
    version: record.version
  }
}

/** The facts the kept build's record holds, by the build's root under `workDir`. */
export function keptFacts(record: BuildRecord, workDir: string): Map<string, BuildFacts> {
  const builds = recordedBuilds(record, workDir)
  return new Map(builds.map((b, i) => [b.root, record.builds[i].facts]))
}

/** What the kept build's record says ships in each build, by the build's root under `workDir`. */
export function keptShipped(record: BuildRecord, workDir: string): Map<string, ShippedReport> {
  const builds = recordedBuilds(record, workDir)
  return new Map(builds.flatMap((b, i) => (record.builds[i].shipped ? [[b.root, record.builds[i].shipped as ShippedReport] as const] : [])))
}
