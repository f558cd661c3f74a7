/**
 * What a Mach-O file says about the Macs it runs on: its architectures and,
 * per architecture, the minimum macOS version. Pure functions over bytes the
 * caller read; nothing here opens a file or starts a program.
 *
 * The layouts are Apple's `<mach-o/loader.h>` and `<mach-o/fat.h>` (e.g.
 * apple/darwin-xnu EXTERNAL_HEADERS/mach-o/loader.h and fat.h):
 * - a thin file starts with `mach_header` (28 bytes, MH_MAGIC 0xfeedface) or
 *   `mach_header_64` (32 bytes, MH_MAGIC_64 0xfeedfacf), in the file's own byte
 *   order (little-endian for x86_64 and arm64, so the bytes read cf fa ed fe);
 * - a universal ("fat") file starts with a big-endian `fat_header` (FAT_MAGIC
 *   0xcafebabe, or FAT_MAGIC_64 0xcafebabf) and `nfat_arch` entries of
 *   `fat_arch` (20 bytes) or `fat_arch_64` (32 bytes: 64-bit offset and size),
 *   each pointing at a thin file;
 * - the minimum macOS is `minos` of LC_BUILD_VERSION (0x32) when its platform is
 *   PLATFORM_MACOS (1), or `version` of LC_VERSION_MIN_MACOSX (0x24), the older
 *   command; both encode X.Y.Z in nibbles as xxxx.yy.zz.
 * PyInstaller 6.22.3's own universal2 bootloader carries both kinds: its x86_64
 * slice has LC_VERSION_MIN_MACOSX 10.13, its arm64 slice LC_BUILD_VERSION minos
 * 11.0 (__tests__/unit/macho.test.ts reads them).
 */

/** An architecture as Apple's tools name it (lipo, file): x86_64, arm64, arm64e, i386, … */
export type MachOArch = string

export type MachOFileType = 'object' | 'execute' | 'dylib' | 'dylinker' | 'bundle' | 'dsym' | 'other'

export interface MachOSlice {
  readonly arch: MachOArch
  readonly fileType: MachOFileType
  /** Minimum macOS as 'major.minor' or 'major.minor.patch'; undefined when the slice names none. */
  readonly minos?: string
  /** Which load command gave `minos`. */
  readonly minosFrom?: 'LC_BUILD_VERSION' | 'LC_VERSION_MIN_MACOSX'
  /** False when the buffer ended before the slice's load commands did (its `minos` may then be missing). */
  readonly complete: boolean
}

export interface MachOFacts {
  /** A fat/universal file (even with one slice). */
  readonly universal: boolean
  readonly slices: readonly MachOSlice[]
}

const MH_MAGIC = 0xfeedface
const MH_MAGIC_64 = 0xfeedfacf
const MH_CIGAM = 0xcefaedfe
const MH_CIGAM_64 = 0xcffaedfe
const FAT_MAGIC = 0xcafebabe
const FAT_MAGIC_64 = 0xcafebabf
/** Java class files also start with 0xcafebabe, followed by their version (major ≥ 45): real fat files have few slices. */
const MAX_FAT_ARCHS = 20

const LC_VERSION_MIN_MACOSX = 0x24
const LC_BUILD_VERSION = 0x32
const PLATFORM_MACOS = 1

const CPU_ARCH_ABI64 = 0x01000000
const CPU_ARCH_ABI64_32 = 0x02000000
const CPU_TYPE_X86 = 7
const CPU_TYPE_ARM = 12
const CPU_TYPE_POWERPC = 18
const CPU_SUBTYPE_MASK = 0xff000000
const CPU_SUBTYPE_X86_64_H = 8
const CPU_SUBTYPE_ARM64E = 2

const FILE_TYPES: Record<number, MachOFileType> = { 1: 'object', 2: 'execute', 6: 'dylib', 7: 'dylinker', 8: 'bundle', 10: 'dsym' }

/** The name lipo and file(1) give a (cputype, cpusubtype) pair. */
export function archName(cputype: number, cpusubtype: number): MachOArch {
  const sub = (cpusubtype & ~CPU_SUBTYPE_MASK) >>> 0
  switch (cputype >>> 0) {
    case CPU_TYPE_X86:
      return 'i386'
    case (CPU_TYPE_X86 | CPU_ARCH_ABI64) >>> 0:
      return sub === CPU_SUBTYPE_X86_64_H ? 'x86_64h' : 'x86_64'
    case CPU_TYPE_ARM:
      return 'arm'
    case (CPU_TYPE_ARM | CPU_ARCH_ABI64) >>> 0:
      return sub === CPU_SUBTYPE_ARM64E ? 'arm64e' : 'arm64'
    case (CPU_TYPE_ARM | CPU_ARCH_ABI64_32) >>> 0:
      return 'arm64_32'
    case CPU_TYPE_POWERPC:
      return 'ppc'
    case (CPU_TYPE_POWERPC | CPU_ARCH_ABI64) >>> 0:
      return 'ppc64'
    default:
      return `cputype-0x${(cputype >>> 0).toString(16)}`
  }
}

