/**
 * The entry of the release/ action (dist/collect/index.js), two modes:
 *   leg      last step of each matrix leg (if: always()): leaves the leg's report as an artifact
 *   release  the release job: collects every leg, checks and merges the checksums, writes the
 *            summary, creates or updates the tag's release once and uploads every asset
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { DefaultArtifactClient } from '@actions/artifact'
import { describeError, InputError, StageError } from '../errors.js'
import type { Asset } from '../package.js'
import { runInfo, uploadArtifacts } from '../publish/artifacts.js'
import { attachToRelease } from '../publish/release.js'
import { currentPlatform } from '../platform.js'
import { collect, failureMessage, requireSome, type ArtifactStore, type LegResult, type StoredArtifact } from './collect.js'
import { SYSTEM_TITLES } from '../config.js'
import { formatsBySystem, parseWorkflowFormats, targetSystem } from './formats.js'
import { countSmokeTests, legArtifactName, legPlatform, matrixEntry, parseTargets, targetOf, type LegAsset, type LegReport, type Target } from './legs.js'
import { releaseSummary, type ReleaseLine } from './summary.js'
import { formatSums } from './sums.js'

/** The run's artifacts through @actions/artifact (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL). */
class RunArtifacts implements ArtifactStore {
  private readonly client = new DefaultArtifactClient()

  async list(): Promise<StoredArtifact[]> {
    const { artifacts } = await this.client.listArtifacts({ latest: true })
    return artifacts.map((a) => ({ name: a.name, id: a.id }))
  }

  async download(artifact: StoredArtifact, dir: string): Promise<string> {
    fs.mkdirSync(dir, { recursive: true })
    const tmp = fs.mkdtempSync(path.join(dir, '.download-'))
    // The legs upload every file as it is (no zip around it): keep the bytes as they come.
    await this.client.downloadArtifact(artifact.id, { path: tmp, skipDecompress: true })
    const got = fs.readdirSync(tmp)
    if (got.length !== 1) throw new StageError('collect', `the artifact ${artifact.name} held ${got.length} files, not one.`)
    const dest = path.join(dir, artifact.name)
    fs.renameSync(path.join(tmp, got[0]), dest)
    fs.rmSync(tmp, { recursive: true, force: true })
    return dest
  }
}

const bool = (name: string, fallback: boolean): boolean => (core.getInput(name).trim() ? core.getBooleanInput(name) : fallback)

