/**
 * The publish stage: workflow artifacts (on tag pushes by default) and,
 * when asked, release assets.
 */
import * as core from '@actions/core'
import type { Asset } from '../package.js'
import type { Platform } from '../platform.js'
import { StageError } from '../errors.js'
import { runInfo, uploadArtifacts, type UploadedArtifact } from './artifacts.js'
import { isTag, planArtifacts, shouldUpload, tagName } from './plan.js'
import type { Config } from '../config.js'
import { attachToRelease, type ReleaseResult } from './release.js'

export interface Published {
  readonly artifacts: readonly UploadedArtifact[]
  readonly release?: ReleaseResult
  /** Why nothing (or not everything) was published, for the summary. */
  readonly notes: readonly string[]
}

export async function publish(config: Config, platform: Platform, assets: readonly Asset[], version: string, env = process.env): Promise<Published> {
  const notes: string[] = []
  let artifacts: UploadedArtifact[] = []
  if (shouldUpload(config.upload, config.ref)) {
    if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL)
      throw new StageError(
        'publish',
        `upload is ${config.upload} and ${config.upload === 'tags' ? `${config.ref} is a tag push` : 'artifacts are asked for'}, but the runner's artifact service is not reachable (ACTIONS_RUNTIME_TOKEN or ACTIONS_RESULTS_URL is not set). Run on a GitHub runner, or set upload: never.`
      )
    artifacts = await uploadArtifacts(planArtifacts(assets, config.artifactName, platform, version), config.retentionDays, runInfo(env))
  } else {
    const why = config.upload === 'never' ? 'upload is never' : `${config.ref || 'this run'} is not a tag push (upload: tags)`
    notes.push(`No artifacts uploaded: ${why}.`)
    core.info(notes[notes.length - 1])
  }
  let release: ReleaseResult | undefined
  if (config.release !== 'false') {
    if (!isTag(config.ref)) {
      const message = `release is ${config.release}, but ${config.ref || 'this run'} is not a tag push, so there is no release to attach to.`
      if (config.release === 'required') throw new StageError('publish', `${message} Push a tag, or set release: true to skip this on other refs.`)
      notes.push(`Release skipped: ${message}`)
      core.notice(notes[notes.length - 1])
    } else {
      release = await attachToRelease(
        {
          apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
          repository: env.GITHUB_REPOSITORY || '',
          tag: tagName(config.ref),
          token: config.githubToken
        },
        assets
      )
    }
  }
  return { artifacts, release, notes }
}
