/**
 * Publishing: workflow artifacts against nektos/act's artifact server (the v4
 * protocol of @actions/artifact 6) on 127.0.0.1, downloaded back and compared
 * byte for byte; release assets against a local server that answers as the
 * GitHub REST API does for the endpoints used.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as path from 'node:path'
import { errorAnnotation, expectExit, runAction, runtimeToken, sample, startActServer, twirp, type ActServer } from '../e2e/harness.js'
import { releaseApi } from '../release-api.js'

const BUILD_TIMEOUT = 600_000
const tiny = { 'project-path': sample('tiny'), spec: 'packaging/tiny.spec', 'smoke-test': 'hello', cache: 'false' }

interface OutAsset {
  name: string
  path: string
  sha256: string
  size: number
}

describe('workflow artifacts with act’s artifact server', () => {
  let server: ActServer
  beforeAll(async () => {
    server = await startActServer('artifacts')
  })
  afterAll(() => server.stop())

  const artifactEnv = (runId: string, extra: Record<string, string> = {}) => ({
    ACTIONS_RUNTIME_TOKEN: runtimeToken(runId, '1'),
    ACTIONS_RESULTS_URL: server.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/chatty',
    GITHUB_RUN_ID: runId,
    // act's server appends upload blocks in arrival order: send them one at a time.
    ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: '1',
    ...extra
  })

  async function download(runId: string, name: string): Promise<Buffer> {
    const signed = await twirp(server.url, 'GetSignedArtifactURL', { workflow_run_backend_id: runId, workflow_job_run_backend_id: '1', name })
    const r = await fetch(String(signed.signed_url ?? signed.signedUrl))
    expect(r.status).toBe(200)
    return Buffer.from(await r.arrayBuffer())
  }

  it(
    'on a tag push, uploads every archive and the checksums as they are, under their own names',
    async () => {
      const run = await runAction(tiny, { env: { ...artifactEnv('101'), GITHUB_REF: 'refs/tags/v1.0.0' } })
      expectExit(run, 0)
      const assets = JSON.parse(run.outputs.assets) as OutAsset[]
      const artifacts = JSON.parse(run.outputs.artifacts) as { name: string; id: number; url: string; sha256: string }[]
      expect(artifacts.map((a) => a.name)).toEqual(['tiny-1.0.0-linux-x64.tar.gz', 'tiny-1.0.0-linux-x64.cdx.json', 'tiny-tool-1.0.0-linux-x64-SHA256SUMS.txt'])
      for (const a of artifacts) expect(a.url).toBe(`https://github.com/octo/chatty/actions/runs/101/artifacts/${a.id}`)
      expect(run.outputs['artifact-ids']).toBe(artifacts.map((a) => a.id).join(','))
      for (const asset of assets) expect((await download('101', asset.name)).equals(fs.readFileSync(asset.path))).toBe(true)
      expect(run.summary).toContain('### Workflow artifacts')
      expect(run.summary).toContain(`| [tiny-1.0.0-linux-x64.tar.gz](https://github.com/octo/chatty/actions/runs/101/artifacts/${artifacts[0].id}) |`)
    },
    BUILD_TIMEOUT
  )

  it(
    'uploads nothing on a branch push by default, and says so',
    async () => {
      const run = await runAction(tiny, { env: { ...artifactEnv('102'), GITHUB_REF: 'refs/heads/main' } })
      expectExit(run, 0)
      expect(run.outputs.artifacts).toBe('[]')
      expect(run.stdout).toContain('No artifacts uploaded: refs/heads/main is not a tag push (upload: tags).')
      expect(fs.existsSync(path.join(server.dir, '102'))).toBe(false)
    },
    BUILD_TIMEOUT
  )

  it(
    'a second leg that makes the same name fails, naming artifact-name; a re-run of the job replaces it; a template tells legs apart',
    async () => {
      const env = { ...artifactEnv('103'), GITHUB_REF: 'refs/tags/v1.0.0' }
      const first = await runAction({ ...tiny, upload: 'always' }, { env })
      expectExit(first, 0)
      const second = await runAction({ ...tiny, upload: 'always' }, { env })
      expectExit(second, 1)
      expect(errorAnnotation(second)).toContain('publish failed: an artifact named tiny-1.0.0-linux-x64.tar.gz already exists in this workflow run')
      expect(errorAnnotation(second)).toContain('Set the artifact-name input to a template that tells the legs apart')
      expect(second.outputs.archives).toMatch(/tiny-1\.0\.0-linux-x64\.tar\.gz$/)
      expect(fs.existsSync(second.outputs.archives)).toBe(true)

      const rerun = await runAction({ ...tiny, upload: 'always' }, { env: { ...env, GITHUB_RUN_ATTEMPT: '2' } })
      expectExit(rerun, 0)
      expect(rerun.stdout).toContain('Re-run (attempt 2): replacing the artifact tiny-1.0.0-linux-x64.tar.gz of an earlier attempt.')
      const asset = (JSON.parse(rerun.outputs.assets) as OutAsset[])[0]
      expect((await download('103', asset.name)).equals(fs.readFileSync(asset.path))).toBe(true)

      const templated = await runAction({ ...tiny, upload: 'always', 'artifact-name': '{stem}-py311' }, { env })
      expectExit(templated, 0)
      expect((JSON.parse(templated.outputs.artifacts) as { name: string }[]).map((a) => a.name)).toEqual([
        'tiny-1.0.0-linux-x64-py311',
        'tiny-1.0.0-linux-x64.cdx.json-py311',
        'tiny-tool-1.0.0-linux-x64-SHA256SUMS-py311'
      ])
    },
    BUILD_TIMEOUT
  )

  it(
    'an artifact service that refuses the upload fails the step; the archives stay on disk with their paths in the outputs',
    async () => {
      const refusing = http.createServer((_req, res) => res.writeHead(403, { 'content-type': 'application/json' }).end('{"msg":"forbidden"}'))
      await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve))
      try {
        const url = `http://127.0.0.1:${(refusing.address() as { port: number }).port}/`
        const run = await runAction({ ...tiny, upload: 'always' }, { env: { ...artifactEnv('104'), ACTIONS_RESULTS_URL: url } })
        expectExit(run, 1)
        expect(errorAnnotation(run)).toMatch(/^publish failed: /)
        const assets = JSON.parse(run.outputs.assets) as OutAsset[]
        expect(assets).toHaveLength(3)
        for (const a of assets) expect(fs.existsSync(a.path)).toBe(true)
        expect(run.outputs.archives.split('\n').every((p) => fs.existsSync(p))).toBe(true)
      } finally {
        refusing.close()
      }
    },
    BUILD_TIMEOUT
  )
})

describe('release assets against a stand-in for the GitHub REST API', () => {
  const releaseEnv = (api: string) => ({
    GITHUB_API_URL: api,
    GITHUB_REPOSITORY: 'octo/chatty',
    GITHUB_REF: 'refs/tags/v1.0.0',
    BUILD_STANDALONE_RETRY_MS: '50'
  })

  it(
    'creates a draft release when there is none, retries a 502, and attaches the archive and the checksums',
    async () => {
      const gh = releaseApi({ repo: 'octo/chatty', failFirstUpload: true })
      const api = await gh.start()
      try {
        const run = await runAction({ ...tiny, upload: 'never', release: 'true', 'github-token': 'secret-token' }, { env: releaseEnv(api) })
        expectExit(run, 0)
        const calls = gh.requests.map((r) => `${r.method} ${r.url.replace(/\?name=.*/, '?name=…')}`)
        expect(calls).toEqual([
          'GET /repos/octo/chatty/releases?per_page=100&page=1',
          'POST /repos/octo/chatty/releases',
          'GET /repos/octo/chatty/releases?per_page=100&page=1',
          'GET /repos/octo/chatty/releases/10/assets?per_page=100',
          'POST /uploads/repos/octo/chatty/releases/10/assets?name=…',
          'POST /uploads/repos/octo/chatty/releases/10/assets?name=…',
          'POST /uploads/repos/octo/chatty/releases/10/assets?name=…',
          'POST /uploads/repos/octo/chatty/releases/10/assets?name=…'
        ])
        expect(JSON.parse(gh.requests[1].body ?? '')).toEqual({ tag_name: 'v1.0.0', name: 'v1.0.0', draft: true })
        expect(run.stdout).toMatch(/: 502; trying again in 50 ms/)
        const local = JSON.parse(run.outputs.assets) as OutAsset[]
        expect([...gh.assets.values()].map((a) => a.name)).toEqual(local.map((a) => a.name))
        for (const a of local) expect([...gh.assets.values()].find((x) => x.name === a.name)?.bytes.equals(fs.readFileSync(a.path))).toBe(true)
        expect(run.outputs['release-url']).toBe('https://github.example/octo/chatty/releases/tag/v1.0.0')
        expect(run.summary).toContain('### Release [draft v1.0.0](https://github.example/octo/chatty/releases/tag/v1.0.0) (created)')
        // The token reaches the runner once, in the command that masks it; nowhere else.
        expect(run.stdout).toContain('::add-mask::secret-token')
        expect(run.stdout.replace('::add-mask::secret-token', '')).not.toContain('secret-token')
      } finally {
        gh.stop()
      }
    },
    BUILD_TIMEOUT
  )

  it(
    'on a re-run, replaces an existing asset of the same name instead of duplicating it',
    async () => {
      const gh = releaseApi({ repo: 'octo/chatty', existingRelease: true, existingAsset: 'tiny-1.0.0-linux-x64.tar.gz' })
      const api = await gh.start()
      try {
        const run = await runAction({ ...tiny, upload: 'never', release: 'true', 'github-token': 'secret-token' }, { env: releaseEnv(api) })
        expectExit(run, 0)
        expect(gh.requests.some((r) => r.method === 'POST' && r.url === '/repos/octo/chatty/releases')).toBe(false)
        expect(gh.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual(['/repos/octo/chatty/releases/assets/2'])
        expect([...gh.assets.values()].map((a) => a.name).sort()).toEqual([
          'tiny-1.0.0-linux-x64.cdx.json',
          'tiny-1.0.0-linux-x64.tar.gz',
          'tiny-tool-1.0.0-linux-x64-SHA256SUMS.txt'
        ])
        expect(run.summary).toMatch(/\| \[tiny-1\.0\.0-linux-x64\.tar\.gz\]\(.*\) \| .* \| replaced \|/)
      } finally {
        gh.stop()
      }
    },
    BUILD_TIMEOUT
  )

  it('release: true without a token fails before building, naming github-token', async () => {
    const run = await runAction({ ...tiny, release: 'true', 'github-token': '' }, { env: { GITHUB_REPOSITORY: 'octo/chatty', GITHUB_REF: 'refs/tags/v1.0.0' } })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toBe(
      "Input 'github-token': is empty, and release is true. Pass a token that may write releases (the default ${{ github.token }} with permissions: contents: write), or set release: false."
    )
  })

  it(
    'release: true on a branch push skips with a notice; release: required fails',
    async () => {
      const env = { GITHUB_REPOSITORY: 'octo/chatty', GITHUB_REF: 'refs/heads/main', GITHUB_API_URL: 'http://127.0.0.1:9' }
      const skipped = await runAction({ ...tiny, release: 'true', 'github-token': 'secret-token' }, { env })
      expectExit(skipped, 0)
      expect(skipped.stdout).toContain(
        '::notice::Release skipped: release is true, but refs/heads/main is not a tag push, so there is no release to attach to.'
      )
      const required = await runAction({ ...tiny, release: 'required', 'github-token': 'secret-token' }, { env })
      expectExit(required, 1)
      expect(errorAnnotation(required)).toBe(
        'publish failed: release is required, but refs/heads/main is not a tag push, so there is no release to attach to. Push a tag, or set release: true to skip this on other refs.'
      )
      expect(fs.existsSync(required.outputs.archives)).toBe(true)
    },
    BUILD_TIMEOUT
  )
})
