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
  /** The path module that matches this OS. */
  readonly path: typeof path.posix
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

/** The interpreter inside a venv. */
export function venvPython(platform: Platform, venvDir: string): string {
  return platform.path.join(venvDir, platform.venvBin, `python${platform.exeSuffix}`)
}
