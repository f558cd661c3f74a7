/**
 * A stand-in for the few GitHub REST endpoints of releases the action and the
 * release job use (list and create releases, list, delete and upload assets),
 * on 127.0.0.1, recording every request. Requests must carry the token
 * `secret-token`.
 */
import * as http from 'node:http'

export interface RecordedRequest {
  readonly method: string
  /** Path and query. */
  readonly url: string
  /** The body as text, or `<N bytes>` for a large one. */
  readonly body: string
}

export interface StandInRelease {
  id: number
  tag_name: string
  draft: boolean
  html_url: string
  upload_url: string
}

export interface ReleaseApiOptions {
  /** owner/name, as GITHUB_REPOSITORY says. */
  readonly repo: string
  /** A published release of v1.0.0 exists from the start (id 1)… */
  readonly existingRelease?: boolean
  /** …holding an asset of this name (id 2). */
  readonly existingAsset?: string
  /** The first upload answers 502, as GitHub's upload host sometimes does. */
  readonly failFirstUpload?: boolean
}

export function releaseApi(opts: ReleaseApiOptions) {
  const requests: RecordedRequest[] = []
  const releases: StandInRelease[] = []
  const assets = new Map<number, { id: number; name: string; release: number; bytes: Buffer }>()
  const repoPath = `/repos/${opts.repo}/releases`
  const uploadUrl = (id: number): string => `${base}/uploads${repoPath}/${id}/assets{?name,label}`
  const escaped = repoPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  const assetsOf = new RegExp(`^${escaped}/(\\d+)/assets$`)
  const assetById = new RegExp(`^${escaped}/assets/(\\d+)$`)
  const upload = new RegExp(`^/uploads${escaped}/(\\d+)/assets$`)
  let nextId = 10
  let failed = false
  let base = ''
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const url = new URL(req.url ?? '/', base)
      requests.push({ method: req.method ?? '', url: `${url.pathname}${url.search}`, body: body.length < 2000 ? body.toString() : `<${body.length} bytes>` })
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
      if (req.headers.authorization !== 'Bearer secret-token') return json(401, { message: 'Bad credentials' })
      let m: RegExpExecArray | null
      if (req.method === 'GET' && url.pathname === repoPath) return json(200, releases)
      if (req.method === 'POST' && url.pathname === repoPath) {
        const { tag_name, draft } = JSON.parse(body.toString()) as { tag_name: string; draft: boolean }
        const id = nextId++
        const r = { id, tag_name, draft, html_url: `https://github.example/${opts.repo}/releases/tag/${tag_name}`, upload_url: uploadUrl(id) }
        releases.push(r)
        return json(201, r)
      }
      if (req.method === 'GET' && (m = assetsOf.exec(url.pathname)))
        return json(
          200,
          [...assets.values()]
            .filter((a) => a.release === Number(m![1]))
            .map((a) => ({ id: a.id, name: a.name, browser_download_url: `${base}/download/${a.id}` }))
        )
      if (req.method === 'DELETE' && (m = assetById.exec(url.pathname))) {
        assets.delete(Number(m[1]))
        return res.writeHead(204).end()
      }
      if (req.method === 'POST' && (m = upload.exec(url.pathname))) {
        if (opts.failFirstUpload && !failed) {
          failed = true
          return json(502, { message: 'Bad Gateway' })
        }
        const id = nextId++
        const name = url.searchParams.get('name') ?? ''
        assets.set(id, { id, name, release: Number(m[1]), bytes: body })
        return json(201, { id, name, browser_download_url: `${base}/download/${id}` })
      }
      json(404, { message: 'Not Found' })
    })
  })
  return {
    requests,
    releases,
    assets,
    /** Listens on a free port of 127.0.0.1; returns the API's base URL. */
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      if (opts.existingRelease) {
        releases.push({
          id: 1,
          tag_name: 'v1.0.0',
          draft: false,
          html_url: `https://github.example/${opts.repo}/releases/tag/v1.0.0`,
          upload_url: uploadUrl(1)
        })
        if (opts.existingAsset) assets.set(2, { id: 2, name: opts.existingAsset, release: 1, bytes: Buffer.from('old') })
      }
      return base
    },
    stop: () => server.close()
  }
}
