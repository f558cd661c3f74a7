/**
 * Uploading workflow artifacts with @actions/artifact: one per archive and one
 * for the checksums. A name already taken in this run fails the step, except
 * on a re-run of the job, where the earlier attempt's artifact is replaced.
 */
import * as path from 'node:path'
import * as core from '@actions/core'
import { ArtifactNotFoundError, DefaultArtifactClient } from '@actions/artifact'
import { StageError } from '../errors.js'
import type { PlannedArtifact } from './plan.js'

/** A file published somewhere (an artifact or a release asset), as the outputs and summary list it. */
export interface PublishedFile {
  readonly name: string
  readonly id: number
  readonly url: string
  readonly size: number
  readonly sha256: string
}

export interface UploadedArtifact extends PublishedFile {
  readonly file: string
}

export interface RunInfo {
  readonly serverUrl: string
  readonly repository: string
  readonly runId: string
  readonly runAttempt: number
}

export function runInfo(env: Readonly<Record<string, string | undefined>>): RunInfo {
  return {
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    repository: env.GITHUB_REPOSITORY || '',
    runId: env.GITHUB_RUN_ID || '',
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT || '1') || 1
  }
}

/** The page of an artifact in the run's summary. */
export function artifactUrl(run: RunInfo, id: number): string {
  return `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}/artifacts/${id}`
}

/** What to do when an artifact of the same name already exists in the run. */
export function onExisting(run: RunInfo, name: string): { replace: true } | { replace: false; error: string } {
  if (run.runAttempt > 1) return { replace: true }
  return {
    replace: false,
    error:
      `an artifact named ${name} already exists in this workflow run: another job or matrix leg uploaded the same name ` +
      `(for example a matrix over Python versions on one OS). Set the artifact-name input to a template that tells the legs apart, ` +
      `such as '{stem}-py\${{ matrix.python-version }}'.`
  }
}

export async function uploadArtifacts(planned: readonly PlannedArtifact[], retentionDays: number | undefined, run: RunInfo): Promise<UploadedArtifact[]> {
  const client = new DefaultArtifactClient()
  const uploaded: UploadedArtifact[] = []
  for (const p of planned) {
    // Looking first gives a clear message on a collision; a failed look is not fatal (the upload itself refuses a taken name).
    const existing = await client.getArtifact(p.name).catch((e: unknown) => {
      if (!(e instanceof ArtifactNotFoundError)) core.debug(`Could not list the run's artifacts: ${(e as Error).message}`)
      return undefined
    })
    if (existing) {
      const decision = onExisting(run, p.name)
      if (!decision.replace) throw new StageError('publish', decision.error)
      core.notice(`Re-run (attempt ${run.runAttempt}): replacing the artifact ${p.name} of an earlier attempt.`)
      await client.deleteArtifact(p.name)
    }
    try {
      const result = await client.uploadArtifact(p.name, [p.asset.path], path.dirname(p.asset.path), {
        skipArchive: p.skipArchive,
        compressionLevel: 0,
        retentionDays
      })
      if (result.id === undefined) throw new Error('the service returned no artifact id')
      uploaded.push({ name: p.name, id: result.id, url: artifactUrl(run, result.id), size: p.asset.size, sha256: p.asset.sha256, file: p.asset.path })
    } catch (e) {
      const message = (e as Error).message
      if (/already exists|conflict|\b409\b/i.test(message)) {
        const decision = onExisting(run, p.name)
        if (!decision.replace) throw new StageError('publish', decision.error)
      }
      throw new StageError('publish', `the artifact ${p.name} could not be uploaded: ${message}. The archives are still on disk (see the archives output).`)
    }
  }
  return uploaded
}
