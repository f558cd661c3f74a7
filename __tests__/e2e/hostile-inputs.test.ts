/**
 * Hostile input values through dist/index.js, as a runner runs it (issue 14):
 * a few representative inputs; __tests__/unit/hostile-inputs.test.ts drives
 * every input. Each run stops at the inputs stage, or at the python stage
 * (python-version 3.99, nothing to download), so nothing is built.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { expectExit, REPO, runAction, sample, SCRATCH, tempDir } from './harness.js'

const ENV_SECRET = 'HOSTILE-E2E-SECRET-4242'
const marker = path.join(SCRATCH, `hostile-pwned-${process.pid}`)
const shell = `x; touch ${marker} && $(touch ${marker}) \`touch ${marker}\` | tee ${marker}`
const tiny = sample('tiny')
const link = path.join(tiny, 'root-link')

beforeAll(() => {
  fs.symlinkSync('/', path.join(REPO, link))
})

afterAll(() => {
  fs.rmSync(path.join(REPO, link), { force: true })
})

/** What reaches the python stage stops there: no Python 3.99 anywhere, and nothing is downloaded in tests. */
const stopAtPython = { 'python-version': '3.99' }

const cases: [string, Record<string, string>][] = [
  ['output-dir with a line break and a workflow command', { 'output-dir': 'out\n::warning title=injected::INJECTED-COMMAND' }],
  ['python-version-file pointing at /proc/self/environ', { 'python-version-file': '/proc/self/environ' }],
  ['python-version-file through a link to /', { 'python-version-file': 'root-link/proc/self/environ' }],
  ['project-path through a link to /', { 'project-path': `${link}/proc/self` }],
  ['name with workflow-command text', { name: '::set-output name=version::INJECTED-COMMAND' }],
  ['add-data with /proc/self/environ', { 'add-data': '/proc/self/environ:.' }],
  // (A NUL cannot reach an action at all: an environment variable cannot hold one. The unit test covers it.)
  ['spec with shell metacharacters', { spec: `$(touch ${marker}).spec` }],
  ['sign-description with shell metacharacters (taken as text)', { 'sign-description': shell, ...stopAtPython }],
  [
    'smoke-test with shell metacharacters and a workflow command (taken as arguments)',
    { 'smoke-test': `${shell}\n::warning::INJECTED-COMMAND`, ...stopAtPython }
  ],
  ['version with ${{ }}', { version: '${{ secrets.GITHUB_TOKEN }}' }],
  ['hooks-dir through a link to /', { spec: '', 'hooks-dir': 'root-link/etc' }],
  ['runtime-hooks with /proc/self/environ', { spec: '', 'runtime-hooks': '/proc/self/environ' }],
  ['builder-args adding /proc/self/environ as a binary', { spec: '', 'builder-args': '--add-binary /proc/self/environ:.' }],
  [
    'builder-args with shell metacharacters and a workflow command for the spec (taken as arguments)',
    { 'builder-args': `${shell}\n::warning::INJECTED-COMMAND`, ...stopAtPython }
  ]
]

describe('hostile inputs through dist/index.js', () => {
  it.each(cases)(
    '%s',
    async (_, inputs) => {
      const run = await runAction(
        { 'project-path': tiny, spec: 'packaging/tiny.spec', ...inputs },
        { env: { HOSTILE_SECRET: ENV_SECRET, RUNNER_TOOL_CACHE: tempDir('no-toolcache') } }
      )
      expectExit(run, 1)
      // Nothing ran.
      expect(fs.existsSync(marker)).toBe(false)
      // No workflow command but the action's own: every '::' line is an error, a group, or a group's end.
      const commands = `${run.stdout}\n${run.stderr}`
        .split(/\r?\n/)
        .map((l) => l.trimStart())
        .filter((l) => l.startsWith('::'))
      for (const c of commands) expect(c).toMatch(/^::(error|group|endgroup)::/)
      expect(run.stdout).not.toMatch(/^\s*::warning/m)
      // Nothing of a file outside the workspace in the log, the outputs or the summary.
      for (const text of [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)]) {
        expect(text).not.toContain(ENV_SECRET)
        expect(text).not.toContain('root:x:0:0')
      }
      expect(run.outputs.version).toBeUndefined()
    },
    60_000
  )
})