/** xxxx.yy.zz nibbles → '11.0', '10.13', '13.3.1'. */
export function formatMachOVersion(v: number): string {
  const major = v >>> 16
  const minor = (v >>> 8) & 0xff
  const patch = v & 0xff
  return patch ? `${major}.${minor}.${patch}` : `${major}.${minor}`
}

/** Compares dotted versions numerically: '10.13' < '11.0', '10.9' < '10.13'. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d) return d
  }
  return 0
}

const bytes = (buf: Uint8Array): DataView => new DataView(buf.buffer, buf.byteOffset, buf.byteLength)

/** One thin Mach-O file at `offset`, or undefined when no Mach-O header is there. */
function readThin(view: DataView, offset: number): MachOSlice | undefined {
  if (offset + 28 > view.byteLength) return undefined
  const magic = view.getUint32(offset, false)
  let little: boolean
  if (magic === MH_MAGIC || magic === MH_MAGIC_64) little = false
  else if (magic === MH_CIGAM || magic === MH_CIGAM_64) little = true
  else return undefined
  const is64 = magic === MH_MAGIC_64 || magic === MH_CIGAM_64
  const headerSize = is64 ? 32 : 28
  if (offset + headerSize > view.byteLength) return undefined
  const u32 = (at: number): number => view.getUint32(at, little)
  const arch = archName(u32(offset + 4), u32(offset + 8))
  const fileType = FILE_TYPES[u32(offset + 12)] ?? 'other'
  const ncmds = u32(offset + 16)
  const sizeofcmds = u32(offset + 20)
  const end = offset + headerSize + sizeofcmds
  let at = offset + headerSize
  let complete = end <= view.byteLength
  let build: string | undefined
  let versionMin: string | undefined
  for (let i = 0; i < ncmds; i++) {
    if (at + 8 > Math.min(end, view.byteLength)) {
      complete = false
      break
    }
    const cmd = u32(at)
    const cmdsize = u32(at + 4)
    if (cmdsize < 8 || at + cmdsize > end) break // a malformed command: what was read so far stands
    if (at + cmdsize > view.byteLength) {
      complete = false
      break
    }
    if (cmd === LC_BUILD_VERSION && cmdsize >= 24 && u32(at + 8) === PLATFORM_MACOS) build = formatMachOVersion(u32(at + 12))
    else if (cmd === LC_VERSION_MIN_MACOSX && cmdsize >= 16) versionMin = formatMachOVersion(u32(at + 8))
    at += cmdsize
  }
  if (build) return { arch, fileType, minos: build, minosFrom: 'LC_BUILD_VERSION', complete }
  if (versionMin) return { arch, fileType, minos: versionMin, minosFrom: 'LC_VERSION_MIN_MACOSX', complete }
  return { arch, fileType, complete }
}

/**
 * The facts of a Mach-O file (thin or universal), or undefined for anything
 * else (ELF, PE, text, a Java class file, a file cut off inside its header).
 * For a universal file the buffer should hold the whole file: a slice whose
 * header lies beyond it is reported from the fat header alone, incomplete.
 */
export function readMachO(buf: Uint8Array): MachOFacts | undefined {
  const view = bytes(buf)
  if (view.byteLength < 8) return undefined
  const magic = view.getUint32(0, false)
  if (magic !== FAT_MAGIC && magic !== FAT_MAGIC_64) {
    const slice = readThin(view, 0)
    return slice && { universal: false, slices: [slice] }
  }
  const n = view.getUint32(4, false)
  if (n === 0 || n > MAX_FAT_ARCHS) return undefined
  const entrySize = magic === FAT_MAGIC_64 ? 32 : 20
  if (8 + n * entrySize > view.byteLength) return undefined
  const slices: MachOSlice[] = []
  for (let i = 0; i < n; i++) {
    const e = 8 + i * entrySize
    const cputype = view.getUint32(e, false)
    const cpusubtype = view.getUint32(e + 4, false)
    const offset = magic === FAT_MAGIC_64 ? Number(view.getBigUint64(e + 8, false)) : view.getUint32(e + 8, false)
    const thin = offset < view.byteLength ? readThin(view, offset) : undefined
    if (thin) slices.push(thin)
    else if (offset + 28 > view.byteLength) slices.push({ arch: archName(cputype, cpusubtype), fileType: 'other', complete: false })
    else return undefined // the fat header points at something that is not Mach-O
  }
  return { universal: true, slices }
}

