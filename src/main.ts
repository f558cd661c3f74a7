/**
 * The pipeline: one run of the action, stage by stage.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { build, sourceDateEpoch, type Build } from './freeze/index.js'
import { normalizeName } from './pyproject.js'
import { describeError } from './errors.js'
import { childEnvironmentSummary, childTime } from './exec.js'
import { readConfig, SECRET_INPUTS } from './inputs/index.js'
import { sign } from './sign/index.js'
import { mask } from './sign/secrets.js'
import { inspect } from './inspect/index.js'
import { install, prepareInstall, resolvedRequirements } from './install/index.js'
import { keepDependencyCacheAsIs } from './install/cache.js'
import { projectAsInstalled } from './project.js'
import { buildStore, keepBuild, keptFacts, keptProject, keptShipped, lookUpBuild, placeKept, snapshotBuild, type StoreKind } from './reuse/index.js'
import { shippedReader, type ShippedReport } from './inspect/shipped.js'
import { inspectDistributions } from './inspect/distributions.js'
import { makeInstallers } from './installers/index.js'
import { baseName, otherFiles, packageBuilds } from './package.js'
import { publish } from './publish/index.js'
import { currentPlatform } from './platform.js'
import { prepareWine, type CrossBuild } from './cross/index.js'
import { findPython } from './python.js'
import { failureMarkdown, packagedOutputs, report, setOutputs, writeSummary, type RunReport } from './report.js'
import { smokeTest } from './smoke.js'
import { stage, timings } from './stage.js'
import { BUILDER_TITLES, type Config } from './config.js'
import { tagMismatch } from './version.js'

/** The base name of the checksums file: the name input, the project's name, or the first build's. */
export function checksumsBase(config: Pick<Config, 'name' | 'project'>, builds: readonly Build[]): string {
  return config.name || (config.project.name ? normalizeName(config.project.name) : '') || (builds[0] ? baseName(builds[0]) : 'build')
}

export interface RunOptions {
  /** Where builds are kept for reuse: the Actions cache (on a runner, the default) or a folder of the work folder (local runs). */
  readonly store?: StoreKind
}

/** Runs the action; returns what was built, or undefined after a failure (reported with setFailed). */
export async function run(options: RunOptions = {}): Promise<RunReport | undefined> {
  const started = Date.now()
  let cross: CrossBuild | undefined
  try {
    // Secrets are masked before anything can print them, an input error included.
    for (const name of SECRET_INPUTS) mask(core.getInput(name))
    const read = await stage('inputs', async () => {
      const inputs = readConfig((name) => core.getInput(name), process.env)
      core.info(childEnvironmentSummary())
      return inputs
    })
    fs.mkdirSync(read.workDir, { recursive: true })
    // Another system than the runner's (target): its programs run under Wine, and the rest runs as on that system.
    cross = read.target.via ? await stage('wine', () => prepareWine(read)) : undefined
    const platform = cross?.platform ?? currentPlatform()
    const inputs = cross?.config ?? read
    const venvDir = path.join(inputs.workDir, 'venv')

    const found = await stage('python', async () => {
      const found = cross ? await cross.findPython() : await findPython(platform, inputs.pythonVersion, inputs.toolCache, inputs.pythonManifest)
      core.info(`Using Python ${found.version} from the ${found.source}: ${found.executable}`)
      return found
    })
    const epoch = await sourceDateEpoch(inputs.projectDir)
    // A build kept under this run's key (src/reuse/) skips the install and the build; no venv then. The project's name,
    // version and entry points, from the inputs, pyproject.toml or else the installed distribution (or the kept build's record).
    const { python, version, lock, reuse, config } = await stage('install', async () => {
      const prepared = await prepareInstall(inputs, platform, found)
      const resolve = (): Promise<string> => resolvedRequirements(inputs, prepared, found)
      // Builds made under Wine are not kept: the key's system part reads the runner's, not the prefix's.
      if (cross && inputs.cache)
        core.info('No build is reused or kept for a target built under Wine: the build key reads this runner’s system, not the Wine prefix’s.')
      const reuse = cross
        ? undefined
        : await lookUpBuild({ config: inputs, platform, python: found, epoch, store: buildStore(options.store ?? 'actions', inputs), resolve })
      if (reuse?.found) {
        keepDependencyCacheAsIs()
        return { reuse, python: undefined, lock: reuse.found.lock, ...keptProject(reuse.found, inputs) }
      }
      const { python, lock } = await install(inputs, platform, found, venvDir, prepared)
      const { config, version } = await projectAsInstalled(inputs, python)
      return { reuse, python, lock, config, version }
    })
    const mismatch = tagMismatch(config.ref, version)
    if (mismatch) core.warning(mismatch)
    const kept = reuse?.found
    const {
      builds: built,
      entryTimes,
      processes
    } = await stage('build', async () => {
      if (reuse?.found) return placeKept({ ...reuse, found: reuse.found }, config.workDir)
      const made = await build(config, platform, python as string, version, epoch)
      if (reuse) snapshotBuild(reuse, config.workDir)
      return made
    })
    // Where each build runs (floors) and what it ships (SBOM, notices, sizes): before signing, as the notices go into folders and bundles.
    const shippedRead = new Map<string, ShippedReport>()
    const { builds, shipped } = await stage('inspect', async () => {
      const builds = await inspect(config, platform, built, python, kept && keptFacts(kept, config.workDir))
      const shipped = shippedReader(config, platform, python, kept && keptShipped(kept, config.workDir), shippedRead)
      return { builds, shipped: await inspectDistributions(config, platform, builds, shipped, version) }
    })
    if (reuse && !kept) await keepBuild(reuse, config, { version, lock, project: config.project, entrypoints: config.entrypoints }, builds, shippedRead)
    const signed =
      config.signing.windows || config.signing.macos ? await stage('sign', () => sign(config.signing, platform, builds, config.workDir)) : undefined
    const smoke = await stage('smoke', () => smokeTest(config, builds, path.join(venvDir, platform.venvBin), platform.pathDelimiter))
    const assets = await stage('package', () =>
      packageBuilds(platform, builds, config.spec ? config.name : '', checksumsBase(config, builds), version, config.outputDir, shipped, {
        archives: config.formats.includes('archive'),
        installers: () => makeInstallers(config, platform, builds, version, shipped, config.outputDir, signed)
      })
    )
    const result: RunReport = {
      platform,
      ...(cross ? { via: cross.title } : {}),
      version,
      ...(reuse ? { buildKey: reuse.key } : {}),
      ...(kept ? { reusedFrom: kept.made } : {}),
      python: found.version,
      builder: BUILDER_TITLES[config.builder],
      lock,
      builds,
      entryTimes,
      processes,
      assets,
      smokeRuns: smoke.length,
      startup: smoke,
      timings,
      outputDir: config.outputDir,
      addedData: config.addData,
      projectDir: config.projectDir,
      otherFiles: otherFiles(config.outputDir, assets),
      shipped
    }
    // The archives' paths are outputs before anything is published: a failed upload leaves them usable.
    setOutputs(packagedOutputs(result))
    const published = await stage('publish', () => publish(config, platform, assets, version))
    await stage('report', () => report(result, published))
    return result
  } catch (error) {
    const message = describeError(error)
    core.setFailed(message)
    await writeSummary(failureMarkdown(message, timings)).catch(() => undefined)
    return undefined
  } finally {
    await cross?.end()
    const total = (Date.now() - started) / 1000
    core.info(`Total ${total.toFixed(1)} s, of which ${(childTime.ms / 1000).toFixed(1)} s in child processes.`)
  }
}
