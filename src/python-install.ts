/**
 * Installing a missing Python the way actions/setup-python does: the
 * actions/python-versions manifest, the newest stable release that matches,
 * downloaded and extracted into the runner tool cache with @actions/tool-cache
 * (so the next job on a self-hosted runner finds it there).
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import * as tc from '@actions/tool-cache'
import { HttpClient } from '@actions/http-client'
import { StageError } from './errors.js'
import { runChecked, type Command } from './exec.js'
import type { Platform } from './platform.js'
import { compareVersionsDesc, versionMatches } from './python-spec.js'

export const DEFAULT_MANIFEST_URL = 'https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json'

export interface ManifestFile {
  readonly filename: string
  readonly arch: string
  readonly platform: string
  readonly platform_version?: string
  readonly download_url: string
  /**
   * SHA-256 of the archive, hex. actions/python-versions' manifest has none
   * (its entries are filename, arch, platform, platform_version and
   * download_url); a mirror may add it, and then the archive must match it.
   */
  readonly sha256?: string
}

export interface ManifestRelease {
  readonly version: string
  readonly stable: boolean
  readonly files: readonly ManifestFile[]
}

export interface Choice {
  readonly version: string
  readonly file: ManifestFile
}

/** Hosts that may be reached over plain http: this machine only (a test server, a local mirror). */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]']

/** Why a download URL is refused ('' when it is fine): only https://, or http:// on the loopback interface. */
export function urlProblem(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return 'is not a URL'
  }
  if (/\s/.test(url)) return 'holds white space'
  if (u.protocol === 'https:' && u.hostname) return ''
  if (u.protocol === 'http:') return LOOPBACK_HOSTS.includes(u.hostname) ? '' : 'uses http://, which anyone on the network path can read and change'
  return `uses ${u.protocol}, not https://`
}

