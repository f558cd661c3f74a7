/**
 * Issue 14, defect 9: archives of an earlier run do not stay in output-dir to
 * be uploaded by a glob (the action removes what it recorded there, and the
 * summary names any other file), and the timings output is written once.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Build } from '../../src/freeze/index.js'
import { otherFiles, packageBuilds, RECORD_FILE, removePreviousAssets } from '../../src/package.js'
import { platformFor } from '../../src/platform.js'
import { outputsFor, packagedOutputs, report, setOutputs, summaryMarkdown, type RunReport } from '../../src/report.js'

const linux = platformFor('linux', 'x64')
let root: string
let out: string
let build: Build

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-package-out-'))
  out = path.join(root, 'ws', 'out')
  const exe = path.join(root, 'dist', 'tool')
  fs.mkdirSync(path.dirname(exe), { recursive: true })
  fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 })
  build = { mode: 'onefile', name: 'tool', root: exe, executables: [{ name: 'tool', path: exe }] }
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

describe('output-dir across runs', () => {
  it('removes the archives and checksums an earlier run wrote, and names the files it did not write', async () => {
    const first = await packageBuilds(linux, [build], '', 'tool', '1.0.0', out)
    fs.writeFileSync(path.join(out, 'notes.txt'), 'the user’s own file')
    const second = await packageBuilds(linux, [build], '', 'tool', '1.0.1', out)
    for (const a of first) expect(fs.existsSync(a.path)).toBe(false)
    for (const a of second) expect(fs.existsSync(a.path)).toBe(true)
    expect(fs.existsSync(path.join(out, 'notes.txt'))).toBe(true)
    expect(otherFiles(out, second)).toEqual(['notes.txt'])
  })

  it('takes only plain file names from the record: nothing outside output-dir is removed', () => {
    const dir = path.join(root, 'tampered', 'out')
    fs.mkdirSync(dir, { recursive: true })
    const victim = path.join(root, 'tampered', 'victim.txt')
    fs.writeFileSync(victim, 'keep me')
    fs.mkdirSync(path.join(dir, 'a-folder'))
    fs.writeFileSync(path.join(dir, RECORD_FILE), JSON.stringify(['../victim.txt', victim, 'a-folder', '..', 'gone.tar.gz']))
    expect(removePreviousAssets(dir)).toEqual([])
    expect(fs.existsSync(victim)).toBe(true)
    expect(fs.existsSync(path.join(dir, 'a-folder'))).toBe(true)
  })

  it('says in the summary what else output-dir holds', () => {
    const r = { ...runReport(), otherFiles: ['notes.txt', 'old-1.0.0-linux-x64.tar.gz'] }
    expect(summaryMarkdown(r)).toContain(
      '> output-dir (/ws/out) also holds 2 files this run did not write: `notes.txt`, `old-1.0.0-linux-x64.tar.gz`. A glob such as `/ws/out/*` would upload them too'
    )
    expect(summaryMarkdown(runReport())).not.toContain('also holds')
  })
})

describe('the timings and glibc-floor outputs', () => {
  it('are written once: timings only by the report stage, glibc-floor only by the inspect stage (issue 23, defect 3)', async () => {
    const file = path.join(root, 'github-output')
    fs.writeFileSync(file, '')
    const before = process.env.GITHUB_OUTPUT
    process.env.GITHUB_OUTPUT = file
    try {
      const r = runReport()
      expect(Object.keys(packagedOutputs(r))).not.toContain('timings')
      expect(Object.keys(packagedOutputs(r))).not.toContain('glibc-floor')
      expect(Object.keys(packagedOutputs(r)).sort()).toEqual(
        Object.keys(outputsFor(r))
          .filter((k) => k !== 'timings' && k !== 'glibc-floor')
          .sort()
      )
      // What main does: the inspect stage's floor, the packaged outputs, then the report stage.
      core.setOutput('glibc-floor', '')
      setOutputs(packagedOutputs(r))
      await report(r, { artifacts: [], notes: [] })
    } finally {
      if (before === undefined) delete process.env.GITHUB_OUTPUT
      else process.env.GITHUB_OUTPUT = before
    }
    const text = fs.readFileSync(file, 'utf8')
    expect(text.match(/^timings<</gm)).toHaveLength(1)
    expect(text.match(/^glibc-floor<</gm)).toHaveLength(1)
  })
})

function runReport(): RunReport {
  return {
    platform: linux,
    version: '1.0.0',
    python: '3.11.9',
    builder: 'PyInstaller',
    builds: [build],
    assets: [],
    smokeRuns: 0,
    timings: [{ stage: 'build', seconds: 1 }],
    outputDir: '/ws/out'
  }
}
