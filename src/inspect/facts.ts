/**
 * What the inspect stage found out about each build: types only, no logic, so
 * that the package and report modules can read facts without importing the
 * stage. One optional part per system: `linux` (ELF), `macos` (Mach-O),
 * `windows` (PE).
 */
import type { MacFacts } from './macho.js'
import type { PEFile, PEProblem } from './pe.js'

/** The newest versions one ELF object needs (absent: none of that family). */
export interface ElfObjectNeeds {
  /** Path inside the build: `tiny` for a one-file executable itself, `_internal/libpython3.11.so.1.0`, or a member of a one-file archive. */
  readonly path: string
  /** Newest GLIBC_x.y needed, e.g. '2.34'; '' when none. */
  readonly glibc: string
  /** Newest GLIBCXX_x.y.z (libstdc++), ''. */
  readonly glibcxx: string
  /** Newest CXXABI_x.y.z (libstdc++), ''. */
  readonly cxxabi: string
}

/** One object that needs the floor version, for messages. */
export interface Offender {
  readonly path: string
  /** The symbol version it needs, e.g. GLIBC_2.36. */
  readonly needs: string
}

export interface LinuxFacts {
  /**
   * What was read: `contents` (every ELF file of a one-folder build, or the
   * one-file executable and every ELF member of its archive) or `outer` (the
   * one-file executable alone: Nuitka's compressed payload is not read).
   */
  readonly scope: 'contents' | 'outer'
  /** How many ELF objects were read. */
  readonly objects: number
  /** The glibc every shipped object can load with: the newest GLIBC_x.y needed by any of them; '' when none needs one. */
  readonly glibc: string
  /** The objects that need `glibc`, the worst first (sorted by path). */
  readonly glibcOffenders: readonly Offender[]
  /** Newest GLIBCXX_ needed by any object ('' when none), and whether libstdc++.so.6 ships in the build (then the system's is not used). */
  readonly glibcxx: string
  readonly cxxabi: string
  readonly shipsLibstdcxx: boolean
  /** Per object, sorted by path. */
  readonly objectsNeeds: readonly ElfObjectNeeds[]
}

/** Facts per build; a part is absent when the build has no file of that kind. */
export interface BuildFacts {
  readonly linux?: LinuxFacts
  /** Mach-O architectures and minimum macOS versions (macho.ts). */
  readonly macos?: MacFacts
  /** PE machine and subsystem of every .exe and native DLL (pe.ts). */
  readonly windows?: WindowsFacts
}

export interface WindowsFacts {
  /** Every PE file that ships, with its facts. */
  readonly files: readonly PEFile[]
  /** The build's programs, without '.exe' (other .exe files are a package's payload). */
  readonly programs: readonly string[]
  /** What disagrees with the inputs (a program for another machine, a console/windowed mix-up), errors and warnings. */
  readonly problems: readonly PEProblem[]
}

/** Where an archived build runs, as the assets output gives it (absent: no file of that kind). */
export interface RunsOn {
  /** Linux: the glibc floor ('' when no object needs a versioned symbol). */
  readonly glibc?: string
  /** macOS: the minimum version of the executable and everything it loads ('' when none is named). */
  readonly macos?: string
  /** macOS: the executable's architectures. */
  readonly archs?: readonly string[]
  /** Windows: the programs' machine (x64, arm64; several joined by commas). */
  readonly windows?: string
}