/** Why a downloaded archive does not match the manifest's checksum ('' when it does, or when the manifest gives none). */
export function checksumProblem(file: Pick<ManifestFile, 'filename' | 'sha256'>, actual: string): string {
  if (file.sha256 === undefined) return ''
  if (!/^[0-9a-fA-F]{64}$/.test(file.sha256)) return `the manifest's sha256 of ${file.filename} is not a SHA-256 in hex.`
  if (file.sha256.toLowerCase() !== actual) return `${file.filename} has SHA-256 ${actual}, but the manifest says ${file.sha256.toLowerCase()}.`
  return ''
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** The manifest's name for a platform. */
export const manifestPlatform = (platform: Platform): string => ({ linux: 'linux', windows: 'win32', macos: 'darwin' })[platform.os]

/**
 * The newest stable release matching `spec` with a file for this platform and
 * architecture (and, on Linux, this distribution version when the manifest
 * names one). Undefined when there is none.
 */
export function chooseRelease(manifest: readonly ManifestRelease[], spec: string, platform: Platform, osVersion: string): Choice | undefined {
  const releases = manifest
    .filter((r) => r.stable && /^\d+\.\d+\.\d+$/.test(r.version) && versionMatches(spec, r.version))
    .sort((a, b) => compareVersionsDesc(a.version, b.version))
  for (const r of releases) {
    const file = r.files.find(
      (f) =>
        f.platform === manifestPlatform(platform) &&
        f.arch === platform.arch &&
        (platform.os !== 'linux' || !f.platform_version || f.platform_version === osVersion)
    )
    if (file) return { version: r.version, file }
  }
  return undefined
}

/** The distribution version the Linux builds are made for (VERSION_ID of /etc/os-release), '' when unknown. */
export function linuxVersionId(osRelease: string): string {
  return /^VERSION_ID="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? ''
}

/**
 * The command that runs an archive's own installer script as
 * actions/setup-python does (src/install-python.ts, installPython:
 * `exec('powershell', ['./setup.ps1'])` on Windows, `exec('bash',
 * ['./setup.sh'])` with LD_LIBRARY_PATH=<archive>/lib elsewhere); undefined
 * when it has none. On Windows that is Windows PowerShell (powershell.exe),
 * part of every Windows since 7: PowerShell 7 (pwsh) is on GitHub's runners
 * but often not on self-hosted machines.
 */
export function setupScriptCommand(platform: Platform, extracted: string, exists: (p: string) => boolean): Command | undefined {
  if (platform.os === 'windows') {
    const script = platform.path.join(extracted, 'setup.ps1')
    return exists(script)
      ? { program: 'powershell', args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', script], cwd: extracted }
      : undefined
  }
  const script = platform.path.join(extracted, 'setup.sh')
  return exists(script)
    ? {
        program: 'bash',
        args: [script],
        cwd: extracted,
        ...(platform.os === 'linux' ? { env: { LD_LIBRARY_PATH: platform.path.join(extracted, 'lib') } } : {})
      }
    : undefined
}

/**
 * The command that unpacks a downloaded Python archive into `dest`, run by the
 * executor (and so with the essentials of the environment only, never the
 * inputs): tar for the .tar.gz of Linux and macOS, and on Windows the tar.exe
 * that Windows ships in System32 (bsdtar, which reads zip files; Windows 10
 * 1803 and Windows Server 2019 on). Undefined on a Windows without it, where
 * @actions/tool-cache unpacks with PowerShell.
 */
export function unpackCommand(platform: Platform, archive: string, dest: string, systemRoot: string, exists: (p: string) => boolean): Command | undefined {
  if (platform.os !== 'windows') return { program: 'tar', args: ['-xzf', archive, '-C', dest], scope: 'tool' }
  const tar = platform.path.join(systemRoot || 'C:\\Windows', 'System32', 'tar.exe')
  return exists(tar) ? { program: tar, args: ['-xf', archive, '-C', dest], scope: 'tool' } : undefined
}

async function fetchManifest(url: string, spec: string): Promise<ManifestRelease[]> {
  const client = new HttpClient('build-standalone')
  let body: string
  let status: number | undefined
  try {
    const response = await client.get(url)
    body = await response.readBody()
    status = response.message.statusCode
  } catch (e) {
    throw new StageError(
      'python',
      `the Python versions manifest ${url} could not be reached (${(e as Error).message}). Check that this runner can reach that host (a proxy or firewall may block it), set python-versions-manifest to a mirror it can reach, or install Python ${spec} before this step (for example with actions/setup-python).`
    )
  }
  if (status !== 200)
    throw new StageError(
      'python',
      `the Python versions manifest ${url} answered HTTP ${status}. Check the URL of python-versions-manifest, or install Python ${spec} before this step (for example with actions/setup-python).`
    )
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new StageError('python', `the Python versions manifest ${url} is not JSON.`)
  }
  if (!Array.isArray(parsed)) throw new StageError('python', `the Python versions manifest ${url} is not a list of releases.`)
  return (parsed as ManifestRelease[]).filter((r) => r && typeof r.version === 'string' && Array.isArray(r.files))
}

/** Downloads and installs a Python matching `spec` into the tool cache; returns the version installed. */
export async function installPython(platform: Platform, spec: string, toolCache: string, manifestUrl: string): Promise<string> {
  core.info(`No installed Python matches ${spec}: looking it up in ${manifestUrl}`)
  const problem = urlProblem(manifestUrl)
  if (problem) throw new StageError('python', `the Python versions manifest ${manifestUrl} ${problem}. Give an https:// URL as python-versions-manifest.`)
  const manifest = await fetchManifest(manifestUrl, spec)
  const osVersion = platform.os === 'linux' && fs.existsSync('/etc/os-release') ? linuxVersionId(fs.readFileSync('/etc/os-release', 'utf8')) : ''
  const choice = chooseRelease(manifest, spec, platform, osVersion)
  if (!choice)
    throw new StageError(
      'python',
      `no stable Python matching ${spec} for ${manifestPlatform(platform)}-${platform.arch}${osVersion ? ` (${osVersion})` : ''} is in ${manifestUrl}. Pick another python-version, or install it before this step.`
    )
  const url = choice.file.download_url
  const urlIssue = urlProblem(String(url))
  if (urlIssue)
    throw new StageError(
      'python',
      `the download URL of Python ${choice.version} in ${manifestUrl} (${url}) ${urlIssue}. Use a manifest whose files are served over https.`
    )
  core.info(`Downloading Python ${choice.version}: ${url}`)
  let archive: string
  try {
    archive = await tc.downloadTool(url)
  } catch (e) {
    throw new StageError(
      'python',
      `Python ${choice.version} could not be downloaded from ${url} (${(e as Error).message}). Check that this runner can reach that host, or install Python ${spec} before this step (for example with actions/setup-python).`
    )
  }
  // The archive's own installer script runs below: it must be the archive the manifest names.
  const actual = await sha256Of(archive)
  const mismatch = checksumProblem(choice.file, actual)
  if (mismatch) {
    fs.rmSync(archive, { force: true })
    throw new StageError(
      'python',
      `the download of Python ${choice.version} from ${url} is not the archive the manifest names: ${mismatch} Nothing was installed. Check the mirror, or install Python ${spec} before this step.`
    )
  }
  core.info(
    choice.file.sha256 === undefined
      ? `SHA-256 ${actual}. The manifest gives no checksum (actions/python-versions' does not), so the archive is trusted as served over ${new URL(url).protocol === 'https:' ? 'HTTPS' : 'the loopback interface'} by ${new URL(url).host}.`
      : `SHA-256 ${actual} matches the manifest.`
  )
  const extracted = fs.mkdtempSync(path.join(path.dirname(archive), 'python-'))
  const unpack = unpackCommand(platform, archive, extracted, process.env.SystemRoot ?? process.env.SYSTEMROOT ?? '', fs.existsSync)
  if (unpack) await runChecked('python', unpack, `The Python archive ${archive} could not be unpacked.`, { silent: true })
  else await tc.extractZip(archive, extracted)
  const setup = setupScriptCommand(platform, extracted, fs.existsSync)
  if (setup)
    await runChecked(
      'python',
      { ...setup, env: { ...setup.env, RUNNER_TOOL_CACHE: toolCache, AGENT_TOOLSDIRECTORY: toolCache } },
      'The Python archive could not be installed.'
    )
  else await tc.cacheDir(extracted, 'Python', choice.version, platform.arch)
  const complete = path.join(toolCache, 'Python', choice.version, `${platform.arch}.complete`)
  if (!fs.existsSync(complete)) fs.writeFileSync(complete, '')
  core.info(`Installed Python ${choice.version} into ${path.join(toolCache, 'Python', choice.version, platform.arch)}`)
  return choice.version
}
