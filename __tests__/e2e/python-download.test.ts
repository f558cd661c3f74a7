/**
 * Downloading a missing Python safely (issue 14, defect 8): the manifest only
 * over https (http on 127.0.0.1 for tests), the archive checked against the
 * manifest's checksum before its setup.sh runs, and an unreachable manifest
 * named with what to do. No build: every run stops in the python stage.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as path from 'node:path'
import { errorAnnotation, expectExit, runAction, sample, tempDir } from './harness.js'

const tiny = { 'project-path': sample('tiny'), spec: 'packaging/tiny.spec', 'python-version': '3.99.1' }

describe('the Python download', () => {
  let server: http.Server
  let base: string
  let sha: string
  const root = tempDir('pydownload')
  const marker = path.join(root, 'setup-sh-ran')
  const toolCache = path.join(root, 'toolcache')

  beforeAll(async () => {
    // An archive whose setup.sh would leave a marker: it must not run when the archive is not the one named.
    const content = path.join(root, 'content')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, 'setup.sh'), `#!/bin/bash\ntouch '${marker}'\n`)
    const archive = path.join(root, 'python.tar.gz')
    const tar = spawnSync('tar', ['-czf', archive, '-C', content, 'setup.sh'], { encoding: 'utf8' })
    if (tar.status !== 0) throw new Error(tar.stderr)
    sha = createHash('sha256').update(fs.readFileSync(archive)).digest('hex')
    const file = (sha256: string) => ({ filename: 'python.tar.gz', arch: 'x64', platform: 'linux', download_url: `${base}/python.tar.gz`, sha256 })
    server = http.createServer((req, res) => {
      if (req.url === '/wrong-sum.json') res.end(JSON.stringify([{ version: '3.99.1', stable: true, files: [file('0'.repeat(64))] }]))
      else if (req.url === '/http-download.json')
        res.end(JSON.stringify([{ version: '3.99.1', stable: true, files: [{ ...file(sha), download_url: 'http://example.com/python.tar.gz' }] }]))
      else if (req.url === '/python.tar.gz') fs.createReadStream(archive).pipe(res)
      else res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })

  afterAll(() => {
    server.close()
  })

  it('refuses an archive whose SHA-256 is not the manifest’s, before running its setup.sh', async () => {
    const run = await runAction({ ...tiny, 'python-versions-manifest': `${base}/wrong-sum.json` }, { env: { RUNNER_TOOL_CACHE: toolCache } })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toBe(
      `python failed: the download of Python 3.99.1 from ${base}/python.tar.gz is not the archive the manifest names: python.tar.gz has SHA-256 ${sha}, but the manifest says ${'0'.repeat(64)}. Nothing was installed. Check the mirror, or install Python 3.99.1 before this step.`
    )
    expect(fs.existsSync(marker)).toBe(false)
  }, 60_000)

  it('refuses a manifest whose download URL is plain http off this machine', async () => {
    const run = await runAction({ ...tiny, 'python-versions-manifest': `${base}/http-download.json` }, { env: { RUNNER_TOOL_CACHE: toolCache } })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toMatch(/^python failed: the download URL of Python 3\.99\.1 in .* \(http:\/\/example\.com\/python\.tar\.gz\) uses http:\/\//)
    expect(fs.existsSync(marker)).toBe(false)
  }, 60_000)

  it('refuses an http:// manifest off this machine at the inputs stage', async () => {
    const run = await runAction({ ...tiny, 'python-versions-manifest': 'http://example.com/versions-manifest.json' })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toMatch(/^Input 'python-versions-manifest': 'http:\/\/example\.com\/versions-manifest\.json' uses http:\/\//)
    expect(run.stdout).not.toContain('::group::python')
  }, 60_000)

  it('says which manifest URL could not be reached, and what to do', async () => {
    const url = 'http://127.0.0.1:9/versions-manifest.json'
    const run = await runAction({ ...tiny, 'python-versions-manifest': url }, { env: { RUNNER_TOOL_CACHE: toolCache } })
    expectExit(run, 1)
    const message = errorAnnotation(run)
    expect(message).toMatch(new RegExp(`^python failed: the Python versions manifest ${url.replace(/[.]/g, '\\.')} could not be reached \\(.*ECONNREFUSED`))
    expect(message).toContain('set python-versions-manifest to a mirror it can reach, or install Python 3.99.1 before this step')
  }, 60_000)
})
