/**
 * The `target` input: the system the executables are built for. Empty means
 * the runner's own; a Linux x64 runner also builds windows-x64, under Wine
 * (src/cross/). Anything else is refused here, before anything runs.
 */
import { BUILDER_TITLES, CROSS_TARGETS, TARGET_ARCHES, TARGET_SYSTEMS, type BuilderName, type TargetArch, type TargetChoice, type TargetOS } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import type { InputReader } from './names.js'

/** The runner's system, as platform.ts names it. */
export interface HostSystem {
  readonly os: TargetOS
  readonly arch: TargetArch
}

export const targetName = (t: Pick<TargetChoice, 'os' | 'arch'>): string => `${t.os}-${t.arch}`

/** The targets this runner builds for: its own first, then those it builds under an emulation layer. */
export function targetsFor(host: HostSystem): string[] {
  return [targetName(host), ...Object.keys(CROSS_TARGETS[targetName(host)] ?? {})]
}

/** Reads `target` for a runner of system `host`; `builder` is the builder input already read (Nuitka cannot build under Wine). */
export function readTarget(get: InputReader, host: HostSystem, builder: BuilderName): TargetChoice {
  const raw = get('target').trim().toLowerCase()
  if (!raw) return Object.freeze({ os: host.os, arch: host.arch })
  const possible = targetsFor(host)
  const [os, arch, ...rest] = raw.split('-')
  if (rest.length || !TARGET_SYSTEMS.includes(os as TargetOS) || !TARGET_ARCHES.includes(arch as TargetArch))
    throw new InputError(
      'target',
      `'${excerpt(raw)}' is not a target: write <system>-<architecture>, with the system one of ${TARGET_SYSTEMS.join(', ')} and the architecture one of ${TARGET_ARCHES.join(', ')}.`,
      `This ${targetName(host)} runner builds ${possible.join(' and ')}; leave target empty for its own system.`
    )
  if (raw === targetName(host)) return Object.freeze({ os: host.os, arch: host.arch })
  const via = CROSS_TARGETS[targetName(host)]?.[raw]
  if (!via)
    throw new InputError(
      'target',
      `${raw} cannot be built on this ${targetName(host)} runner: PyInstaller is not a cross-compiler, so a runner builds for its own system${possible.length > 1 ? `, and a Linux x64 runner for windows-x64 under Wine` : ''}.`,
      `Run this build on a ${os === 'macos' ? 'macOS' : os === 'windows' ? 'Windows' : 'Linux'} ${arch} runner (runs-on), or set target to ${possible.join(' or ')}.`
    )
  if (builder === 'nuitka')
    throw new InputError(
      'target',
      `${raw} is built under Wine on this runner, and ${BUILDER_TITLES.nuitka} cannot build there: it compiles the program's C code with a Windows C compiler (MSVC, or the MinGW-w64 it downloads), which neither runs under Wine nor builds a Windows program on Linux.`,
      `Use builder: pyinstaller for ${raw} on this runner, or run the Nuitka build on a Windows runner.`
    )
  return Object.freeze({ os: os as TargetOS, arch: arch as TargetArch, via })
}
