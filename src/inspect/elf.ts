/**
 * A structural reader of ELF files: the header, the section headers, and the
 * version needs (SHT_GNU_verneed, `.gnu.version_r`) with their names from the
 * linked string table — what `readelf -V` prints under "Version needs". 32 and
 * 64-bit, little and big endian. Pure: it reads bytes through a callback and
 * never starts a process. No regex ever runs over the raw bytes.
 */
import * as fs from 'node:fs'

/** The first four bytes of every ELF file. */
export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46])

const SHT_GNU_VERNEED = 0x6ffffffe
const VERNEED_SIZE = 16
const VERNAUX_SIZE = 16
/** Bounds that no real file reaches; a file past them is corrupt, not big. */
const MAX_SECTIONS = 65535 * 4
const MAX_NEEDS = 4096

export class ElfError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ElfError'
  }
}

/** One Elf_Verneed entry: a shared library this object was linked against, and the versions it needs from it. */
export interface VersionNeed {
  /** The library's file name, e.g. `libc.so.6`. */
  readonly file: string
  /** The version names, e.g. `GLIBC_2.34`, in the file's order. */
  readonly versions: readonly string[]
}

export interface ElfInfo {
  readonly bits: 32 | 64
  readonly littleEndian: boolean
  /** e_type: 2 executable, 3 shared object (or PIE executable), 1 relocatable. */
  readonly type: number
  /** e_machine: 62 x86-64, 183 AArch64, 3 i386, 40 ARM, … */
  readonly machine: number
  /** Whether the file has a version-needs section at all (static programs and some libraries have none). */
  readonly hasVersionNeeds: boolean
  readonly needs: readonly VersionNeed[]
  /** Where the needs were read: the section headers (as readelf -V), or the dynamic segment of a file without them. */
  readonly source: 'sections' | 'dynamic'
}

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export type ByteSource = (offset: number, length: number) => Buffer

export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && Buffer.from(head.subarray(0, 4)).equals(ELF_MAGIC)
}

/** A ByteSource over a buffer. */
export function bufferSource(buf: Buffer): ByteSource {
  return (offset, length) => buf.subarray(Math.min(offset, buf.length), Math.min(offset + length, buf.length))
}

/** Parses an ELF file held in memory. */
export function parseElf(buf: Buffer): ElfInfo {
  return readElf(bufferSource(buf), buf.length)
}

/** Reads an ELF file from disk, reading only the header, section headers and the version-needs section with its strings. */
export function readElfFile(file: string): ElfInfo {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const source: ByteSource = (offset, length) => {
      const n = Math.max(0, Math.min(length, size - offset))
      const out = Buffer.alloc(n)
      let done = 0
      while (done < n) {
        const got = fs.readSync(fd, out, done, n - done, offset + done)
        if (got === 0) break
        done += got
      }
      return out.subarray(0, done)
    }
    return readElf(source, size)
  } finally {
    fs.closeSync(fd)
  }
}

/** Whether a file on disk starts with the ELF magic. */
export function fileIsElf(file: string): boolean {
  const fd = fs.openSync(file, 'r')
  try {
    const head = Buffer.alloc(4)
    return fs.readSync(fd, head, 0, 4, 0) === 4 && isElf(head)
  } finally {
    fs.closeSync(fd)
  }
}

interface Section {
  readonly type: number
  readonly offset: number
  readonly size: number
  readonly link: number
  readonly info: number
}

