/**
 * The release action's targets mode through dist/collect/index.js, as the
 * reusable workflow's targets job runs it: the targets and formats inputs
 * checked before any leg starts, the matrix and each system's formats given
 * as outputs, and bad or hostile formats refused with an input error naming
 * `formats` and nothing written to GITHUB_OUTPUT. (The whole workflow under
 * nektos/act is in __tests__/long/standalone-workflow.test.ts.)
 */
import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { errorAnnotation, expectExit, runAction, SCRATCH } from './harness.js'

const DEFAULT_TARGETS = '["ubuntu-latest", "windows-latest", "macos-latest", "macos-15-intel", "ubuntu-24.04-arm"]'
const targetsMode = (inputs: Record<string, string>) => runAction({ mode: 'targets', ...inputs }, { entry: 'dist/collect/index.js', timeoutMs: 60_000 })

describe('release action, mode targets', () => {
  it('gives the matrix the targets and each system the formats it makes, keyed by runner.os', async () => {
    const run = await targetsMode({ targets: DEFAULT_TARGETS, formats: 'archive, deb, rpm\nmsi, dmg' })
    expectExit(run, 0)
    expect(JSON.parse(run.outputs.targets)).toEqual(JSON.parse(DEFAULT_TARGETS))
    expect(JSON.parse(run.outputs.formats)).toEqual({ Linux: 'archive, deb, rpm', Windows: 'archive, msi', macOS: 'archive, dmg' })
    expect(run.stdout).toContain(
      'Formats: ubuntu-latest makes archive, deb, rpm; windows-latest makes archive, msi; macos-latest makes archive, dmg; macos-15-intel makes archive, dmg; ubuntu-24.04-arm makes archive, deb, rpm.'
    )
  })

  it('makes archives everywhere when formats is empty', async () => {
    const run = await targetsMode({ targets: '["ubuntu-latest", "windows-latest"]', formats: '' })
    expectExit(run, 0)
    expect(JSON.parse(run.outputs.formats)).toEqual({ Linux: 'archive', Windows: 'archive', macOS: 'archive' })
  })

  it('refuses a format that no target makes, before any leg starts, with no outputs', async () => {
    const run = await targetsMode({ targets: '["ubuntu-latest"]', formats: 'archive, msi' })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toBe(
      "Input 'formats': asks for msi (a Windows Installer package of Windows programs), which is made on Windows runners only, and no target is one (ubuntu-latest: Linux). Add a Windows target to targets, or remove msi from formats."
    )
    expect(run.outputs).toEqual({})
  })

  const marker = path.join(SCRATCH, `release-targets-pwned-${process.pid}`)
  it.each([
    ['an unknown format', 'exe', "'exe' is not a format."],
    ['shell metacharacters', `deb; touch ${marker} && $(touch ${marker})`, "'deb; touch "],
    ['a line break and a workflow command', 'x\n::warning title=injected::INJECTED-COMMAND', "'x' is not a format."],
    ['workflow-command text', '::set-output name=formats::INJECTED-COMMAND', "'::set-output name=formats::INJECTED-COMM…' is not a format."],
    ['an expression', '${{ secrets.GITHUB_TOKEN }}', "'${{ secrets.GITHUB_TOKEN }}' is not a format."],
    ['10 000 characters', 'a'.repeat(10_000), `'${'a'.repeat(40)}…' is not a format.`]
  ])('refuses %s as an input error naming formats, shown cut and on one line, never run', async (_what, formats, shown) => {
    const run = await targetsMode({ targets: '["ubuntu-latest", "windows-latest"]', formats })
    expectExit(run, 1)
    const error = errorAnnotation(run)
    expect(error.startsWith("Input 'formats': ")).toBe(true)
    expect(error).toContain(shown)
    expect(error).toContain('Write archive (the default), deb and rpm (made by the Linux targets)')
    expect(error).not.toContain('\n')
    expect(error.length).toBeLessThan(500)
    expect(run.stdout).not.toMatch(/^::(warning|set-output)/m)
    expect(run.outputs).toEqual({})
    expect(fs.existsSync(marker)).toBe(false)
  })
})
