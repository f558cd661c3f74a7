/**
 * binutils' readelf as the independent reference for src/inspect/elf.ts: the
 * version needs as `readelf -V --wide` prints them, and a writer of small ELF
 * files (32/64-bit, little/big endian) with chosen version needs.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

export interface ReadelfNeed {
  readonly file: string
  readonly versions: readonly string[]
}

export const hasReadelf = (): boolean => spawnSync('readelf', ['--version']).status === 0

/** The "Version needs" sections of `readelf -V --wide file`, in order. */
export function readelfNeeds(file: string): ReadelfNeed[] {
  const r = spawnSync('readelf', ['-V', '--wide', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`readelf -V ${file} failed: ${r.stderr}`)
  const out: ReadelfNeed[] = []
  let inNeeds = false
  for (const line of r.stdout.split('\n')) {
    if (/^Version needs section /.test(line)) {
      inNeeds = true
      continue
    }
    if (/^\S/.test(line)) inNeeds = false
    if (!inNeeds) continue
    const file = /^\s+\S+: Version: \d+\s+File: (\S+)\s+Cnt: \d+/.exec(line)
    if (file) out.push({ file: file[1], versions: [] })
    const name = /^\s+\S+:\s+Name: (\S+)\s+Flags:/.exec(line)
    if (name) (out[out.length - 1].versions as string[]).push(name[1])
  }
  return out
}

/** The newest GLIBC_x.y in readelf's view of a file ('' when none), computed without src/. */
export function readelfGlibc(file: string): string {
  let best: number[] = []
  for (const need of readelfNeeds(file))
    for (const v of need.versions) {
      const m = /^GLIBC_(\d+(?:\.\d+)+)$/.exec(v)
      if (!m) continue
      const n = m[1].split('.').map(Number)
      const cmp = (() => {
        for (let i = 0; i < Math.max(n.length, best.length); i++) if ((n[i] ?? 0) !== (best[i] ?? 0)) return (n[i] ?? 0) - (best[i] ?? 0)
        return 0
      })()
      if (!best.length || cmp > 0) best = n
    }
  return best.join('.')
}

/** Every ELF file under `dir` (regular files only, by their first four bytes); with `recursive` false, only those directly in it. */
export function elfFilesUnder(dir: string, recursive = true): string[] {
  const out: string[] = []
  const visit = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name)
      if (e.isDirectory()) {
        if (recursive) visit(full)
      } else if (e.isFile()) {
        const fd = fs.openSync(full, 'r')
        const head = Buffer.alloc(4)
        const n = fs.readSync(fd, head, 0, 4, 0)
        fs.closeSync(fd)
        if (n === 4 && head.toString('latin1') === '\x7fELF') out.push(full)
      }
    }
  }
  visit(dir)
  return out.sort()
}

export interface ElfSpec {
  readonly bits: 32 | 64
  readonly littleEndian: boolean
  readonly needs: readonly ReadelfNeed[]
  /** e_machine; x86-64 (62) by default. */
  readonly machine?: number
}

/**
 * A minimal relocatable-looking ELF file: header, a null section, .dynstr,
 * .gnu.version_r (linked to .dynstr, sh_info = number of needs) and
 * .shstrtab. Laid out as the gABI and the GNU versioning spec say.
 */
export function writeElf(spec: ElfSpec): Buffer {
  const { bits, littleEndian: le } = spec
  // String tables
  const dyn: string[] = ['']
  const dynOffset = (s: string): number => {
    const text = dyn.join('\0') + '\0'
    const at = text.indexOf(`\0${s}\0`)
    if (at >= 0) return at + 1
    dyn.push(s)
    return dyn.slice(0, -1).join('\0').length + 1
  }
  const needOffsets = spec.needs.map((n) => ({ file: dynOffset(n.file), versions: n.versions.map(dynOffset) }))
  const dynstr = Buffer.from(dyn.join('\0') + '\0', 'latin1')
  const shNames = ['', '.dynstr', '.gnu.version_r', '.shstrtab']
  const shstr = Buffer.from(shNames.join('\0') + '\0', 'latin1')
  const shName = (i: number): number => shNames.slice(0, i).join('\0').length + (i ? 1 : 0)

  // .gnu.version_r
  const vr = Buffer.alloc(spec.needs.reduce((s, n) => s + 16 + 16 * n.versions.length, 0))
  const u16 = (b: Buffer, at: number, v: number): number => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at))
  const u32 = (b: Buffer, at: number, v: number): number => (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at))
  const u64 = (b: Buffer, at: number, v: number): number => (le ? b.writeBigUInt64LE(BigInt(v), at) : b.writeBigUInt64BE(BigInt(v), at))
  let at = 0
  let index = 2
  needOffsets.forEach((n, i) => {
    const size = 16 + 16 * n.versions.length
    u16(vr, at, 1)
    u16(vr, at + 2, n.versions.length)
    u32(vr, at + 4, n.file)
    u32(vr, at + 8, n.versions.length ? 16 : 0)
    u32(vr, at + 12, i === needOffsets.length - 1 ? 0 : size)
    n.versions.forEach((v, j) => {
      const a = at + 16 + 16 * j
      u32(vr, a, 0x0d696914 + j) // vna_hash: readelf does not check it
      u16(vr, a + 4, 0)
      u16(vr, a + 6, index++)
      u32(vr, a + 8, v)
      u32(vr, a + 12, j === n.versions.length - 1 ? 0 : 16)
    })
    at += size
  })

  const ehsize = bits === 64 ? 64 : 52
  const shentsize = bits === 64 ? 64 : 40
  const align = (n: number): number => (n + 7) & ~7
  const dynstrOff = ehsize
  const vrOff = align(dynstrOff + dynstr.length)
  const shstrOff = vrOff + vr.length
  const shoff = align(shstrOff + shstr.length)
  const total = shoff + 4 * shentsize
  const out = Buffer.alloc(total)
  out.set([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, le ? 1 : 2, 1, 0], 0)
  u16(out, 16, 3) // ET_DYN
  u16(out, 18, spec.machine ?? 62)
  u32(out, 20, 1)
  if (bits === 64) {
    u64(out, 40, shoff)
    u16(out, 52, ehsize)
    u16(out, 58, shentsize)
    u16(out, 60, 4)
    u16(out, 62, 3)
  } else {
    u32(out, 32, shoff)
    u16(out, 40, ehsize)
    u16(out, 46, shentsize)
    u16(out, 48, 4)
    u16(out, 50, 3)
  }
  dynstr.copy(out, dynstrOff)
  vr.copy(out, vrOff)
  shstr.copy(out, shstrOff)
  const section = (i: number, type: number, offset: number, size: number, link: number, info: number, addralign: number): void => {
    const base = shoff + i * shentsize
    u32(out, base, shName(i))
    u32(out, base + 4, type)
    if (bits === 64) {
      u64(out, base + 24, offset)
      u64(out, base + 32, size)
      u32(out, base + 40, link)
      u32(out, base + 44, info)
      u64(out, base + 48, addralign)
    } else {
      u32(out, base + 16, offset)
      u32(out, base + 20, size)
      u32(out, base + 24, link)
      u32(out, base + 28, info)
      u32(out, base + 32, addralign)
    }
  }
  section(1, 3, dynstrOff, dynstr.length, 0, 0, 1) // SHT_STRTAB
  section(2, 0x6ffffffe, vrOff, vr.length, 1, spec.needs.length, bits === 64 ? 8 : 4)
  section(3, 3, shstrOff, shstr.length, 0, 0, 1)
  return out
}
