import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, it, expect } from '@jest/globals'
import { StageError } from '../../src/errors.js'
import type { Asset } from '../../src/package.js'
import { attachToRelease, retryDelays, transient, uploadUrl, type ReleaseTarget } from '../../src/publish/release.js'

describe('retryDelays', () => {
  it('waits 1, 2 and 4 seconds by default', () => {
    expect(retryDelays({})).toEqual([1000, 2000, 4000])
  })

  it('scales with BUILD_STANDALONE_RETRY_MS', () => {
    expect(retryDelays({ BUILD_STANDALONE_RETRY_MS: '10' })).toEqual([10, 20, 40])
    expect(retryDelays({ BUILD_STANDALONE_RETRY_MS: '0' })).toEqual([0, 0, 0])
  })

  it('ignores a value that is not a number of ms', () => {
    expect(retryDelays({ BUILD_STANDALONE_RETRY_MS: 'fast' })).toEqual([1000, 2000, 4000])
    expect(retryDelays({ BUILD_STANDALONE_RETRY_MS: '-5' })).toEqual([1000, 2000, 4000])
    expect(retryDelays({ BUILD_STANDALONE_RETRY_MS: 'Infinity' })).toEqual([1000, 2000, 4000])
  })
})

describe('transient', () => {
  it('is true for 5xx and 429 only', () => {
    for (const status of [500, 502, 503, 504, 429]) expect(transient(status)).toBe(true)
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 422, 428, 499]) expect(transient(status)).toBe(false)
  })
})

describe('uploadUrl', () => {
  it('drops the {?name,label} template and adds the encoded name', () => {
    expect(uploadUrl('https://uploads.github.com/repos/octo/app/releases/1/assets{?name,label}', 'app-1.0-linux-x64.tar.gz')).toBe(
      'https://uploads.github.com/repos/octo/app/releases/1/assets?name=app-1.0-linux-x64.tar.gz'
    )
    expect(uploadUrl('https://uploads.github.com/repos/octo/app/releases/1/assets{?name,label}', 'a b+c&d.zip')).toBe(
      'https://uploads.github.com/repos/octo/app/releases/1/assets?name=a%20b%2Bc%26d.zip'
    )
  })

  it('keeps a URL without a template part', () => {
    expect(uploadUrl('http://127.0.0.1:1/up/assets', 'x.txt')).toBe('http://127.0.0.1:1/up/assets?name=x.txt')
  })
})

// A fake GitHub REST API for one repository, octo/app, under /api; uploads under /upload.

interface FakeRelease {
  id: number
  tag_name: string
  draft: boolean
  html_url: string
  upload_url: string
}

interface FakeAsset {
  id: number
  name: string
  browser_download_url: string
}

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: Buffer
}

type Reply = { status: number; body?: unknown }

class FakeGitHub {
  releases: FakeRelease[] = []
  assets = new Map<number, FakeAsset[]>()
  seen: Seen[] = []
  nextId = 1
  /** Answers to give before the real ones, per "METHOD path-without-query". */
  forced = new Map<string, Reply[]>()
  /** Runs when a release is created, before it is answered. */
  onCreate: (() => void) | undefined
  private server = http.createServer((req, res) => this.handle(req, res))

  base = ''

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  release(tag: string, draft: boolean, id = this.nextId++): FakeRelease {
    const r = {
      id,
      tag_name: tag,
      draft,
      html_url: `https://github.com/octo/app/releases/tag/${tag}`,
      upload_url: `${this.base}/upload/repos/octo/app/releases/${id}/assets{?name,label}`
    }
    this.releases.push(r)
    this.assets.set(id, [])
    return r
  }

  force(key: string, ...replies: Reply[]): void {
    this.forced.set(key, replies)
  }