/** The architectures of a file, sorted, without duplicates. */
export function machOArchs(facts: MachOFacts): MachOArch[] {
  return [...new Set(facts.slices.map((s) => s.arch))].sort()
}

/** Where a minimum comes from: the file and its slice. */
export interface MinimumSetter {
  readonly minos: string
  readonly path: string
  readonly arch: MachOArch
}

/** A bundled file that cannot be loaded on one of the executable's architectures. */
export interface MacArchProblem {
  readonly path: string
  /** The executable's architectures the file lacks. */
  readonly missing: readonly MachOArch[]
  /** What the file has. */
  readonly archs: readonly MachOArch[]
}

export interface MacFacts {
  /** The executable's architectures, sorted. */
  readonly archs: readonly MachOArch[]
  /** The highest minimum over the executable and every bundled file, and who sets it; undefined when none names one. */
  readonly minos?: MinimumSetter
  /** The same, per architecture of the executable (a universal2 build runs on older Intel Macs than its arm64 floor). */
  readonly minosByArch: Readonly<Record<MachOArch, MinimumSetter>>
  readonly problems: readonly MacArchProblem[]
  /** How many Mach-O files were looked at, the executable included. */
  readonly files: number
}

export interface MachOFile {
  readonly path: string
  readonly facts: MachOFacts
}

/** Code the loader maps into the process (not object files, debug symbols or dyld itself). */
const loadable = (facts: MachOFacts): boolean =>
  facts.slices.some((s) => s.fileType === 'execute' || s.fileType === 'dylib' || s.fileType === 'bundle' || s.fileType === 'other')

const higher = (a: MinimumSetter | undefined, b: MinimumSetter): MinimumSetter => (!a || compareVersions(b.minos, a.minos) > 0 ? b : a)

/**
 * The macOS facts of one build: `files` are its Mach-O files (the executable
 * among them, found by `executable`, its path). The executable's
 * architectures are what the build offers; every other executable, library
 * and extension module must have them all, or the loader refuses it on the
 * missing one (an arm64e-only library does not load into an arm64 process
 * either, so arm64e does not stand in for arm64).
 */
export function macFacts(files: readonly MachOFile[], executable: string): MacFacts {
  const main = files.find((f) => f.path === executable)
  if (!main) throw new Error(`macFacts: the executable ${executable} is not among the ${files.length} Mach-O files given`)
  const archs = machOArchs(main.facts)
  let minos: MinimumSetter | undefined
  const byArch: Record<MachOArch, MinimumSetter> = {}
  const problems: MacArchProblem[] = []
  for (const f of files) {
    const has = machOArchs(f.facts)
    for (const s of f.facts.slices) {
      if (!s.minos) continue
      const setter = { minos: s.minos, path: f.path, arch: s.arch }
      minos = higher(minos, setter)
      if (archs.includes(s.arch)) byArch[s.arch] = higher(byArch[s.arch], setter)
    }
    if (f === main || !loadable(f.facts)) continue
    const missing = archs.filter((a) => !has.includes(a))
    if (missing.length) problems.push({ path: f.path, missing, archs: has })
  }
  return { archs, minos, minosByArch: byArch, problems, files: files.length }
}

/** Who needs a version, in words: Python's own library is named so; anything else by its file name. */
function setterName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path
  if (/^(lib)?python\d?(\.\d+)*([a-z]*)?(\.dylib)?$/i.test(base) || /^Python$/.test(base)) return 'Python'
  return base
}

/**
 * The summary line for a macOS build, e.g. "runs on macOS ≥ 11.0 (arm64,
 * x86_64): Python needs 11.0; x86_64 from 10.13".
 */
export function describeMac(facts: MacFacts): string {
  const archs = facts.archs.join(', ')
  if (!facts.minos) return `runs on macOS (${archs}): no file names a minimum version`
  let line = `runs on macOS ≥ ${facts.minos.minos} (${archs}): ${setterName(facts.minos.path)} needs ${facts.minos.minos}`
  const lower = facts.archs
    .map((a) => [a, facts.minosByArch[a]] as const)
    .filter(([, s]) => s && compareVersions(s.minos, facts.minos!.minos) < 0)
    .map(([a, s]) => `${a} from ${s.minos}`)
  if (lower.length) line += `; ${lower.join(', ')}`
  if (facts.problems.length)
    line += `; ${facts.problems.length} bundled file${facts.problems.length === 1 ? '' : 's'} lack${facts.problems.length === 1 ? 's' : ''} ${[...new Set(facts.problems.flatMap((p) => p.missing))].join(', ')}`
  return line
}

/** One problem as an error message. */
export function describeMacProblem(p: MacArchProblem): string {
  return `${p.path} has ${p.archs.join(', ') || 'no known architecture'} but not ${p.missing.join(', ')}: the executable would fail to load it on ${p.missing.join(', ')}`
}
