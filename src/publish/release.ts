/**
 * Attaching the archives and checksums to the GitHub Release of the pushed
 * tag, through the REST API: the release is created as a draft when there is
 * none; an asset of the same name is replaced, not duplicated; transient
 * failures (5xx, network errors) are retried with backoff.
 */
import * as fs from 'node:fs'
import * as core from '@actions/core'
import { StageError } from '../errors.js'
import type { Asset } from '../package.js'
import type { PublishedFile } from './artifacts.js'

export interface ReleaseTarget {
  readonly apiUrl: string
  /** owner/name */
  readonly repository: string
  readonly tag: string
  readonly token: string
  /** Create a missing release as a draft (the default) or published. */
  readonly draft?: boolean
}

export interface ReleaseAsset extends PublishedFile {
  readonly replaced: boolean
}

export interface ReleaseResult {
  readonly id: number
  readonly tag: string
  readonly url: string
  readonly draft: boolean
  readonly created: boolean
  readonly assets: readonly ReleaseAsset[]
}

interface ApiRelease {
  id: number
  tag_name: string
  draft: boolean
  html_url: string
  upload_url: string
}

interface ApiAsset {
  id: number
  name: string
  browser_download_url: string
}

/** Delays between attempts, in ms (BUILD_STANDALONE_RETRY_MS scales them for tests). */
export function retryDelays(env: Readonly<Record<string, string | undefined>> = process.env): number[] {
  const base = Number(env.BUILD_STANDALONE_RETRY_MS)
  const unit = Number.isFinite(base) && base >= 0 && env.BUILD_STANDALONE_RETRY_MS !== undefined ? base : 1000
  return [unit, unit * 2, unit * 4]
}

/** True for answers worth another try. */
export const transient = (status: number): boolean => status >= 500 || status === 429

/** The upload URL without its `{?name,label}` template part, with the name query. */
export function uploadUrl(template: string, name: string): string {
  return `${template.replace(/\{[^}]*\}$/, '')}?name=${encodeURIComponent(name)}`
}

class Api {
  constructor(
    private readonly target: ReleaseTarget,
    private readonly delays: number[]
  ) {}

  async call(method: string, url: string, body?: unknown, upload?: { file: string; size: number }): Promise<{ status: number; json: unknown }> {
    const full = url.startsWith('http') ? url : `${this.target.apiUrl.replace(/\/$/, '')}${url}`
    for (let attempt = 0; ; attempt++) {
      let status = 0
      let text = ''
      try {
        const response = await fetch(full, {
          method,
          headers: {
            authorization: `Bearer ${this.target.token}`,
            accept: 'application/vnd.github+json',
            'x-github-api-version': '2022-11-28',
            'user-agent': 'build-standalone',
            ...(upload
              ? { 'content-type': 'application/octet-stream', 'content-length': String(upload.size) }
              : body
                ? { 'content-type': 'application/json' }
                : {})
          },
          body: upload ? fs.readFileSync(upload.file) : body ? JSON.stringify(body) : undefined
        })
        status = response.status
        text = await response.text()
      } catch (e) {
        text = (e as Error).message
      }
      if ((status === 0 || transient(status)) && attempt < this.delays.length) {
        core.info(`${method} ${full}: ${status || text}; trying again in ${this.delays[attempt]} ms`)
        await new Promise((r) => setTimeout(r, this.delays[attempt]))
        continue
      }
      if (status === 0) throw new StageError('publish', `${method} ${full} failed: ${text}`)
      let json: unknown = undefined
      try {
        json = text ? JSON.parse(text) : undefined
      } catch {
        json = text
      }
      return { status, json }
    }
  }

  async ok(method: string, url: string, expected: number[], body?: unknown, upload?: { file: string; size: number }): Promise<unknown> {
    const r = await this.call(method, url, body, upload)
    if (!expected.includes(r.status)) {
      const message = (r.json as { message?: string } | undefined)?.message ?? (r.json === undefined ? 'an empty answer' : JSON.stringify(r.json))
      const hint =
        r.status === 401 || r.status === 403 || r.status === 404 ? ' Check that github-token may write to the repository (permissions: contents: write).' : ''
      throw new StageError('publish', `${method} ${url} answered HTTP ${r.status}: ${message}.${hint}`)
    }
    return r.json
  }
}

async function findReleases(api: Api, t: ReleaseTarget): Promise<ApiRelease[]> {
  const all: ApiRelease[] = []
  for (let page = 1; page <= 10; page++) {
    const batch = (await api.ok('GET', `/repos/${t.repository}/releases?per_page=100&page=${page}`, [200])) as ApiRelease[]
    if (!Array.isArray(batch)) throw new StageError('publish', `GET /repos/${t.repository}/releases did not answer with a list of releases.`)
    all.push(...batch.filter((r) => r.tag_name === t.tag))
    if (batch.length < 100) break
  }
  return all.sort((a, b) => a.id - b.id)
}

/** Finds the release of the tag (drafts included), creating a draft when there is none. */
async function releaseFor(api: Api, t: ReleaseTarget): Promise<{ release: ApiRelease; created: boolean }> {
  const existing = await findReleases(api, t)
  if (existing.length) return { release: existing[0], created: false }
  const mine = (await api.ok('POST', `/repos/${t.repository}/releases`, [201], { tag_name: t.tag, name: t.tag, draft: t.draft ?? true })) as ApiRelease
  // Matrix legs race to create it: keep the oldest, remove ours if another leg was first.
  const all = await findReleases(api, t)
  const first = all[0] ?? mine
  if (first.id !== mine.id) {
    await api.ok('DELETE', `/repos/${t.repository}/releases/${mine.id}`, [204, 404])
    return { release: first, created: false }
  }
  return { release: mine, created: true }
}

export async function attachToRelease(t: ReleaseTarget, assets: readonly Asset[], delays = retryDelays()): Promise<ReleaseResult> {
  const api = new Api(t, delays)
  const { release, created } = await releaseFor(api, t)
  core.info(`${created ? `Created the ${t.draft === false ? '' : 'draft '}release` : 'Using the release'} ${t.tag} (${release.html_url}).`)
  const current = (await api.ok('GET', `/repos/${t.repository}/releases/${release.id}/assets?per_page=100`, [200])) as ApiAsset[]
  const out: ReleaseAsset[] = []
  for (const asset of assets) {
    const old = current.find((a) => a.name === asset.name)
    if (old) await api.ok('DELETE', `/repos/${t.repository}/releases/assets/${old.id}`, [204, 404])
    const up = (await api.ok('POST', uploadUrl(release.upload_url, asset.name), [201], undefined, { file: asset.path, size: asset.size })) as ApiAsset
    out.push({ name: asset.name, id: up.id, url: up.browser_download_url, size: asset.size, sha256: asset.sha256, replaced: Boolean(old) })
  }
  return { id: release.id, tag: t.tag, url: release.html_url, draft: release.draft, created, assets: out }
}