/** Little or big endian, 32 or 64-bit field readers over one buffer. */
class Fields {
  constructor(
    private readonly buf: Buffer,
    private readonly le: boolean
  ) {}
  private need(at: number, n: number, what: string): void {
    if (at < 0 || at + n > this.buf.length) throw new ElfError(`truncated ${what}`)
  }
  u16(at: number, what: string): number {
    this.need(at, 2, what)
    return this.le ? this.buf.readUInt16LE(at) : this.buf.readUInt16BE(at)
  }
  u32(at: number, what: string): number {
    this.need(at, 4, what)
    return this.le ? this.buf.readUInt32LE(at) : this.buf.readUInt32BE(at)
  }
  u64(at: number, what: string): number {
    this.need(at, 8, what)
    const v = this.le ? this.buf.readBigUInt64LE(at) : this.buf.readBigUInt64BE(at)
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${what} is out of range`)
    return Number(v)
  }
  /** A word: 4 bytes in ELF32, 8 in ELF64. */
  word(bits: 32 | 64, at: number, what: string): number {
    return bits === 64 ? this.u64(at, what) : this.u32(at, what)
  }
}

/** Reads the header, section headers and version needs through `read`; `size` is the file's length. */
export function readElf(read: ByteSource, size: number): ElfInfo {
  const ident = read(0, 64)
  if (!isElf(ident)) throw new ElfError('not an ELF file (no \\x7fELF magic)')
  if (ident.length < 16) throw new ElfError('truncated ELF identification')
  const cls = ident[4]
  const data = ident[5]
  if (cls !== 1 && cls !== 2) throw new ElfError(`unknown ELF class ${cls}`)
  if (data !== 1 && data !== 2) throw new ElfError(`unknown ELF data encoding ${data}`)
  const bits = cls === 2 ? 64 : 32
  const le = data === 1
  const h = new Fields(ident, le)
  const type = h.u16(16, 'ELF header')
  const machine = h.u16(18, 'ELF header')
  const shoff = h.word(bits, bits === 64 ? 40 : 32, 'ELF header')
  const shentsize = h.u16(bits === 64 ? 58 : 46, 'ELF header')
  let shnum = h.u16(bits === 64 ? 60 : 48, 'ELF header')
  const minEntry = bits === 64 ? 64 : 40
  const phoff = h.word(bits, bits === 64 ? 32 : 28, 'ELF header')
  const phentsize = h.u16(bits === 64 ? 54 : 42, 'ELF header')
  const phnum = h.u16(bits === 64 ? 56 : 44, 'ELF header')
  const segments = { bits, le, phoff, phentsize, phnum } as const
  // Without section headers (sstrip, some packers) the loader still reads the dynamic segment: so do we.
  if (shoff === 0 || (shnum === 0 && sectionCount(read, bits, le, shoff, shentsize) === 0)) {
    const needs = readDynamicVersionNeeds(read, segments)
    return { bits, littleEndian: le, type, machine, hasVersionNeeds: needs !== undefined, needs: needs ?? [], source: 'dynamic' }
  }
  if (shentsize < minEntry) throw new ElfError(`section header entries of ${shentsize} bytes (at least ${minEntry} expected)`)

  const sectionAt = (index: number): Section => {
    const raw = read(shoff + index * shentsize, shentsize)
    if (raw.length < minEntry) throw new ElfError(`section header ${index} lies past the end of the file`)
    const f = new Fields(raw, le)
    return bits === 64
      ? {
          type: f.u32(4, 'section header'),
          offset: f.u64(24, 'section header'),
          size: f.u64(32, 'section header'),
          link: f.u32(40, 'section header'),
          info: f.u32(44, 'section header')
        }
      : {
          type: f.u32(4, 'section header'),
          offset: f.u32(16, 'section header'),
          size: f.u32(20, 'section header'),
          link: f.u32(24, 'section header'),
          info: f.u32(28, 'section header')
        }
  }
  // More than 0xff00 sections: e_shnum is 0 and the count is section 0's sh_size.
  if (shnum === 0) shnum = sectionAt(0).size
  if (shnum > MAX_SECTIONS) throw new ElfError(`${shnum} sections`)
  if (shoff + shnum * shentsize > size) throw new ElfError('the section header table lies past the end of the file')

  const sections: Section[] = []
  for (let i = 0; i < shnum; i++) sections.push(sectionAt(i))
  const needs: VersionNeed[] = []
  let hasVersionNeeds = false
  for (const s of sections) {
    if (s.type !== SHT_GNU_VERNEED) continue
    hasVersionNeeds = true
    const strtab = sections[s.link]
    if (!strtab) throw new ElfError(`the version-needs section links to section ${s.link}, which does not exist`)
    needs.push(...readVersionNeeds(read, s, strtab, le))
  }
  return { bits, littleEndian: le, type, machine, hasVersionNeeds, needs, source: 'sections' }
}

/** e_shnum of 0 with a section header table: the count is section 0's sh_size. */
function sectionCount(read: ByteSource, bits: 32 | 64, le: boolean, shoff: number, shentsize: number): number {
  const raw = read(shoff, shentsize)
  if (raw.length < (bits === 64 ? 40 : 24)) return 0
  const f = new Fields(raw, le)
  return bits === 64 ? f.u64(32, 'section header') : f.u32(20, 'section header')
}

const PT_LOAD = 1
const PT_DYNAMIC = 2
const DT_NULL = 0
const DT_STRTAB = 5
const DT_STRSZ = 10
const DT_VERNEED = 0x6ffffffe
const DT_VERNEEDNUM = 0x6fffffff

interface Segments {
  readonly bits: 32 | 64
  readonly le: boolean
  readonly phoff: number
  readonly phentsize: number
  readonly phnum: number
}

/**
 * The version needs from the dynamic segment (DT_VERNEED, DT_VERNEEDNUM,
 * DT_STRTAB, DT_STRSZ), addresses mapped to file offsets through the PT_LOAD
 * segments, as the dynamic loader sees them. Undefined when there are none.
 */
function readDynamicVersionNeeds(read: ByteSource, seg: Segments): VersionNeed[] | undefined {
  const { bits, le } = seg
  const minEntry = bits === 64 ? 56 : 32
  if (!seg.phoff || !seg.phnum) return undefined
  if (seg.phentsize < minEntry) throw new ElfError(`program header entries of ${seg.phentsize} bytes (at least ${minEntry} expected)`)
  const loads: { offset: number; vaddr: number; filesz: number }[] = []
  let dynamic: { offset: number; size: number } | undefined
  for (let i = 0; i < seg.phnum; i++) {
    const raw = read(seg.phoff + i * seg.phentsize, seg.phentsize)
    if (raw.length < minEntry) throw new ElfError(`program header ${i} lies past the end of the file`)
    const f = new Fields(raw, le)
    const type = f.u32(0, 'program header')
    const offset = bits === 64 ? f.u64(8, 'program header') : f.u32(4, 'program header')
    const vaddr = bits === 64 ? f.u64(16, 'program header') : f.u32(8, 'program header')
    const filesz = bits === 64 ? f.u64(32, 'program header') : f.u32(16, 'program header')
    if (type === PT_LOAD) loads.push({ offset, vaddr, filesz })
    if (type === PT_DYNAMIC) dynamic = { offset, size: filesz }
  }
  if (!dynamic) return undefined
  const entry = bits === 64 ? 16 : 8
  const table = read(dynamic.offset, dynamic.size)
  const f = new Fields(table, le)
  const tags = new Map<number, number>()
  for (let at = 0; at + entry <= table.length; at += entry) {
    const tag = bits === 64 ? Number(le ? table.readBigInt64LE(at) : table.readBigInt64BE(at)) : f.u32(at, 'dynamic entry')
    if (tag === DT_NULL) break
    if ([DT_STRTAB, DT_STRSZ, DT_VERNEED, DT_VERNEEDNUM].includes(tag)) tags.set(tag, f.word(bits, at + entry / 2, 'dynamic entry'))
  }
  const verneed = tags.get(DT_VERNEED)
  const strtab = tags.get(DT_STRTAB)
  if (verneed === undefined || strtab === undefined) return undefined
  const toOffset = (vaddr: number, what: string): number => {
    const load = loads.find((l) => vaddr >= l.vaddr && vaddr < l.vaddr + l.filesz)
    if (!load) throw new ElfError(`the ${what} address 0x${vaddr.toString(16)} is in no loaded segment`)
    return load.offset + (vaddr - load.vaddr)
  }
  const strOffset = toOffset(strtab, 'string table')
  const strSize = tags.get(DT_STRSZ) ?? 0
  const needOffset = toOffset(verneed, 'version-needs')
  const count = Math.min(tags.get(DT_VERNEEDNUM) ?? 0, MAX_NEEDS)
  // The chain's length is not recorded in the dynamic segment: read up to the end of its loaded segment.
  const load = loads.find((l) => verneed >= l.vaddr && verneed < l.vaddr + l.filesz)!
  const size = load.offset + load.filesz - needOffset
  return readVersionNeeds(
    read,
    { type: SHT_GNU_VERNEED, offset: needOffset, size, link: 0, info: count },
    { type: 3, offset: strOffset, size: strSize, link: 0, info: 0 },
    le
  )
}

function sectionBytes(read: ByteSource, s: Section, what: string): Buffer {
  const bytes = read(s.offset, s.size)
  if (bytes.length < s.size) throw new ElfError(`the ${what} lies past the end of the file`)
  return bytes
}

/** A NUL-terminated string at `at` in a string table. */
function stringAt(table: Buffer, at: number): string {
  if (at >= table.length) throw new ElfError(`string offset ${at} is outside its string table (${table.length} bytes)`)
  const end = table.indexOf(0, at)
  return table.toString('latin1', at, end < 0 ? table.length : end)
}

/** Walks the Elf_Verneed chain (sh_info entries, each with vn_cnt Elf_Vernaux entries), the layout shared by ELF32 and ELF64. */
function readVersionNeeds(read: ByteSource, s: Section, strtab: Section, le: boolean): VersionNeed[] {
  const bytes = sectionBytes(read, s, 'version-needs section')
  const strings = sectionBytes(read, strtab, 'version-needs string table')
  const f = new Fields(bytes, le)
  const out: VersionNeed[] = []
  let at = 0
  const count = Math.min(s.info, MAX_NEEDS)
  for (let i = 0; i < count; i++) {
    if (at + VERNEED_SIZE > bytes.length) throw new ElfError(`version need ${i} lies past the end of its section`)
    const cnt = f.u16(at + 2, 'version need')
    const file = stringAt(strings, f.u32(at + 4, 'version need'))
    const aux = f.u32(at + 8, 'version need')
    const next = f.u32(at + 12, 'version need')
    const versions: string[] = []
    let a = at + aux
    for (let j = 0; j < cnt; j++) {
      if (a + VERNAUX_SIZE > bytes.length) throw new ElfError(`version ${j} of ${file} lies past the end of its section`)
      versions.push(stringAt(strings, f.u32(a + 8, 'version')))
      const nextAux = f.u32(a + 12, 'version')
      if (nextAux === 0) break
      a += nextAux
    }
    out.push({ file, versions })
    if (next === 0) break
    at += next
  }
  return out
}

// ---- symbol versions

/** A version such as 2.36 or 2.2.5 as numbers, for comparing. */
export type VersionNumbers = readonly number[]

export function parseVersion(text: string): VersionNumbers {
  return text.split('.').map(Number)
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a)
  const y = parseVersion(b)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d) return d
  }
  return 0
}

/** The families of symbol versions that say which system a binary needs. */
export type VersionFamily = 'GLIBC' | 'GLIBCXX' | 'CXXABI'

const FAMILY_VERSION = /^(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)*)$/

/** `GLIBC_2.34` → { family: GLIBC, version: 2.34 }; GLIBC_PRIVATE and other names → undefined. (A regex over one name string, never over file bytes.) */
export function familyVersion(name: string): { family: VersionFamily; version: string } | undefined {
  const m = FAMILY_VERSION.exec(name)
  return m ? { family: m[1] as VersionFamily, version: m[2] } : undefined
}

/** The newest version of each family an object needs, with the symbol version name that asks for it. */
export function newestNeeds(needs: readonly VersionNeed[]): Partial<Record<VersionFamily, { version: string; name: string; from: string }>> {
  const out: Partial<Record<VersionFamily, { version: string; name: string; from: string }>> = {}
  for (const need of needs)
    for (const name of need.versions) {
      const fv = familyVersion(name)
      if (!fv) continue
      const had = out[fv.family]
      if (!had || compareVersions(fv.version, had.version) > 0) out[fv.family] = { version: fv.version, name, from: need.file }
    }
  return out
}
