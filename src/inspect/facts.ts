/**
 * What the inspect stage found out about each build: types only, no logic and
 * no imports, so that the package and report modules can read facts without
 * importing the stage. One optional part per system: `linux` (ELF, here),
 * and the parts the Mach-O and PE readers add (`macos`, `windows`).
 */

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
  // macos?: MacFacts — Mach-O minimum versions and architectures (src/inspect/macho.ts)
  // windows?: WindowsFacts — PE machine and subsystem (src/inspect/pe.ts)
}
