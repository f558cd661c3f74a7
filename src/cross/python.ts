/**
 * The Windows CPython a Linux runner builds with under Wine: python.org's
 * own full runtime for its Python install manager, a zip (python.exe at the
 * top, Lib\ with pip and venv and its launchers, DLLs\), listed with its
 * SHA-256 in python.org's index (index-windows.json, then the pages its
 * `next` names). Nothing is installed by a Windows installer: the zip is
 * checked against the index's hash, unpacked into the tool cache as
 * Python/<version>/<arch> (where actions/setup-python keeps its Pythons),
 * and probed under Wine. README ("Windows from Linux") says why this and not
 * the NuGet package, python-build-standalone or actions/python-versions.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import * as tc from '@actions/tool-cache'
import { HttpClient } from '@actions/http-client'
import { StageError } from '../errors.js'
import type { Platform } from '../platform.js'
import { probe, toolCacheCandidates, type FoundPython } from '../python.js'
import { checksumProblem, urlProblem } from '../python-install.js'
import { compareVersionsDesc, versionMatches } from '../python-spec.js'

export const PYTHON_ORG_INDEX_URL = 'https://www.python.org/ftp/python/index-windows.json'

/** One runtime of the index (the fields read here; python.org's entries have more). */
export interface IndexEntry {
  readonly id: string
  readonly company?: string
  readonly 'sort-version': string
  readonly url: string
  readonly hash?: { readonly sha256?: string }
}

export interface IndexPage {
  readonly versions: readonly IndexEntry[]
  /** The next page, relative to this one. */
  readonly next?: string
}

/** The id suffix of each architecture's runtime in the index (pythoncore-3.13-64, pythoncore-3.13-arm64, pythoncore-3.13-32). */
const ARCH_SUFFIX: Readonly<Record<Platform['arch'], string>> = { x64: '64', arm64: 'arm64', x86: '32' }

/**
 * The newest final release matching `spec` among the pages: python.org's
 * CPython (PythonCore) for the architecture, not a free-threaded (`3.13t`),
 * embeddable or test build, and a zip.
 */
export function chooseRuntime(pages: readonly IndexPage[], spec: string, arch: Platform['arch']): IndexEntry | undefined {
  const id = new RegExp(`^pythoncore-\\d+\\.\\d+-${ARCH_SUFFIX[arch]}$`)
  return pages
    .flatMap((p) => p.versions)
    .filter(
      (e) =>
        e &&
        typeof e.id === 'string' &&
        id.test(e.id) &&
        (e.company ?? 'PythonCore') === 'PythonCore' &&
        /^\d+\.\d+\.\d+$/.test(e['sort-version']) &&
        versionMatches(spec, e['sort-version']) &&
        /\.zip$/i.test(e.url)
    )
    .sort((a, b) => compareVersionsDesc(a['sort-version'], b['sort-version']))[0]
}

/** The most index pages followed through `next`. */
export const MAX_INDEX_PAGES = 8

async function getJson(client: HttpClient, url: string, spec: string): Promise<unknown> {
  let body: string
  let status: number | undefined
  try {
    const response = await client.get(url)
    status = response.message.statusCode
    body = await response.readBody()
  } catch (e) {
    throw new StageError(
      'python',
      `python.org's index of Windows Pythons, ${url}, could not be reached (${(e as Error).message}). Check that this runner can reach it, or set python-versions-manifest to a mirror of it, or put a Windows Python ${spec} in the tool cache before this step.`
    )
  }
  if (status !== 200) throw new StageError('python', `python.org's index of Windows Pythons, ${url}, answered HTTP ${status}. Check python-versions-manifest.`)
  try {
    return JSON.parse(body)
  } catch {
    throw new StageError('python', `${url} is not JSON: python-versions-manifest must name an index in the format of python.org's index-windows.json.`)
  }
}

