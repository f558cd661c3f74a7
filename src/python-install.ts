/**
 * Installing a missing Python the way actions/setup-python does: the
 * actions/python-versions manifest, the newest stable release that matches,
 * downloaded and extracted into the runner tool cache with @actions/tool-cache
 * (so the next job on a self-hosted runner finds it there).
 */
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

async function fetchManifest(url: string): Promise<ManifestRelease[]> {
  const client = new HttpClient('build-standalone')
  const response = await client.get(url)
  const body = await response.readBody()
  if (response.message.statusCode !== 200) throw new StageError('python', `the Python versions manifest ${url} answered HTTP ${response.message.statusCode}.`)
  try {
    return JSON.parse(body) as ManifestRelease[]
  } catch {
    throw new StageError('python', `the Python versions manifest ${url} is not JSON.`)
  }
}

/** Downloads and installs a Python matching `spec` into the tool cache; returns the version installed. */
export async function installPython(platform: Platform, spec: string, toolCache: string, manifestUrl: string): Promise<string> {
  core.info(`No installed Python matches ${spec}: looking it up in ${manifestUrl}`)
  const manifest = await fetchManifest(manifestUrl)
  const osVersion = platform.os === 'linux' && fs.existsSync('/etc/os-release') ? linuxVersionId(fs.readFileSync('/etc/os-release', 'utf8')) : ''
  const choice = chooseRelease(manifest, spec, platform, osVersion)
  if (!choice)
    throw new StageError(
      'python',
      `no stable Python matching ${spec} for ${manifestPlatform(platform)}-${platform.arch}${osVersion ? ` (${osVersion})` : ''} is in ${manifestUrl}. Pick another python-version, or install it before this step.`
    )
  core.info(`Downloading Python ${choice.version}: ${choice.file.download_url}`)
  const archive = await tc.downloadTool(choice.file.download_url)
  const extracted = platform.os === 'windows' ? await tc.extractZip(archive) : await tc.extractTar(archive)
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
