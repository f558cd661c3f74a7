/**
 * The reusable workflow's shape (issue 22, defects 2 and 10): every input of
 * the action that decides what is built is an input of the workflow and
 * forwarded to the build step; each leg gets only the signing secrets of its
 * OS; the targets are checked by a job of their own before any leg; and the
 * release job reads the checked targets and the build job's result.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const action = parse(fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }
interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}
interface Job {
  outputs?: Record<string, string>
  needs?: string | string[]
  if?: string
  permissions?: Record<string, string>
  strategy?: { matrix?: { target?: string } }
  steps: Step[]
}
const workflow = parse(fs.readFileSync(path.join(REPO, '.github', 'workflows', 'standalone.yml'), 'utf8')) as {
  on: { workflow_call: { inputs: Record<string, unknown>; secrets: Record<string, unknown> } }
  jobs: Record<string, Job>
}
const buildStep = workflow.jobs.build.steps.find((s) => s.id === 'build') as Step

/** The action's inputs the workflow sets itself, or does not offer, and why. */
const NOT_FORWARDED: Readonly<Record<string, string>> = {
  upload: 'every leg uploads (always)',
  release: 'only the release job releases (false in the legs)',
  'artifact-name': 'artifacts keep their file names, which the release job checks',
  'github-token': 'the legs need none',
  'output-dir': 'the legs keep the default under RUNNER_TEMP',
  'python-versions-manifest': 'the default manifest',
  'pyinstaller-version': 'the pinned default',
  'nuitka-version': 'the pinned default',
  upx: 'not offered',
  strip: 'not offered',
  'windows-certificate': 'a secret',
  'windows-certificate-password': 'a secret',
  'macos-certificate': 'a secret',
  'macos-certificate-password': 'a secret',
  'apple-api-key': 'a secret',
  'apple-app-password': 'a secret'
}

describe('standalone.yml', () => {
  it('forwards every input of the action that decides what is built: license-deny, license-unknown, glibc-max, compression-level, timestamp-url among them', () => {
    const missing = Object.keys(action.inputs).filter((name) => !(name in NOT_FORWARDED) && !(name in (buildStep.with ?? {})))
    expect(missing).toEqual([])
    for (const name of ['license-deny', 'license-unknown', 'glibc-max', 'compression-level', 'timestamp-url']) {
      expect(Object.keys(workflow.on.workflow_call.inputs)).toContain(name)
      expect(buildStep.with?.[name]).toBe(`\${{ inputs.${name} }}`)
    }
  })

  it('gives each leg only the secrets of its OS (a leg that builds windows-x64 under Wine signs as Windows does)', () => {
    const os = {
      'windows-certificate': "(runner.os == 'Windows' || matrix.target.target == 'windows-x64')",
      'windows-certificate-password': "(runner.os == 'Windows' || matrix.target.target == 'windows-x64')",
      'macos-certificate': 'macOS',
      'macos-certificate-password': 'macOS',
      'apple-api-key': 'macOS',
      'apple-app-password': 'macOS'
    }
    for (const [input, runnerOs] of Object.entries(os)) {
      const secret = input.toUpperCase().replace(/-/g, '_')
      const condition = runnerOs.startsWith('(') ? runnerOs : `runner.os == '${runnerOs}'`
      expect([input, buildStep.with?.[input]]).toEqual([input, `\${{ ${condition} && secrets.${secret} || '' }}`])
      expect(Object.keys(workflow.on.workflow_call.secrets)).toContain(secret)
    }
  })

  it('checks the targets in a job of its own, before the legs, and gives the release job the checked list and the build result', () => {
    const targets = workflow.jobs.targets
    expect(targets.permissions).toEqual({})
    expect(targets.steps[0].with).toEqual({ mode: 'targets', targets: '${{ inputs.targets }}', formats: '${{ inputs.formats }}' })
    expect(workflow.jobs.build.needs).toBe('targets')
    expect(workflow.jobs.build.strategy?.matrix?.target).toBe('${{ fromJSON(needs.targets.outputs.targets) }}')
    const release = workflow.jobs.release
    expect(release.needs).toEqual(['targets', 'build'])
    expect(release.if).toBe("${{ !cancelled() && needs.targets.result == 'success' }}")
    const step = release.steps.find((s) => s.id === 'release') as Step
    expect(step.with?.targets).toBe('${{ needs.targets.outputs.targets }}')
    expect(step.with?.['build-result']).toBe('${{ needs.build.result }}')
  })

  it('offers formats and package-maintainer: asked once, checked by the targets job, each leg taking the list of the system it builds for', () => {
    const inputs = workflow.on.workflow_call.inputs as Record<string, { default?: string; description?: string }>
    expect(inputs.formats.default).toBe('archive')
    expect(inputs.formats.description).toMatch(/Each leg makes those its system makes/)
    expect(inputs['package-maintainer'].description).toMatch(/installed\s+distribution's metadata/)
    expect(workflow.jobs.targets.outputs?.formats).toBe('${{ steps.targets.outputs.formats }}')
    expect(buildStep.with?.formats).toBe("${{ fromJSON(needs.targets.outputs.formats)[matrix.target.target == 'windows-x64' && 'Windows' || runner.os] }}")
    expect(buildStep.with?.['package-maintainer']).toBe('${{ inputs.package-maintainer }}')
  })
})