function workDir(): string {
  const dir = path.join(process.env.RUNNER_TEMP || fs.mkdtempSync(path.join(process.cwd(), '.build-standalone-')), 'build-standalone-release')
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

function fileAsset(file: string, mode: Asset['mode'] = 'checksums'): Asset {
  const bytes = fs.readFileSync(file)
  return { name: path.basename(file), path: file, size: bytes.length, sha256: createSha(bytes), mode }
}

const createSha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

const retention = (): number | undefined => {
  const v = core.getInput('retention-days').trim()
  return v ? Number(v) : undefined
}

export async function leg(): Promise<void> {
  let targetValue: unknown
  try {
    targetValue = JSON.parse(core.getInput('target', { required: true }))
  } catch {
    targetValue = core.getInput('target').trim()
  }
  const target = targetOf(targetValue, 'target')
  const outcome = core.getInput('outcome').trim() || 'unknown'
  const rawAssets = core.getInput('assets').trim()
  let assets: LegAsset[] = []
  if (rawAssets) {
    try {
      assets = (JSON.parse(rawAssets) as LegAsset[]).map((a) => ({ name: a.name, size: a.size, sha256: a.sha256, mode: a.mode }))
    } catch {
      throw new InputError('assets', 'is not the JSON list of the build step’s assets output.', 'Pass the assets output of the build step.')
    }
  }
  // Where this step runs, read by it (not from anything the build step wrote): the release job checks every file name against it.
  // A leg that builds for another system under Wine (the target's `target`, one this runner builds: CROSS_TARGETS) names that one.
  const report: LegReport = {
    target,
    platform: legPlatform(target, currentPlatform()),
    outcome,
    smokeTests: countSmokeTests(core.getInput('smoke-test')),
    assets
  }
  const file = path.join(workDir(), legArtifactName(target))
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  await uploadArtifacts([{ asset: fileAsset(file), name: legArtifactName(target), skipArchive: true }], retention(), runInfo(process.env))
  core.info(`Leg report of ${target.label}: build ${outcome}, ${assets.length} file${assets.length === 1 ? '' : 's'}.`)
}

export async function release(store: ArtifactStore = new RunArtifacts()): Promise<void> {
  const targets = parseTargets(core.getInput('targets', { required: true }))
  const allowPartial = bool('allow-partial', false)
  const dir = workDir()
  const { legs, sums } = await collect(targets, store, dir)
  if (!legs.some((l) => l.ok)) await core.summary.addRaw(releaseSummary(legs, 0, undefined, 'No release: no target built.')).write()
  requireSome(legs)
  const sumsFile = path.join(dir, 'SHA256SUMS')
  fs.writeFileSync(sumsFile, formatSums(sums))
  const sumsAsset = fileAsset(sumsFile)
  await uploadArtifacts([{ asset: sumsAsset, name: 'SHA256SUMS', skipArchive: true }], retention(), runInfo(process.env))
  const files = legs.flatMap((l) => l.files)
  const archives = files.filter((f) => f.mode !== 'checksums')
  core.setOutput('sha256sums', sumsFile)
  core.setOutput('subjects', archives.map((a) => a.path).join('\n'))
  core.setOutput('assets', JSON.stringify([...files, sumsAsset]))
  core.setOutput('failed-targets', JSON.stringify(legs.filter((l) => !l.ok).map((l) => l.target.label)))
  core.info(`SHA256SUMS:\n${formatSums(sums).trimEnd()}`)

  const failed = legs.some((l) => !l.ok)
  const mismatch = buildResultProblem(core.getInput('build-result'), legs)
  if (mismatch) core.error(mismatch)
  const ref = process.env.GITHUB_REF ?? ''
  const tag = core.getInput('tag').trim() || (ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : '')
  let line: ReleaseLine | undefined
  let skipped: string | undefined
  if (!bool('release', true)) skipped = 'No release: the release input is false.'
  else if (!tag) skipped = `No release: ${ref || 'this ref'} is not a tag push.`
  else if (failed && !allowPartial) skipped = 'No release: a target failed (allow-partial is false).'
  else if (mismatch) skipped = 'No release: the build job did not succeed, though every leg reported success.'
  else {
    const token = core.getInput('github-token').trim()
    if (!token) throw new InputError('github-token', 'is empty.', 'Pass a token that may write releases (permissions: contents: write).')
    core.setSecret(token)
    const result = await attachToRelease(
      {
        apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
        repository: process.env.GITHUB_REPOSITORY || '',
        tag,
        token,
        draft: bool('draft', false)
      },
      [...files, sumsAsset]
    )
    const replaced = result.assets.filter((a) => a.replaced).length
    core.info(`Release ${tag}: ${result.assets.length} assets uploaded${replaced ? ` (${replaced} replaced an asset of the same name)` : ''}.`)
    core.setOutput('release-url', result.url)
    line = { tag, url: result.url, created: result.created, assets: result.assets.length }
  }
  if (skipped) core.notice(skipped)
  const summary = releaseSummary(legs, sums.length, line, skipped)
  core.info(summary)
  await core.summary.addRaw(summary).write()
  if (mismatch) core.setFailed(`collect failed: ${mismatch}`)
  else if (failed) {
    const message = failureMessage(legs, allowPartial)
    if (allowPartial) core.warning(message)
    else core.setFailed(`collect failed: ${message}`)
  }
}

/**
 * The build job's result (needs.build.result: success only when every leg succeeded) against the legs' own
 * reports: a job that did not succeed while every report says success means a leg failed after its build step,
 * or a report that did not come from its leg; nothing is released then. '' when they agree (or no result is given).
 */
export function buildResultProblem(result: string, legs: readonly LegResult[]): string {
  const r = result.trim()
  if (!r || r === 'success' || legs.some((l) => !l.ok)) return ''
  return `the build job's result is ${r.slice(0, 40)}, yet every leg's report says its build succeeded: a leg failed after its build step, or a report did not come from its leg. Nothing was released; look at the build jobs' logs, then re-run them.`
}

/**
 * mode targets: checks the targets and formats inputs before any leg starts, and gives the build matrix the checked
 * list and the legs the formats of each system (keyed by runner.os).
 */
export function targets(): void {
  const checked = parseTargets(core.getInput('targets', { required: true }))
  const asked = parseWorkflowFormats(core.getInput('formats'))
  const formats = formatsBySystem(asked, checked)
  const matrix = checked.map(matrixEntry)
  core.setOutput('targets', JSON.stringify(matrix))
  core.setOutput('formats', JSON.stringify(formats))
  core.info(`Targets: ${checked.map((t) => t.label).join(', ')}.`)
  const makes = (t: Target): string => {
    const system = targetSystem(t)
    return system ? formats[SYSTEM_TITLES[system]] : `those of ${asked.join(', ')} its runner's system makes`
  }
  core.info(`Formats: ${checked.map((t) => `${t.label} makes ${makes(t)}`).join('; ')}.`)
}

export async function main(): Promise<void> {
  try {
    const mode = core.getInput('mode').trim() || 'release'
    if (mode === 'leg') await leg()
    else if (mode === 'release') await release()
    else if (mode === 'targets') targets()
    else
      throw new InputError(
        'mode',
        `'${mode}' is not a mode.`,
        'Use targets (checks the targets before the legs), leg (the last step of a build leg) or release (the release job).'
      )
  } catch (e) {
    core.setFailed(describeError(e))
  }
}
