/**
 * The dependency cache and kept builds (src/reuse/) against a real Actions
 * cache service on 127.0.0.1: nektos/act's own server (pkg/artifactcache, the
 * v1 protocol that @actions/cache 6 speaks when ACTIONS_CACHE_SERVICE_V2 is
 * unset).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as path from 'node:path'
import { expectExit, REPO, runAction, runBuilt, runPost, sample, startActServer, tempDir, type ActionRun, type ActServer } from '../e2e/harness.js'

const BUILD_TIMEOUT = 600_000
const tiny = { 'project-path': sample('tiny'), spec: 'packaging/tiny.spec', 'smoke-test': 'hello' }

/** act's cache server for the tests of a describe block; the getter gives it once started. */
function actCacheServer(): () => ActServer {
  let server: ActServer
  beforeAll(async () => {
    server = await startActServer('cache')
  })
  afterAll(() => server.stop())
  return () => server
}

/** The next run of the same runner: RUNNER_TEMP is the same path on every run, so the root is kept and its run's files wiped. */
function nextRunOn(root: string): void {
  fs.rmSync(path.join(root, 'runner-temp'), { recursive: true, force: true })
  for (const f of ['output', 'summary.md', 'state']) fs.writeFileSync(path.join(root, f), '')
}

describe('dependency cache with act’s cache server', () => {
  const actServer = actCacheServer()

  it(
    'a cold run saves once in the post step; a warm run restores it, skips the uv bootstrap and saves nothing',
    async () => {
      const root = tempDir('cache')
      const env = { ACTIONS_CACHE_URL: actServer().url, ACTIONS_RUNTIME_TOKEN: 'test-token' }
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

      nextRunOn(root)
      // Another compression level: the same dependencies, another build (the same inputs would take the kept build and install nothing).
      const warm = await runAction({ ...tiny, 'compression-level': '5' }, { root, env })
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

describe('builds kept in act’s cache server: examples/chatty’s three entry points', () => {
  const actServer = actCacheServer()

  it(
    'a cold run keeps its build; the same commit again takes it and smoke-tests it; a one-line change builds anew and ships the change',
    async () => {
      const project = sample('chatty', 'chatty-reuse')
      const inputs = { 'project-path': project, 'smoke-test': '--help\n[chatty] list', upload: 'never' }
      const root = tempDir('reuse')
      const env = {
        ACTIONS_CACHE_URL: actServer().url,
        ACTIONS_RUNTIME_TOKEN: 'test-token',
        GITHUB_RUN_ID: '7',
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_REPOSITORY: 'owner/repo',
        GITHUB_SERVER_URL: 'https://github.com'
      }
      const archives = (r: ActionRun): Record<string, string> =>
        Object.fromEntries((JSON.parse(r.outputs.assets) as { name: string; sha256: string }[]).map((a) => [a.name, a.sha256]))

      const cold = await runAction(inputs, { root, env })
      expectExit(cold, 0)
      const key = cold.outputs['build-key']
      expect(key).toMatch(/^build-standalone-build-v1-linux-x64-[0-9a-f]{40}$/)
      expect(cold.outputs['build-reused']).toBe('false')
      expect(cold.stdout).toContain(`No build is kept under ${key} in the Actions cache: installing and building.`)
      const coldPost = await runPost(cold, { env })
      expectExit(coldPost, 0)
      expect(coldPost.stdout).toMatch(/Dependency cache saved under \S+\./)
      expect(coldPost.stdout).toContain(`The build was kept under ${key}: a run with the same key takes it.`)

      nextRunOn(root)
      const again = await runAction(inputs, { root, env: { ...env, GITHUB_RUN_ID: '8' } })
      expectExit(again, 0)
      expect(again.outputs['build-reused']).toBe('true')
      expect(again.outputs['build-key']).toBe(key)
      expect(again.stdout).toMatch(
        new RegExp(`^Build reused from ${key}, made by run 7 \\(attempt 1\\) of owner/repo \\(https://github\\.com/owner/repo/actions/runs/7\\)`, 'm')
      )
      expect(again.stdout).not.toContain('-m PyInstaller')
      expect(again.summary).toContain(`Build reused from \`${key}\`, made by [run 7 (attempt 1) of owner/repo](https://github.com/owner/repo/actions/runs/7)`)
      // Every smoke test ran on the kept build, as on the cold run's.
      expect(again.summary).toContain('8 smoke tests passed')
      expect(cold.summary).toContain('8 smoke tests passed')
      expect(again.stdout.match(/^\$ chatty list /gm)).toHaveLength(2)
      // The same archives, SBOMs (the facts and what ships come from the record) and checksums.
      expect(archives(again)).toEqual(archives(cold))
      const againPost = await runPost(again, { env })
      expectExit(againPost, 0)
      expect(againPost.stdout).not.toContain('Dependency cache saved under')
      expect(againPost.stdout).not.toContain('The build was kept under')

      const module = path.join(REPO, project, 'src', 'chatty_commander', 'cli', 'cli.py')
      fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace('help="list the configured commands"', 'help="list the configured commands (changed)"'))
      nextRunOn(root)
      const changed = await runAction(inputs, { root, env: { ...env, GITHUB_RUN_ID: '9' } })
      expectExit(changed, 0)
      expect(changed.outputs['build-reused']).toBe('false')
      expect(changed.outputs['build-key']).not.toBe(key)
      expect(changed.stdout).toContain('Dependency cache restored from key')
      const exe = (JSON.parse(changed.outputs.executables) as { name: string; path: string; mode: string }[]).find(
        (e) => e.name === 'chatty' && e.mode === 'onefile'
      )?.path as string
      expect(runBuilt(exe, ['--help'], root).stdout).toContain('list the configured commands (changed)')
      const changedPost = await runPost(changed, { env })
      expect(changedPost.stdout).toContain(`The build was kept under ${changed.outputs['build-key']}`)
      expect(changedPost.stdout).not.toContain('Dependency cache saved under')
    },
    3 * BUILD_TIMEOUT
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
