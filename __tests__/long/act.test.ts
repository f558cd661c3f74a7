/**
 * The action as a real workflow runner executes it: nektos/act (pinned, from
 * `go install`) runs the ubuntu leg of .github/workflows/e2e.yml on this host
 * (`-P ubuntu-latest=-self-hosted`): action.yml's defaults, the main step,
 * the outputs a later step reads, the .deb installed by dpkg on this host, run
 * from /usr/bin and removed (the job runs as root here: no sudo), the post step,
 * and the artifact upload to act's artifact server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { REPO, runtimeToken, startActServer, tempDir, type ActServer } from '../e2e/harness.js'

const ACT = process.env.ACT_BIN || path.join(os.homedir(), 'go', 'bin', 'act')

describe('e2e.yml under nektos/act', () => {
  let server: ActServer
  let log = ''
  let status: number | null = null

  beforeAll(async () => {
    server = await startActServer('artifacts')
    const toolCache = tempDir('act-toolcache')
    // act fetches every action a job names before it starts, even one whose step will be skipped; nothing can be
    // fetched here. The build job's attestation runs on tag pushes only, so a stand-in that fails if run is enough.
    const attest = tempDir('attest-stub')
    fs.writeFileSync(path.join(attest, 'action.yml'), 'name: attest stand-in\nruns:\n  using: node24\n  main: index.js\n')
    fs.writeFileSync(path.join(attest, 'index.js'), "console.log('::error::the attestation stand-in ran on a branch push'); process.exit(1)\n")
    const r = spawnSync(
      ACT,
      [
        'push',
        '-W',
        '.github/workflows/e2e.yml',
        '-j',
        'build',
        '--matrix',
        'os:ubuntu-latest',
        '-P',
        'ubuntu-latest=-self-hosted',
        '--local-repository',
        `actions/attest-build-provenance@v3=${attest}`,
        '--env',
        `ACTIONS_RUNTIME_TOKEN=${runtimeToken('77', '1')}`,
        '--env',
        `ACTIONS_RESULTS_URL=${server.url}`,
        '--env',
        `RUNNER_TOOL_CACHE=${toolCache}`,
        // act's server appends upload blocks in arrival order: send them one at a time.
        '--env',
        'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY=1'
      ],
      { cwd: REPO, encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * 1024 * 1024 }
    )
    status = r.status
    log = `${r.stdout}\n${r.stderr}`
    if (status !== 0) console.log(log.slice(-6000))
  }, 900_000)

  afterAll(() => server.stop())

  it('passes the job: main step, the step that checks the outputs, and the post step', () => {
    expect(status).toBe(0)
    expect(log).toContain('🏁  Job succeeded')
    expect(log).toMatch(/✅ {2}Success - Main \.\/ \[/)
    expect(log).toMatch(/✅ {2}Success - Main Check the outputs \[/)
    expect(log).toMatch(/✅ {2}Success - Main Install, run and remove the \.deb \(Linux\) \[/)
    expect(log).not.toContain('the attestation stand-in ran')
    expect(log).toMatch(/✅ {2}Success - Post \.\/ \[/)
  })

  it('sets the outputs a later step reads', () => {
    expect(log).toContain(
      'outputs ok: chatty-0.3.1-linux-x64.tar.gz, chatty-0.3.1-linux-x64.cdx.json, chatty-commander_0.3.1_amd64.deb, chatty-commander-0.3.1-1.x86_64.rpm, chatty-commander-0.3.1-linux-x64-SHA256SUMS.txt'
    )
  })

  it('stored the artifacts that were built: the archive matches the checksums file built with it', () => {
    const stored = (name: string): Buffer => fs.readFileSync(path.join(server.dir, '77', name, `${name}.zip`))
    const sums = stored('chatty-commander-0.3.1-linux-x64-SHA256SUMS.txt').toString()
    const archive = stored('chatty-0.3.1-linux-x64.tar.gz')
    expect(sums).toContain(`${createHash('sha256').update(archive).digest('hex')}  chatty-0.3.1-linux-x64.tar.gz\n`)
    expect(sums).toContain('  chatty-0.3.1-linux-x64.cdx.json\n')
    expect(archive.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(true)
  })
})
