/**
 * The tests' own reader of a PE file's resources (Microsoft, "PE Format":
 * the .rsrc section, IMAGE_RESOURCE_DIRECTORY and _DATA_ENTRY; "VS_VERSIONINFO
 * structure", "VS_FIXEDFILEINFO", "String structure"), independent of the
 * action's PE code: what Windows Explorer shows in an executable's
 * Properties (its version strings) and which icon it shows.
 */

/** Resource types used here (winuser.h: RT_ICON, RT_GROUP_ICON, RT_VERSION). */
export const RT_ICON = 3
export const RT_GROUP_ICON = 14
export const RT_VERSION = 16

export interface PEResource {
  readonly type: number | string
  readonly name: number | string
  readonly lang: number
  readonly data: Buffer
}

interface Section {
  readonly va: number
  readonly size: number
  readonly raw: number
}

/** Every resource of a PE32+ or PE32 file, each with its type, name, language and bytes. */
export function peResources(buf: Buffer): PEResource[] {
  if (buf.readUInt16LE(0) !== 0x5a4d) throw new Error('not a PE file: no MZ header')
  const pe = buf.readUInt32LE(0x3c)
  if (buf.readUInt32LE(pe) !== 0x4550) throw new Error('not a PE file: no PE signature')
  const sections = buf.readUInt16LE(pe + 6)
  const optSize = buf.readUInt16LE(pe + 20)
  const opt = pe + 24
  const dirs = opt + (buf.readUInt16LE(opt) === 0x20b ? 112 : 96)
  const rsrcRva = buf.readUInt32LE(dirs + 2 * 8)
  if (!rsrcRva) return []
  const table: Section[] = []
  for (let i = 0; i < sections; i++) {
    const s = opt + optSize + i * 40
    table.push({ va: buf.readUInt32LE(s + 12), size: Math.max(buf.readUInt32LE(s + 8), buf.readUInt32LE(s + 16)), raw: buf.readUInt32LE(s + 20) })
  }
  const offset = (rva: number): number => {
    const s = table.find((t) => rva >= t.va && rva < t.va + t.size)
    if (!s) throw new Error(`RVA 0x${rva.toString(16)} is in no section`)
    return rva - s.va + s.raw
  }
  const base = offset(rsrcRva)
  const nameAt = (off: number): string => buf.toString('utf16le', base + off + 2, base + off + 2 + 2 * buf.readUInt16LE(base + off))
  const entries = (dir: number): { id: number | string; target: number; isDir: boolean }[] => {
    const count = buf.readUInt16LE(base + dir + 12) + buf.readUInt16LE(base + dir + 14)
    return Array.from({ length: count }, (_, i) => {
      const e = base + dir + 16 + i * 8
      const name = buf.readUInt32LE(e)
      const target = buf.readUInt32LE(e + 4)
      return { id: name & 0x80000000 ? nameAt(name & 0x7fffffff) : name, target: target & 0x7fffffff, isDir: Boolean(target & 0x80000000) }
    })
  }
  const out: PEResource[] = []
  for (const type of entries(0).filter((e) => e.isDir))
    for (const name of entries(type.target).filter((e) => e.isDir))
      for (const lang of entries(name.target).filter((e) => !e.isDir)) {
        const leaf = base + lang.target
        const at = offset(buf.readUInt32LE(leaf))
        out.push({ type: type.id, name: name.id, lang: lang.id as number, data: buf.subarray(at, at + buf.readUInt32LE(leaf + 4)) })
      }
  return out
}

export interface VersionInfo {
  /** VS_FIXEDFILEINFO's file and product versions, as a.b.c.d. */
  readonly fileVersion: string
  readonly productVersion: string
  /** The StringFileInfo strings (FileVersion, ProductVersion, ProductName, …) of the first string table. */
  readonly strings: Record<string, string>
}

interface Block {
  readonly key: string
  readonly value: Buffer
  readonly type: number
  readonly children: Block[]
}

const align4 = (n: number): number => (n + 3) & ~3

/** One VS_VERSIONINFO-shaped block (wLength, wValueLength, wType, szKey, value, children) at `at`. */
function block(buf: Buffer, at: number): Block {
  const length = buf.readUInt16LE(at)
  const valueLength = buf.readUInt16LE(at + 2)
  const type = buf.readUInt16LE(at + 4)
  let p = at + 6
  let key = ''
  for (let c = buf.readUInt16LE(p); c !== 0; c = buf.readUInt16LE(p)) {
    key += String.fromCharCode(c)
    p += 2
  }
  p = align4(p + 2)
  // A text value's length counts UTF-16 characters (with its NUL), a binary one's bytes.
  const valueBytes = type === 1 ? valueLength * 2 : valueLength
  const value = buf.subarray(p, p + valueBytes)
  p = align4(p + valueBytes)
  const children: Block[] = []
  while (p < at + length) {
    const child = block(buf, p)
    children.push(child)
    p = align4(p + buf.readUInt16LE(p))
  }
  return { key, value, type, children }
}

/** The version resource of a PE file (undefined when it has none). */
export function versionInfo(buf: Buffer): VersionInfo | undefined {
  const res = peResources(buf).find((r) => r.type === RT_VERSION)
  if (!res) return undefined
  const root = block(res.data, 0)
  if (root.key !== 'VS_VERSION_INFO' || root.value.readUInt32LE(0) !== 0xfeef04bd) throw new Error('not a VS_VERSIONINFO resource')
  const quad = (ms: number, ls: number): string => [ms >>> 16, ms & 0xffff, ls >>> 16, ls & 0xffff].join('.')
  const fixed = root.value
  const table = root.children.find((c) => c.key === 'StringFileInfo')?.children[0]
  const strings = Object.fromEntries((table?.children ?? []).map((s) => [s.key, s.value.toString('utf16le').replace(/\0+$/, '')]))
  return {
    fileVersion: quad(fixed.readUInt32LE(8), fixed.readUInt32LE(12)),
    productVersion: quad(fixed.readUInt32LE(16), fixed.readUInt32LE(20)),
    strings
  }
}

/**
 * A valid .ico file with one 16×16 32-bit image of the given colour
 * (ICONDIR, one ICONDIRENTRY, then a BITMAPINFOHEADER with the height
 * doubled for the AND mask, the pixels, and an all-opaque mask), and the
 * image's bytes, which an executable that carries it holds as an RT_ICON.
 */
export function makeIco(bgra: readonly [number, number, number, number]): { ico: Buffer; image: Buffer } {
  const header = Buffer.alloc(40)
  header.writeUInt32LE(40, 0)
  header.writeInt32LE(16, 4)
  header.writeInt32LE(32, 8)
  header.writeUInt16LE(1, 12)
  header.writeUInt16LE(32, 14)
  header.writeUInt32LE(16 * 16 * 4 + 16 * 4, 20)
  const pixels = Buffer.alloc(16 * 16 * 4)
  for (let i = 0; i < 256; i++) Buffer.from(bgra).copy(pixels, i * 4)
  const image = Buffer.concat([header, pixels, Buffer.alloc(16 * 4)])
  const dir = Buffer.alloc(6 + 16)
  dir.writeUInt16LE(0, 0)
  dir.writeUInt16LE(1, 2)
  dir.writeUInt16LE(1, 4)
  dir.writeUInt8(16, 6)
  dir.writeUInt8(16, 7)
  dir.writeUInt16LE(1, 10)
  dir.writeUInt16LE(32, 12)
  dir.writeUInt32LE(image.length, 14)
  dir.writeUInt32LE(dir.length, 18)
  return { ico: Buffer.concat([dir, image]), image }
}