/** Reads the index from `url` through its `next` pages until a runtime matches `spec` (or the pages end). */
export async function findRuntime(url: string, spec: string, arch: Platform['arch']): Promise<{ entry?: IndexEntry; pages: number }> {
  const client = new HttpClient('build-standalone', [], { socketTimeout: 60_000 })
  const pages: IndexPage[] = []
  let next: string | undefined = url
  while (next && pages.length < MAX_INDEX_PAGES) {
    const problem = urlProblem(next)
    if (problem) throw new StageError('python', `the index page ${next} ${problem}.`)
    const page = (await getJson(client, next, spec)) as Partial<IndexPage> | null
    if (!page || typeof page !== 'object' || !Array.isArray(page.versions))
      throw new StageError(
        'python',
        `${next} has no "versions" list: python-versions-manifest must name an index in the format of python.org's index-windows.json.`
      )
    pages.push({ versions: page.versions, next: page.next })
    const entry = chooseRuntime(pages, spec, arch)
    if (entry) return { entry, pages: pages.length }
    next = typeof page.next === 'string' && page.next ? new URL(page.next, next).href : undefined
  }
  return { pages: pages.length }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Downloads the runtime for `spec`, checks it against the index's SHA-256 and unpacks it into the tool cache; returns its version. */
export async function installWindowsPython(platform: Platform, spec: string, toolCache: string, indexUrl: string): Promise<string> {
  core.info(`No Windows Python ${spec} in the tool cache: looking it up in ${indexUrl}`)
  const { entry, pages } = await findRuntime(indexUrl, spec, platform.arch)
  if (!entry)
    throw new StageError(
      'python',
      `no final Windows Python ${spec} for ${platform.arch} (a pythoncore-…-${ARCH_SUFFIX[platform.arch]} zip) is in ${indexUrl} (${pages} page${pages === 1 ? '' : 's'} read). Pick another python-version.`
    )
  const version = entry['sort-version']
  const urlIssue = urlProblem(entry.url)
  if (urlIssue) throw new StageError('python', `the download URL of Windows Python ${version} in ${indexUrl} (${entry.url}) ${urlIssue}.`)
  const sha256 = entry.hash?.sha256
  if (!sha256) throw new StageError('python', `${indexUrl} gives no SHA-256 for Windows Python ${version} (${entry.url}): nothing unchecked is installed.`)
  core.info(`Downloading Windows Python ${version}: ${entry.url}`)
  let archive: string
  try {
    archive = await tc.downloadTool(entry.url)
  } catch (e) {
    throw new StageError('python', `Windows Python ${version} could not be downloaded from ${entry.url} (${(e as Error).message}).`)
  }
  const actual = await sha256Of(archive)
  const mismatch = checksumProblem({ filename: path.basename(new URL(entry.url).pathname), sha256 }, actual)
  if (mismatch) {
    fs.rmSync(archive, { force: true })
    throw new StageError(
      'python',
      `the download of Windows Python ${version} from ${entry.url} is not the one the index names: ${mismatch} Nothing was installed.`
    )
  }
  core.info(`SHA-256 ${actual} matches the index.`)
  const extracted = await tc.extractZip(archive)
  if (!fs.existsSync(path.join(extracted, 'python.exe')))
    throw new StageError('python', `${entry.url} has no python.exe at its top: it is not a Windows Python runtime zip as python.org's index lists them.`)
  const dir = await tc.cacheDir(extracted, 'Python', version, platform.arch)
  fs.rmSync(archive, { force: true })
  core.info(`Installed Windows Python ${version} into ${dir}`)
  return version
}

/** The Windows Pythons of the tool cache that match `spec`, best first, probed under Wine (the executor's launcher). */
async function locate(platform: Platform, spec: string, toolCache: string): Promise<{ found?: FoundPython; seen: string[] }> {
  const root = path.join(toolCache, 'Python')
  const versions = fs.existsSync(root) ? fs.readdirSync(root) : []
  const seen: string[] = []
  for (const exe of toolCacheCandidates(platform, toolCache, spec, versions, (v) => fs.existsSync(path.join(root, v, `${platform.arch}.complete`)))) {
    if (!fs.existsSync(exe)) continue
    const info = await probe(exe)
    if (!info) {
      seen.push(`${exe} (does not start under Wine)`)
      continue
    }
    seen.push(`${info.version} (${info.bits}-bit) at ${exe}`)
    if (versionMatches(spec, info.version) && info.bits === 64) return { found: { executable: exe, version: info.version, source: 'tool cache' }, seen }
  }
  return { seen }
}

/** A Windows Python for `spec`: from the tool cache, else installed there from python.org's index. */
export async function findWindowsPython(platform: Platform, spec: string, toolCache: string, indexUrl: string): Promise<FoundPython> {
  if (!toolCache)
    throw new StageError('python', 'building for Windows under Wine needs a tool cache to keep the Windows Python in: RUNNER_TOOL_CACHE is not set.')
  const first = await locate(platform, spec, toolCache)
  if (first.found) return first.found
  const installed = await installWindowsPython(platform, spec, toolCache, indexUrl)
  const second = await locate(platform, installed, toolCache)
  if (second.found) return second.found
  throw new StageError(
    'python',
    `Windows Python ${installed} was installed into ${toolCache}, but does not run under Wine here. Found: ${second.seen.join('; ') || 'nothing'}.`
  )
}
