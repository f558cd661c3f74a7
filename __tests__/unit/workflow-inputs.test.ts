/**
 * The reusable workflow forwards the action's inputs: every `${{ inputs.x }}`
 * it gives the build step is an input of the workflow and of the action,
 * declared with the action's default, and the inputs that shape what is built
 * from a project (entry points, hooks, the builder's options) are among them.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { INPUT_NAMES } from '../../src/inputs/names.js'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const workflow = parse(fs.readFileSync(path.join(REPO, '.github', 'workflows', 'standalone.yml'), 'utf8')) as {
  on: { workflow_call: { inputs: Record<string, { default?: unknown }> } }
  jobs: Record<string, { steps?: { uses?: string; with?: Record<string, string> }[] }>
}
const action = parse(fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }

const buildStep = Object.values(workflow.jobs)
  .flatMap((job) => job.steps ?? [])
  .find((step) => /^[^/]+\/build-standalone@/.test(step.uses ?? ''))

describe('the reusable workflow', () => {
  it('gives the build step only inputs it declares, under the action input of the same name, with the same default', () => {
    if (!buildStep?.with) throw new Error('no build step')
    const declared = workflow.on.workflow_call.inputs
    for (const [name, value] of Object.entries(buildStep.with)) {
      expect(INPUT_NAMES).toContain(name)
      const forwarded = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(String(value))?.[1]
      if (!forwarded) continue
      expect({ name, forwarded, declared: forwarded in declared }).toEqual({ name, forwarded: name, declared: true })
      expect({ name, default: String(declared[name].default ?? '') }).toEqual({ name, default: action.inputs[name].default ?? '' })
    }
  })

  it('forwards hooks-dir, runtime-hooks and builder-args', () => {
    for (const name of ['entrypoint', 'version', 'hooks-dir', 'runtime-hooks', 'builder-args']) expect(buildStep?.with?.[name]).toBe(`\${{ inputs.${name} }}`)
  })
})
