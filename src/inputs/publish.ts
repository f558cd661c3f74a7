/**
 * The inputs of the package and publish stages: where the archives go, when
 * they are uploaded as workflow artifacts and under what name, for how long,
 * and whether they are attached to the tag's release.
 */
import * as path from 'node:path'
import type { Config, ReleaseWhen, UploadWhen } from '../config.js'
import { InputError } from '../errors.js'
import { resolveInside, writableProblem } from '../input-files.js'
import { checkTemplate } from '../publish/plan.js'
import type { InputContext } from './context.js'
import { parseBoolean } from './values.js'

export type PublishInputs = Pick<Config, 'outputDir' | 'ref' | 'upload' | 'artifactName' | 'retentionDays' | 'release' | 'githubToken'>

export function readPublishInputs({ get, env, workspace, runnerTemp, workDir }: InputContext): PublishInputs {
  const upload = (get('upload').trim().toLowerCase() || 'tags') as UploadWhen
  if (!['tags', 'always', 'never'].includes(upload))
    throw new InputError('upload', `'${upload}' is not tags, always or never.`, 'Write tags (the default: only on tag pushes), always or never.')
  const artifactName = get('artifact-name').trim()
  checkTemplate(artifactName)
  const retentionInput = get('retention-days').trim()
  const retentionDays = retentionInput === '' ? undefined : /^\d+$/.test(retentionInput) ? Number(retentionInput) : NaN
  if (retentionDays !== undefined && !(Number.isInteger(retentionDays) && retentionDays >= 1 && retentionDays <= 90))
    throw new InputError(
      'retention-days',
      `'${retentionInput}' is not a whole number of days from 1 to 90.`,
      'Give a number such as 30, or leave it empty for the repository default.'
    )
  const releaseInput = get('release').trim()
  const release: ReleaseWhen =
    releaseInput.toLowerCase() === 'required'
      ? 'required'
      : parseBoolean('release', releaseInput, 'Write false (the default), true (on tag pushes; skipped on other refs) or required (fails on other refs).')
        ? 'true'
        : 'false'
  const githubToken = get('github-token').trim()
  if (release !== 'false' && !githubToken)
    throw new InputError(
      'github-token',
      `is empty, and release is ${release}.`,
      'Pass a token that may write releases (the default ${{ github.token }} with permissions: contents: write), or set release: false.'
    )
  if (release !== 'false' && !env.GITHUB_REPOSITORY)
    throw new InputError('release', 'needs GITHUB_REPOSITORY (owner/name), which is not set.', 'Run on a GitHub runner, or set GITHUB_REPOSITORY.')
  const outputDir = readOutputDir(get('output-dir'), workspace, runnerTemp, workDir)
  return { outputDir, ref: env.GITHUB_REF || '', upload, artifactName, retentionDays, release, githubToken }
}

/**
 * output-dir: a folder inside the workspace (or RUNNER_TEMP), links
 * followed, without control characters, and writable, all checked before
 * anything is installed. Empty: RUNNER_TEMP/build-standalone/out.
 */
function readOutputDir(raw: string, workspace: string, runnerTemp: string, workDir: string): string {
  const value = raw.trim()
  if (!value) return path.join(workDir, 'out')
  const fix = 'Give a folder relative to the workspace, such as standalone-dist (or one inside RUNNER_TEMP).'
  const dir = resolveInside(
    'output-dir',
    value,
    workspace,
    [
      { dir: workspace, name: 'the workspace' },
      { dir: path.resolve(runnerTemp), name: 'RUNNER_TEMP' }
    ],
    fix
  )
  const problem = writableProblem(dir)
  if (problem) throw new InputError('output-dir', `${problem}, so the archives could not be written there.`, fix)
  return dir
}
