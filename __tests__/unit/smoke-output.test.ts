/**
 * Smoke output is bounded (issue 14, defect 4): a command that prints
 * megabytes leaves a bounded log, a bounded failure message, and a job
 * summary well under GitHub's 1 MiB limit, each saying how much was cut.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { captureOutput } from '../../__fixtures__/capture.js'
import { testConfig } from '../../__fixtures__/config.js'
import { describeError } from '../../src/errors.js'
import { runWithTimeout, tail } from '../../src/exec.js'
import type { Build } from '../../src/freeze/index.js'
import { boundSummary, failureMarkdown, SUMMARY_MAX_BYTES } from '../../src/report.js'
import { smokeTest } from '../../src/smoke.js'

const MB3 = 3 * 1024 * 1024
let root: string
let loud: string

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-smoke-output-'))
  // Prints one 3 MB line (a head marker first, a tail marker last), then fails.
  loud = path.join(root, 'loud')
  fs.writeFileSync(loud, `#!/bin/sh\nprintf 'HEAD-MARK'\nhead -c ${MB3} /dev/zero | tr '\\0' x\nprintf 'TAIL-MARK\\n'\nexit 1\n`, { mode: 0o755 })
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

describe('smoke output', () => {
  it('keeps the head and the tail of a command’s output, saying how much was cut', async () => {
    const r = await runWithTimeout({ program: loud, args: [] }, 60_000)
    expect(r.exitCode).toBe(1)
    expect(r.output.length).toBeLessThan(100 * 1024)
    expect(r.output.startsWith('HEAD-MARK')).toBe(true)
    expect(r.output.trimEnd().endsWith('TAIL-MARK')).toBe(true)
    expect(r.output).toMatch(/\[… \d+ characters of output cut here …\]/)
  })

  it('gives tail() a bounded result for a single huge line', () => {
    const t = tail(`${'y'.repeat(MB3)}\nlast`, 15)
    expect(t.length).toBeLessThan(5000)
    expect(t).toMatch(/more characters cut/)
    expect(t.endsWith('last')).toBe(true)
  })

  it('two failing commands that each print a 3 MB line make a bounded log, message and summary', async () => {
    const build: Build = { mode: 'onefile', name: 'loud', root: loud, executables: [{ name: 'loud', path: loud }] }
    const config = testConfig({
      workDir: root,
      smokeTests: [
        { line: 'one', only: '', args: ['one'] },
        { line: 'two', only: '', args: ['two'] }
      ]
    })
    const { output: log, result } = await captureOutput(() => smokeTest(config, [build], path.join(root, 'no-venv', 'bin'), ':'))
    expect(result).toBeInstanceOf(Error)
    const message = describeError(result)
    expect(message).toContain('2 of 2 smoke tests failed')
    // The log of the smoke stage, plus the message setFailed prints: tens of KiB, not megabytes.
    expect(log.length + message.length).toBeLessThan(64 * 1024)
    const summary = failureMarkdown(message, [])
    expect(Buffer.byteLength(summary)).toBeLessThan(64 * 1024)
    expect(summary).toContain('characters cut')
  }, 60_000)

  it('says each failure once in the log, as a line, and once in the stage error: no annotation of its own (issue 23, defect 2)', async () => {
    const failing = path.join(root, 'failing')
    fs.writeFileSync(failing, `#!/bin/sh\necho 'failing on purpose' >&2\nexit 3\n`, { mode: 0o755 })
    const build: Build = { mode: 'onefile', name: 'failing', root: failing, executables: [{ name: 'failing', path: failing }] }
    const config = testConfig({ workDir: root, smokeTests: [{ line: 'fail', only: '', args: ['fail'] }] })
    const { output: log, result } = await captureOutput(() => smokeTest(config, [build], path.join(root, 'no-venv', 'bin'), ':'))
    const message = describeError(result)
    expect(message).toContain('onefile build failing: `failing fail` failed: it exited with code 3.')
    expect(log).not.toContain('::error::')
    expect(log.match(/it exited with code 3/g)).toHaveLength(1)
    expect(log).toMatch(/\n {2}failed in \d+\.\d s: it exited with code 3\.\n/)
  })

  it('cuts any summary to SUMMARY_MAX_BYTES, closing an open code block and saying so', () => {
    const huge = `## title\n\n\`\`\`\n${'é'.repeat(2 * 1024 * 1024)}\n\`\`\`\n`
    const bounded = boundSummary(huge)
    expect(Buffer.byteLength(bounded)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    expect(SUMMARY_MAX_BYTES).toBeLessThan(1024 * 1024)
    expect((bounded.match(/^```/gm) ?? []).length % 2).toBe(0)
    expect(bounded).toContain('The summary was cut at 512 KiB')
    expect(bounded).not.toContain('\uFFFD')
    expect(boundSummary('short')).toBe('short')
  })
})
