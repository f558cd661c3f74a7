/**
 * The runner's operating system and architecture as typed values, and every
 * naming difference that follows from them. Planners take a Platform so that
 * Windows and macOS behaviour is testable on any machine.
 */
import * as path from 'node:path'

export type OS = 'linux' | 'windows' | 'macos'
export type Arch = 'x64' | 'arm64' | 'x86'

export interface Platform {
  readonly os: OS
  readonly arch: Arch
  /** '.exe' on Windows, '' elsewhere. */
  readonly exeSuffix: string
  readonly archiveFormat: 'zip' | 'tar.gz'
  /** The folder of a venv that holds its programs. */
  readonly venvBin: 'Scripts' | 'bin'
  /** PATH's separator. */
  readonly pathDelimiter: ';' | ':'
  /** The path module of the files the action handles: the host's (Linux's when it builds for Windows under Wine). */
  readonly path: typeof path.posix
  /**
   * How the programs built for this platform (and its Python, pip, uv,
   * PyInstaller) run: natively when absent; `wine` when a Linux runner builds
   * for Windows (src/cross/: the planners name Windows files, the executor
   * starts them under Wine).
   */
  readonly via?: 'wine'
}

const OS_NAMES: Record<string, OS> = { linux: 'linux', win32: 'windows', darwin: 'macos' }
const ARCH_NAMES: Record<string, Arch> = { x64: 'x64', arm64: 'arm64', ia32: 'x86' }

/** The Platform for Node's `process.platform` and `process.arch` values. */
export function platformFor(nodePlatform: string, nodeArch: string): Platform {
  const os = OS_NAMES[nodePlatform]
  const arch = ARCH_NAMES[nodeArch]
  if (!os) throw new Error(`unsupported operating system '${nodePlatform}' (supported: Linux, Windows, macOS)`)
  if (!arch) throw new Error(`unsupported architecture '${nodeArch}' (supported: x64, arm64, x86)`)
  const windows = os === 'windows'
  return Object.freeze({
    os,
    arch,
    exeSuffix: windows ? '.exe' : '',
    archiveFormat: windows ? 'zip' : 'tar.gz',
    venvBin: windows ? 'Scripts' : 'bin',
    pathDelimiter: windows ? ';' : ':',
    path: windows ? path.win32 : path.posix
  })
}

/** The Platform this process runs on. */
export function currentPlatform(): Platform {
  return platformFor(process.platform, process.arch)
}

/**
 * The Platform of a Windows target built on a Linux host under Wine: Windows
 * names (.exe, zip, Scripts), the host's paths and PATH separator (node and
 * every file operation stay on Linux).
 */
export function wineTarget(arch: Arch): Platform {
  return Object.freeze({ ...platformFor('win32', arch), pathDelimiter: ':' as const, path: path.posix, via: 'wine' as const })
}

/**
 * A host path as the platform's programs see it: itself natively; under Wine
 * the drive Z: (the host's /), with backslashes.
 */
export function targetPath(platform: Pick<Platform, 'via'>, hostPath: string): string {
  return platform.via === 'wine' ? `Z:${hostPath.replace(/\//g, '\\')}` : hostPath
}

/** The interpreter inside a venv. */
export function venvPython(platform: Platform, venvDir: string): string {
  return platform.path.join(venvDir, platform.venvBin, `python${platform.exeSuffix}`)
}
