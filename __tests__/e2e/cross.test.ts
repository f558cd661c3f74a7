/**
 * target: windows-x64 on this Linux machine, through dist/index.js under
 * Linux Node 24 (the fast part; the builds are in ../long/cross.test.ts):
 *
 * - the refusals, as input errors before anything runs: an unknown target,
 *   a target this runner cannot build, Nuitka under Wine, Wine missing and
 *   not installable (no wine and no apt-get on PATH), WINE naming nothing;
 * - the Windows Python from python.org's index served on 127.0.0.1 (made
 *   from the Maven Central CPython, ../windows/cross.ts): a wrong SHA-256 is
 *   refused before anything is unpacked; the right one is unpacked into the
 *   tool cache, probed under Wine, and its venv made and its pip run under
 *   Wine (the run then stops at an invalid requirement, before any download).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { errorAnnotation, expectExit, runAction, sample, tempDir } from './harness.js'
import { crossEnv, startIndexServer, type IndexServer } from '../windows/cross.js'
import { missingForHostWine } from '../windows/wine.js'
import { missingForWindowsPython } from '../windows/downloads.js'

const tiny = { 'project-path': sample('tiny'), spec: 'packaging/tiny.spec', target: 'windows-x64' }

describe('target: refusals', () => {
  it('refuses an unknown target and one this runner cannot build, naming the input', async () => {
    const unknown = await runAction({ ...tiny, target: 'windows-x86_64' })
    expectExit(unknown, 1)
    expect(errorAnnotation(unknown)).toMatch(/^Input 'target': 'windows-x86_64' is not a target: write <system>-<architecture>/)
    expect(unknown.stdout).not.toContain('::group::wine')
    const mac = await runAction({ ...tiny, target: 'macos-arm64' })
    expectExit(mac, 1)
    expect(errorAnnotation(mac)).toMatch(/^Input 'target': macos-arm64 cannot be built on this linux-x64 runner: PyInstaller is not a cross-compiler/)
  }, 60_000)

  it('refuses Nuitka for a Windows target on Linux, with the reason', async () => {
    const run = await runAction({ 'project-path': sample('tiny'), entrypoint: 'tiny = tiny_tool.cli:main', builder: 'nuitka', target: 'windows-x64' })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toMatch(/^Input 'target': windows-x64 is built under Wine on this runner, and Nuitka cannot build there/)
  }, 60_000)

  it('says which package to install when Wine is missing and cannot be installed', async () => {
    const empty = tempDir('no-wine-path')
    const run = await runAction(tiny, { env: { PATH: empty } })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toBe(
      "Input 'target': windows-x64 is built under Wine on this Linux runner, and wine is not on PATH, and this runner cannot install it (no apt-get, or not root and no sudo without a password). Install Wine before this step (sudo apt-get install wine64 wine on Debian and Ubuntu; Wine 9 or newer runs uv, Wine 8 only pip), or set the WINE variable to the wine program; or build on a Windows runner."
    )
    const named = await runAction(tiny, { env: { WINE: '/nonexistent/wine' } })
    expectExit(named, 1)
    expect(errorAnnotation(named)).toContain('and WINE names /nonexistent/wine, which is not there')
  }, 60_000)
})

const missing = missingForHostWine() || missingForWindowsPython()
const describeIf = missing ? describe.skip : describe
if (missing) process.stderr.write(`cross (Wine 8): skipped (${missing})\n`)

describeIf("target: windows-x64, python.org's Windows Python under Wine 8", () => {
  let server: IndexServer
  let bad: IndexServer
  beforeAll(async () => {
    server = await startIndexServer()
    bad = await startIndexServer({ badHash: true })
  }, 300_000)
  afterAll(async () => {
    await server.close()
    await bad.close()
  })

  it('refuses a runtime whose SHA-256 is not the index’s, and installs the right one, running pip under Wine', async () => {
    const root = tempDir('cross-python')
    const toolCache = path.join(root, 'toolcache')
    const env = crossEnv(toolCache, server.version)
    const refused = await runAction({ ...tiny, 'python-versions-manifest': bad.url }, { env, root })
    expectExit(refused, 1)
    expect(errorAnnotation(refused)).toMatch(
      new RegExp(
        `^python failed: the download of Windows Python ${server.version.replace(/\./g, '\\.')} from http://127\\.0\\.0\\.1:\\d+/ftp/python/${server.version}/python-${server.version}-amd64\\.zip is not the one the index names: python-${server.version}-amd64\\.zip has SHA-256 ${server.sha256}, but the manifest says 0{64}\\. Nothing was installed\\.`
      )
    )
    expect(fs.existsSync(path.join(toolCache, 'Python'))).toBe(false)

    // A requirements file pip refuses before it downloads anything: the run stops in the install stage.
    const project = sample('tiny')
    fs.writeFileSync(path.join(project, 'bad-requirements.txt'), 'this is not a requirement!\n')
    const run = await runAction({ ...tiny, 'python-versions-manifest': server.url, installer: 'pip', requirements: 'bad-requirements.txt' }, { env, root })
    expectExit(run, 1)
    expect(run.stdout).toMatch(/Wine 8\.0 \(\/usr\/bin\/wine\), prefix .*\/runner-temp\/build-standalone\/wine\/prefix-8\.0: kept from an earlier run\./)
    expect(run.stdout).toContain(`SHA-256 ${server.sha256} matches the index.`)
    expect(run.stdout).toContain(`Using Python ${server.version} from the tool cache: ${path.join(toolCache, 'Python', server.version, 'x64', 'python.exe')}`)
    expect(fs.existsSync(path.join(toolCache, 'Python', `${server.version}`, 'x64.complete'))).toBe(true)
    // The venv is a Windows one, made under Wine; pip (Windows) refused the line.
    expect(fs.existsSync(path.join(root, 'runner-temp', 'build-standalone', 'venv', 'Scripts', 'python.exe'))).toBe(true)
    // The message names the command as planned (the log shows it as Wine ran it); pip saw its file on Z:.
    expect(errorAnnotation(run)).toMatch(
      /^install failed: `\S+\/venv\/Scripts\/python\.exe -m pip install \S+\/tiny -r \S+\/bad-requirements\.txt pyinstaller==/
    )
    expect(errorAnnotation(run)).toMatch(/Invalid requirement: 'this is not a requirement!' \(from line 1 of Z:\\.*\\tiny\\bad-requirements\.txt\)/)
    expect(run.stdout).toMatch(
      /\[command\]\/usr\/bin\/wine Z:\\.*\\venv\\Scripts\\python\.exe -m pip install Z:\\.*\\tiny -r Z:\\.*\\bad-requirements\.txt pyinstaller==/
    )
    expect(server.downloads()).toBe(1)
  }, 300_000)
})