  /** The requests, as "METHOD url". */
  get calls(): string[] {
    return this.seen.map((s) => `${s.method} ${s.url}`)
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const method = req.method ?? ''
      const url = req.url ?? ''
      this.seen.push({ method, url, headers: req.headers, body })
      const { status, body: answer } = this.answer(method, url, body)
      res.writeHead(status, answer === undefined ? {} : { 'content-type': 'application/json' })
      res.end(answer === undefined ? undefined : JSON.stringify(answer))
    })
  }

  private answer(method: string, url: string, body: Buffer): Reply {
    const u = new URL(url, 'http://x')
    const forced = this.forced.get(`${method} ${u.pathname}`)
    if (forced?.length) return forced.shift() as Reply
    let m: RegExpExecArray | null
    if (method === 'GET' && u.pathname === '/api/repos/octo/app/releases') {
      const perPage = Number(u.searchParams.get('per_page'))
      const page = Number(u.searchParams.get('page'))
      // Newest first, as GitHub lists them.
      const sorted = [...this.releases].sort((a, b) => b.id - a.id)
      return { status: 200, body: sorted.slice((page - 1) * perPage, page * perPage) }
    }
    if (method === 'POST' && u.pathname === '/api/repos/octo/app/releases') {
      const input = JSON.parse(body.toString()) as { tag_name: string; draft: boolean }
      const r = this.release(input.tag_name, input.draft)
      this.onCreate?.()
      return { status: 201, body: r }
    }
    if (method === 'DELETE' && (m = /^\/api\/repos\/octo\/app\/releases\/(\d+)$/.exec(u.pathname))) {
      const id = Number(m[1])
      this.releases = this.releases.filter((r) => r.id !== id)
      return { status: 204 }
    }
    if (method === 'GET' && (m = /^\/api\/repos\/octo\/app\/releases\/(\d+)\/assets$/.exec(u.pathname)))
      return { status: 200, body: this.assets.get(Number(m[1])) ?? [] }
    if (method === 'DELETE' && (m = /^\/api\/repos\/octo\/app\/releases\/assets\/(\d+)$/.exec(u.pathname))) {
      const id = Number(m[1])
      for (const [release, list] of this.assets)
        this.assets.set(
          release,
          list.filter((a) => a.id !== id)
        )
      return { status: 204 }
    }
    if (method === 'POST' && (m = /^\/upload\/repos\/octo\/app\/releases\/(\d+)\/assets$/.exec(u.pathname))) {
      const name = u.searchParams.get('name') ?? ''
      // An asset's id is 1000 + the number of the request that uploaded it (1-based).
      const a = { id: 1000 + this.seen.length, name, browser_download_url: `https://github.com/octo/app/releases/download/v1.0/${name}` }
      this.assets.get(Number(m[1]))?.push(a)
      return { status: 201, body: a }
    }
    return { status: 404, body: { message: 'Not Found' } }
  }
}

const FAST = [1, 1, 1]
const TOKEN = 'ghs_test-token'

let dir: string
let assets: Asset[]
let gh: FakeGitHub
let target: ReleaseTarget

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-release-'))
  const make = (name: string, text: string, mode: Asset['mode']): Asset => {
    const file = path.join(dir, name)
    fs.writeFileSync(file, text)
    return { name, path: file, size: Buffer.byteLength(text), sha256: 'e'.repeat(64), mode }
  }
  assets = [make('app-1.0-linux-x64.tar.gz', 'archive bytes\u0000\u0001', 'onefile'), make('app-1.0-linux-x64-SHA256SUMS.txt', 'sums\n', 'checksums')]
})

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

beforeEach(async () => {
  gh = new FakeGitHub()
  await gh.start()
  target = { apiUrl: `${gh.base}/api`, repository: 'octo/app', tag: 'v1.0', token: TOKEN }
})

afterEach(async () => {
  await gh.stop()
})

const LIST = 'GET /api/repos/octo/app/releases?per_page=100&page=1'
const CREATE = 'POST /api/repos/octo/app/releases'
const upload = (id: number, name: string): string => `POST /upload/repos/octo/app/releases/${id}/assets?name=${name}`

async function stageError(promise: Promise<unknown>): Promise<StageError> {
  try {
    await promise
  } catch (e) {
    expect(e).toBeInstanceOf(StageError)
    return e as StageError
  }
  throw new Error('attachToRelease succeeded')
}

