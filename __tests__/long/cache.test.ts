/**
 * The dependency cache against a real Actions cache service on 127.0.0.1:
 * nektos/act's own server (pkg/artifactcache, the v1 protocol that
 * @actions/cache 6 speaks when ACTIONS_CACHE_SERVICE_V2 is unset).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as path from 'node:path'
import { expectExit, runAction, runPost, sample, startActServer, tempDir, type ActServer } from '../e2e/harness.js'

const BUILD_TIMEOUT = 600_000
const tiny = { 'project-path': sample('tiny'), spec: 'packaging/tiny.spec', 'smoke-test': 'hello' }

describe('dependency cache with act’s cache server', () => {
  let server: ActServer
  beforeAll(async () => {
    server = await startActServer('cache')
  })
  afterAll(() => server.stop())

  it(
    'a cold run saves once in the post step; a warm run restores it, skips the uv bootstrap and saves nothing',
    async () => {
      // RUNNER_TEMP is the same path on every run of a runner: keep the root, wipe it between runs.
      const root = tempDir('cache')
      const env = { ACTIONS_CACHE_URL: server.url, ACTIONS_RUNTIME_TOKEN: 'test-token' }
      const cold = await runAction(tiny, { root, env })
      expectExit(cold, 0)
      expect(cold.stdout).toMatch(/No dependency cache for build-standalone-v1-linux-x64-py3\.\d+\.\d+-uv-0\.13\.9-[0-9a-f]{32} yet\./)
      expect(cold.stdout).toContain('uv==0.13.9')
      const coldPost = await runPost(cold, { env })
      expectExit(coldPost, 0)
      const key = /Dependency cache saved under (\S+)\./.exec(coldPost.stdout)?.[1]
      // Before the save, uv drops the wheels it downloaded as they are (faster from the index than from the cache).
      const prune = coldPost.stdout.indexOf(`uv-0.13.9/bin/uv cache prune --ci`)
      expect(prune).toBeGreaterThan(-1)
      expect(coldPost.stdout).toMatch(/Removed \d+ files/)
      expect(prune).toBeLessThan(coldPost.stdout.indexOf('Dependency cache saved under'))
      expect(key).toMatch(/^build-standalone-v1-linux-x64-py3\.\d+\.\d+-uv-0\.13\.9-[0-9a-f]{32}$/)

      fs.rmSync(path.join(root, 'runner-temp'), { recursive: true, force: true })
      for (const f of ['output', 'summary.md', 'state']) fs.writeFileSync(path.join(root, f), '')
      const warm = await runAction(tiny, { root, env })
      expectExit(warm, 0)
      expect(warm.stdout).toContain(`Dependency cache restored from key ${key}.`)
      expect(warm.stdout).not.toContain('--target') // uv came back from the cache
      const warmPost = await runPost(warm, { env })
      expect(warmPost.stdout).toContain(`The dependency cache was restored from ${key} exactly: nothing new to save.`)
      expect(warmPost.stdout).not.toContain('Dependency cache saved under')
      expect(warmPost.stdout).not.toContain('cache prune')
    },
    BUILD_TIMEOUT
  )
})

describe('a cache service that fails never fails the build', () => {
  it(
    'refused connections and a server that never answers give warnings, and the build passes',
    async () => {
      const silent = http.createServer(() => undefined) // accepts, never answers
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
      const port = (silent.address() as { port: number }).port
      try {
        const run = await runAction(tiny, {
          env: { ACTIONS_CACHE_URL: `http://127.0.0.1:${port}/`, ACTIONS_RUNTIME_TOKEN: 't', BUILD_STANDALONE_CACHE_TIMEOUT: '3' }
        })
        expectExit(run, 0)
        expect(run.stdout).toContain('::warning::The dependency cache could not be restored (no answer within 3 s); installing without it.')
        const post = await runPost(run, { env: { ACTIONS_CACHE_URL: 'http://127.0.0.1:9/', ACTIONS_RUNTIME_TOKEN: 't' } })
        expectExit(post, 0)
        expect(post.stdout).toMatch(/::warning::(The dependency cache could not be saved|Failed to save)/)
      } finally {
        silent.closeAllConnections()
        silent.close()
      }
    },
    BUILD_TIMEOUT
  )

  it(
    'cache: false neither restores nor saves',
    async () => {
      const run = await runAction({ ...tiny, cache: 'false' }, { env: { ACTIONS_CACHE_URL: 'http://127.0.0.1:9/', ACTIONS_RUNTIME_TOKEN: 't' } })
      expectExit(run, 0)
      expect(run.stdout).not.toContain('dependency cache')
      const post = await runPost(run)
      expectExit(post, 0)
      expect(post.stdout).not.toContain('cache')
    },
    BUILD_TIMEOUT
  )
})