describe('attachToRelease', () => {
  it('creates a draft release when the tag has none and uploads every asset', async () => {
    gh.release('v0.9', false)
    gh.release('v0.9.1', true)
    const result = await attachToRelease(target, assets, FAST)
    expect(gh.calls).toEqual([
      LIST,
      CREATE,
      LIST,
      'GET /api/repos/octo/app/releases/3/assets?per_page=100',
      upload(3, 'app-1.0-linux-x64.tar.gz'),
      upload(3, 'app-1.0-linux-x64-SHA256SUMS.txt')
    ])
    expect(JSON.parse(gh.seen[1].body.toString())).toEqual({ tag_name: 'v1.0', name: 'v1.0', draft: true })
    expect(gh.seen[1].headers['content-type']).toBe('application/json')
    expect(result).toEqual({
      id: 3,
      tag: 'v1.0',
      url: 'https://github.com/octo/app/releases/tag/v1.0',
      draft: true,
      created: true,
      assets: [
        {
          name: 'app-1.0-linux-x64.tar.gz',
          id: 1005,
          url: 'https://github.com/octo/app/releases/download/v1.0/app-1.0-linux-x64.tar.gz',
          size: assets[0].size,
          sha256: assets[0].sha256,
          replaced: false
        },
        {
          name: 'app-1.0-linux-x64-SHA256SUMS.txt',
          id: 1006,
          url: 'https://github.com/octo/app/releases/download/v1.0/app-1.0-linux-x64-SHA256SUMS.txt',
          size: assets[1].size,
          sha256: assets[1].sha256,
          replaced: false
        }
      ]
    })
  })

  it('sends the token and API headers, and each file as the upload body', async () => {
    await attachToRelease(target, assets, FAST)
    for (const s of gh.seen) {
      expect(s.headers.authorization).toBe(`Bearer ${TOKEN}`)
      expect(s.headers.accept).toBe('application/vnd.github+json')
      expect(s.headers['x-github-api-version']).toBe('2022-11-28')
      expect(s.headers['user-agent']).toBe('build-standalone')
    }
    const uploads = gh.seen.filter((s) => s.url.startsWith('/upload/'))
    expect(uploads.map((s) => [s.headers['content-type'], s.headers['content-length'], s.body.toString('latin1')])).toEqual([
      ['application/octet-stream', String(assets[0].size), 'archive bytes\u0000\u0001'],
      ['application/octet-stream', String(assets[1].size), 'sums\n']
    ])
    expect(gh.seen[0].headers['content-type']).toBeUndefined()
  })

  it('uses an existing published release as it is', async () => {
    gh.release('v0.9', false)
    gh.release('v1.0', false)
    gh.release('v1.1', true)
    const result = await attachToRelease({ ...target, apiUrl: `${gh.base}/api/` }, assets, FAST)
    expect(gh.calls).toEqual([
      LIST,
      'GET /api/repos/octo/app/releases/2/assets?per_page=100',
      upload(2, 'app-1.0-linux-x64.tar.gz'),
      upload(2, 'app-1.0-linux-x64-SHA256SUMS.txt')
    ])
    expect(result).toMatchObject({ id: 2, url: 'https://github.com/octo/app/releases/tag/v1.0', draft: false, created: false })
    expect(result.assets.map((a) => [a.name, a.replaced])).toEqual([
      ['app-1.0-linux-x64.tar.gz', false],
      ['app-1.0-linux-x64-SHA256SUMS.txt', false]
    ])
  })

  it('finds the release on a later page of the list', async () => {
    gh.release('v1.0', true)
    for (let i = 0; i < 100; i++) gh.release(`other-${i}`, false)
    const result = await attachToRelease(target, assets.slice(0, 1), FAST)
    expect(gh.calls).toEqual([
      LIST,
      'GET /api/repos/octo/app/releases?per_page=100&page=2',
      'GET /api/repos/octo/app/releases/1/assets?per_page=100',
      upload(1, 'app-1.0-linux-x64.tar.gz')
    ])
    expect(result).toMatchObject({ id: 1, draft: true, created: false })
  })

  it('replaces an asset of the same name: DELETE, then upload', async () => {
    const r = gh.release('v1.0', false)
    gh.assets.set(r.id, [
      { id: 77, name: 'app-1.0-linux-x64.tar.gz', browser_download_url: 'https://github.com/octo/app/releases/download/v1.0/app-1.0-linux-x64.tar.gz' },
      { id: 78, name: 'app-1.0-windows-x64.zip', browser_download_url: 'https://github.com/octo/app/releases/download/v1.0/app-1.0-windows-x64.zip' }
    ])
    const result = await attachToRelease(target, assets, FAST)
    expect(gh.calls).toEqual([
      LIST,
      'GET /api/repos/octo/app/releases/1/assets?per_page=100',
      'DELETE /api/repos/octo/app/releases/assets/77',
      upload(1, 'app-1.0-linux-x64.tar.gz'),
      upload(1, 'app-1.0-linux-x64-SHA256SUMS.txt')
    ])
    expect(result.assets.map((a) => [a.name, a.id, a.replaced])).toEqual([
      ['app-1.0-linux-x64.tar.gz', 1004, true],
      ['app-1.0-linux-x64-SHA256SUMS.txt', 1005, false]
    ])
    expect(gh.assets.get(1)?.map((a) => a.id)).toEqual([78, 1004, 1005])
  })

  it('accepts 404 when the asset to replace is already gone', async () => {
    const r = gh.release('v1.0', false)
    gh.assets.set(r.id, [{ id: 77, name: 'app-1.0-linux-x64.tar.gz', browser_download_url: 'u' }])
    gh.force('DELETE /api/repos/octo/app/releases/assets/77', { status: 404, body: { message: 'Not Found' } })
    const result = await attachToRelease(target, assets.slice(0, 1), FAST)
    expect(gh.calls).toEqual([
      LIST,
      'GET /api/repos/octo/app/releases/1/assets?per_page=100',
      'DELETE /api/repos/octo/app/releases/assets/77',
      upload(1, 'app-1.0-linux-x64.tar.gz')
    ])
    expect(result.assets[0].replaced).toBe(true)
  })

  it('tries a 502 again and goes on after the success', async () => {
    gh.release('v1.0', false)
    gh.force('GET /api/repos/octo/app/releases', { status: 502, body: { message: 'Server Error' } })
    gh.force('POST /upload/repos/octo/app/releases/1/assets', { status: 502 }, { status: 503 })
    const result = await attachToRelease(target, assets.slice(0, 1), FAST)
    expect(gh.calls).toEqual([
      LIST,
      LIST,
      'GET /api/repos/octo/app/releases/1/assets?per_page=100',
      upload(1, 'app-1.0-linux-x64.tar.gz'),
      upload(1, 'app-1.0-linux-x64.tar.gz'),
      upload(1, 'app-1.0-linux-x64.tar.gz')
    ])
    // Each attempt sends the whole file again.
    expect(gh.seen.slice(3).map((s) => s.body.toString('latin1'))).toEqual(Array(3).fill('archive bytes\u0000\u0001'))
    expect(result.assets).toHaveLength(1)
    expect(result.assets[0].id).toBe(1006)
  })

  it('tries a 429 again', async () => {
    gh.release('v1.0', false)
    gh.force('GET /api/repos/octo/app/releases', { status: 429, body: { message: 'rate limited' } })
    await attachToRelease(target, [], FAST)
    expect(gh.calls).toEqual([LIST, LIST, 'GET /api/repos/octo/app/releases/1/assets?per_page=100'])
  })

  it('fails with the endpoint and status after every try of the create answered 502 (3 tries with 2 delays)', async () => {
    const bad = { status: 502, body: { message: 'Server Error' } }
    gh.force('POST /api/repos/octo/app/releases', bad, bad, bad)
    const e = await stageError(attachToRelease(target, assets, [1, 1]))
    expect(e.stage).toBe('publish')
    expect(e.message).toBe('POST /repos/octo/app/releases answered HTTP 502: Server Error.')
    expect(gh.calls).toEqual([LIST, CREATE, CREATE, CREATE])
    expect(gh.releases).toEqual([])
  })

  it('tries once more than there are delays (4 tries with [1, 1, 1])', async () => {
    const bad = { status: 502, body: { message: 'Server Error' } }
    gh.force('POST /api/repos/octo/app/releases', bad, bad, bad, bad)
    const e = await stageError(attachToRelease(target, assets, FAST))
    expect(e.message).toBe('POST /repos/octo/app/releases answered HTTP 502: Server Error.')
    expect(gh.calls).toEqual([LIST, CREATE, CREATE, CREATE, CREATE])
  })

  it('succeeds when the create answers 502 three times and then 201 (with [1, 1, 1])', async () => {
    const bad = { status: 502, body: { message: 'Server Error' } }
    gh.force('POST /api/repos/octo/app/releases', bad, bad, bad)
    const result = await attachToRelease(target, [], FAST)
    expect(gh.calls).toEqual([LIST, CREATE, CREATE, CREATE, CREATE, LIST, 'GET /api/repos/octo/app/releases/1/assets?per_page=100'])
    expect(result).toEqual({ id: 1, tag: 'v1.0', url: 'https://github.com/octo/app/releases/tag/v1.0', draft: true, created: true, assets: [] })
  })

  it('points at the github-token permissions on a 401, without trying again', async () => {
    gh.force('GET /api/repos/octo/app/releases', { status: 401, body: { message: 'Bad credentials' } })
    const e = await stageError(attachToRelease(target, assets, FAST))
    expect(e.message).toBe(
      'GET /repos/octo/app/releases?per_page=100&page=1 answered HTTP 401: Bad credentials. ' +
        'Check that github-token may write to the repository (permissions: contents: write).'
    )
    expect(gh.calls).toEqual([LIST])
  })

  it('points at the github-token permissions on a 403 from the upload', async () => {
    gh.release('v1.0', false)
    gh.force('POST /upload/repos/octo/app/releases/1/assets', { status: 403, body: { message: 'Resource not accessible by integration' } })
    const e = await stageError(attachToRelease(target, assets, FAST))
    expect(e.message).toBe(
      `POST ${gh.base}/upload/repos/octo/app/releases/1/assets?name=app-1.0-linux-x64.tar.gz answered HTTP 403: Resource not accessible by integration. ` +
        'Check that github-token may write to the repository (permissions: contents: write).'
    )
    expect(gh.calls).toEqual([LIST, 'GET /api/repos/octo/app/releases/1/assets?per_page=100', upload(1, 'app-1.0-linux-x64.tar.gz')])
  })

  it('gives no permission hint for other client errors', async () => {
    gh.force('POST /api/repos/octo/app/releases', { status: 422, body: { message: 'Validation Failed' } })
    const e = await stageError(attachToRelease(target, assets, FAST))
    expect(e.message).toBe('POST /repos/octo/app/releases answered HTTP 422: Validation Failed.')
    expect(gh.calls).toEqual([LIST, CREATE])
  })

  it('keeps the oldest release when another matrix leg created one at the same time, and deletes its own', async () => {
    gh.nextId = 10
    gh.onCreate = () => {
      // Another leg's release of the same tag, created first (a lower id).
      gh.release('v1.0', true, 7)
    }
    const result = await attachToRelease(target, assets, FAST)
    expect(gh.calls).toEqual([
      LIST,
      CREATE,
      LIST,
      'DELETE /api/repos/octo/app/releases/10',
      'GET /api/repos/octo/app/releases/7/assets?per_page=100',
      upload(7, 'app-1.0-linux-x64.tar.gz'),
      upload(7, 'app-1.0-linux-x64-SHA256SUMS.txt')
    ])
    expect(result).toMatchObject({ id: 7, url: 'https://github.com/octo/app/releases/tag/v1.0', draft: true, created: false })
    expect(gh.releases.map((r) => r.id)).toEqual([7])
  })

  it('keeps its own release when the other leg created the later one', async () => {
    gh.nextId = 3
    gh.onCreate = () => {
      gh.release('v1.0', true, 9)
    }
    const result = await attachToRelease(target, [], FAST)
    expect(gh.calls).toEqual([LIST, CREATE, LIST, 'GET /api/repos/octo/app/releases/3/assets?per_page=100'])
    expect(result).toMatchObject({ id: 3, created: true })
  })

  it('tries a refused connection again and then names the URL', async () => {
    const port = (await new Promise<number>((resolve) => {
      const s = http.createServer()
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port
        s.close(() => resolve(p))
      })
    })) as number
    const e = await stageError(attachToRelease({ ...target, apiUrl: `http://127.0.0.1:${port}` }, assets, FAST))
    expect(e.message).toBe(`GET http://127.0.0.1:${port}/repos/octo/app/releases?per_page=100&page=1 failed: fetch failed`)
  })
})
