/**
 * An RPM package (.rpm, format 4), written directly and byte-reproducibly, as
 * rpm's own lib/package.c and rpmio read it: the 96-byte lead, the signature
 * header (sizes, MD5, SHA1 and SHA256 digests, no signature), the main header
 * (the package's tags and its file list, compressed file names), and the
 * payload, a gzip'd cpio (newc) archive whose names start with './'. Every
 * time is the build's SOURCE_DATE_EPOCH and every owner root. The build goes
 * under /opt/{name}/, each executable is linked into /usr/bin, and the glibc
 * floor becomes `Requires: glibc >= floor`.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as zlib from 'node:zlib'
import type { ArchiveEntry } from '../archive.js'
import { ARCH_NAMES, type PackageMeta, systemVersion } from './meta.js'
import type { Arch } from '../platform.js'

/** Header data types (rpm's rpmTagType). */
const T = { INT16: 3, INT32: 4, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9 } as const

/** The tags written (rpmtag.h). */
export const TAG = {
  HEADERSIGNATURES: 62,
  HEADERIMMUTABLE: 63,
  HEADERI18NTABLE: 100,
  SIG_SHA1: 269,
  SIG_SHA256: 273,
  SIG_SIZE: 1000,
  SIG_MD5: 1004,
  SIG_PAYLOADSIZE: 1007,
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  SUMMARY: 1004,
  DESCRIPTION: 1005,
  BUILDTIME: 1006,
  BUILDHOST: 1007,
  SIZE: 1009,
  VENDOR: 1011,
  LICENSE: 1014,
  PACKAGER: 1015,
  GROUP: 1016,
  URL: 1020,
  OS: 1021,
  ARCH: 1022,
  FILESIZES: 1028,
  FILEMODES: 1030,
  FILERDEVS: 1033,
  FILEMTIMES: 1034,
  FILEDIGESTS: 1035,
  FILELINKTOS: 1036,
  FILEFLAGS: 1037,
  FILEUSERNAME: 1039,
  FILEGROUPNAME: 1040,
  SOURCERPM: 1044,
  FILEVERIFYFLAGS: 1045,
  PROVIDENAME: 1047,
  REQUIREFLAGS: 1048,
  REQUIRENAME: 1049,
  REQUIREVERSION: 1050,
  RPMVERSION: 1064,
  FILEDEVICES: 1095,
  FILEINODES: 1096,
  FILELANGS: 1097,
  PROVIDEFLAGS: 1112,
  PROVIDEVERSION: 1113,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  PAYLOADFORMAT: 1124,
  PAYLOADCOMPRESSOR: 1125,
  PAYLOADFLAGS: 1126,
  FILEDIGESTALGO: 5011,
  PAYLOADDIGEST: 5092,
  PAYLOADDIGESTALGO: 5093
} as const

/** Dependency sense flags (rpmds.h). */
const SENSE = { LESS: 0x02, GREATER: 0x04, EQUAL: 0x08, RPMLIB: 0x1000000 } as const
/** PGPHASHALGO_SHA256, the file and payload digests' algorithm. */
const SHA256_ALGO = 8

export type TagValue =
  | { readonly type: typeof T.INT16 | typeof T.INT32; readonly value: readonly number[] }
  | { readonly type: typeof T.STRING | typeof T.I18NSTRING; readonly value: string }
  | { readonly type: typeof T.STRING_ARRAY; readonly value: readonly string[] }
  | { readonly type: typeof T.BIN; readonly value: Uint8Array }

const str = (value: string): TagValue => ({ type: T.STRING, value })
const i18n = (value: string): TagValue => ({ type: T.I18NSTRING, value })
const strs = (value: readonly string[]): TagValue => ({ type: T.STRING_ARRAY, value })
const int32 = (value: readonly number[]): TagValue => ({ type: T.INT32, value })
const int16 = (value: readonly number[]): TagValue => ({ type: T.INT16, value })

/**
 * One header structure (rpm's headerExport): magic, index count, data size,
 * the index (the region tag first, the others by tag), then the data, each
 * value aligned to its type, and at its end the region trailer, whose offset
 * is minus the index's size.
 */
export function headerBlob(region: number, tags: ReadonlyMap<number, TagValue>): Buffer {
  const entries = [...tags].sort(([a], [b]) => a - b)
  const index: Buffer[] = []
  const data: Buffer[] = []
  let size = 0
  const align = (n: number): void => {
    const pad = (n - (size % n)) % n
    if (pad) {
      data.push(Buffer.alloc(pad))
      size += pad
    }
  }
  const entry = (tag: number, type: number, offset: number, count: number): Buffer => {
    const b = Buffer.alloc(16)
    b.writeUInt32BE(tag, 0)
    b.writeUInt32BE(type, 4)
    b.writeInt32BE(offset, 8)
    b.writeUInt32BE(count, 12)
    return b
  }
  for (const [tag, v] of entries) {
    let body: Buffer
    let count: number
    if (v.type === T.INT16 || v.type === T.INT32) {
      const width = v.type === T.INT16 ? 2 : 4
      align(width)
      body = Buffer.alloc(width * v.value.length)
      v.value.forEach((n, i) => (width === 2 ? body.writeUInt16BE(n & 0xffff, i * 2) : body.writeUInt32BE(n >>> 0, i * 4)))
      count = v.value.length
    } else if (v.type === T.STRING || v.type === T.I18NSTRING) {
      body = Buffer.from(`${v.value}\0`, 'utf8')
      count = 1
    } else if (v.type === T.STRING_ARRAY) {
      body = Buffer.from(v.value.map((s) => `${s}\0`).join(''), 'utf8')
      count = v.value.length
    } else {
      body = Buffer.from(v.value)
      count = body.length
    }
    index.push(entry(tag, v.type, size, count))
    data.push(body)
    size += body.length
  }
  const count = entries.length + 1
  const trailer = entry(region, T.BIN, -count * 16, 16)
  const regionEntry = entry(region, T.BIN, size, 16)
  data.push(trailer)
  size += 16
  const head = Buffer.alloc(16)
  head.writeUInt32BE(0x8eade801, 0)
  head.writeUInt32BE(count, 8)
  head.writeUInt32BE(size, 12)
  return Buffer.concat([head, regionEntry, ...index, ...data])
}

/** The 96-byte lead: magic, format 3.0, a binary package, its name-version-release, Linux, a header-style signature. */
export function lead(nvr: string): Buffer {
  const b = Buffer.alloc(96)
  b.writeUInt32BE(0xedabeedb, 0)
  b.writeUInt8(3, 4)
  b.writeUInt8(0, 5)
  b.writeUInt16BE(0, 6)
  b.writeUInt16BE(1, 8)
  Buffer.from(nvr, 'utf8').copy(b, 10, 0, 65)
  b.writeUInt16BE(1, 76)
  b.writeUInt16BE(5, 78)
  return b
}

/** One cpio "newc" record: header, name (NUL ended) padded to 4, then the data padded to 4. */
export function cpioHeader(name: string, ino: number, mode: number, size: number, mtime: number, nlink = 1): Buffer {
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0')
  const nameBytes = Buffer.from(`${name}\0`, 'utf8')
  const fields = [ino, mode, 0, 0, nlink, mtime, size, 0, 0, 0, 0, nameBytes.length, 0].map(hex).join('')
  const head = Buffer.concat([Buffer.from(`070701${fields}`, 'ascii'), nameBytes])
  return Buffer.concat([head, Buffer.alloc((4 - (head.length % 4)) % 4)])
}

const S_IFREG = 0o100000
const S_IFDIR = 0o040000
const S_IFLNK = 0o120000

/** A file of the package: its absolute path on the installed system and what it is. */
export interface RpmFile {
  readonly path: string
  readonly type: 'file' | 'directory' | 'symlink'
  readonly mode: number
  readonly size: number
  readonly source?: string
  readonly linkname?: string
  /** sha256 of a file's content (hex), '' otherwise. */
  readonly digest: string
}

/**
 * The files of the package, from data.tar-style entries (./opt/…, ./usr/bin/…):
 * the folders it owns (/opt/{name} and below, not /, /opt, /usr nor
 * /usr/bin), its files and links; a hard link becomes a file of its own.
 */
export function rpmFiles(meta: Pick<PackageMeta, 'name'>, data: readonly ArchiveEntry[], digest: (file: string) => string): RpmFile[] {
  const owned = `/opt/${meta.name}`
  const sources = new Map(data.filter((e) => e.type === 'file').map((e) => [e.name, e.source as string]))
  return data
    .map((e) => ({ e, p: e.name.replace(/^\./, '').replace(/\/$/, '') || '/' }))
    .filter(({ e, p }) => e.type !== 'directory' || p === owned || p.startsWith(`${owned}/`))
    .map(({ e, p }): RpmFile => {
      if (e.type === 'directory') return { path: p, type: 'directory', mode: S_IFDIR | 0o755, size: 4096, digest: '' }
      if (e.type === 'symlink')
        return { path: p, type: 'symlink', mode: S_IFLNK | 0o777, size: Buffer.byteLength(e.linkname as string), linkname: e.linkname, digest: '' }
      const source = e.type === 'link' ? (sources.get(e.linkname as string) as string) : (e.source as string)
      return { path: p, type: 'file', mode: S_IFREG | e.mode, size: e.size as number, source, digest: digest(source) }
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** `{name}-{version}-1.{arch}.rpm`. */
export function rpmFileName(meta: Pick<PackageMeta, 'name' | 'version'>, arch: Arch): string {
  return `${meta.name}-${systemVersion(meta.version, 'rpm')}-1.${ARCH_NAMES.rpm[arch]}.rpm`
}

export const RPM_RELEASE = '1'

/** What the package requires: glibc at the floor, and the rpmlib features its format uses. */
export function requirements(glibc: string): { name: string; flags: number; version: string }[] {
  const rpmlib = (name: string, version: string): { name: string; flags: number; version: string } => ({
    name: `rpmlib(${name})`,
    flags: SENSE.RPMLIB | SENSE.LESS | SENSE.EQUAL,
    version
  })
  return [
    ...(glibc ? [{ name: 'glibc', flags: SENSE.GREATER | SENSE.EQUAL, version: glibc }] : []),
    rpmlib('CompressedFileNames', '3.0.4-1'),
    rpmlib('FileDigests', '4.6.0-1'),
    rpmlib('PayloadFilesHavePrefix', '4.0-1')
  ]
}

/** The main header's tags for the package and its files; `payload` is the compressed payload's sha256 (hex). */
export function mainTags(meta: PackageMeta, arch: Arch, glibc: string, files: readonly RpmFile[], payloadSha256: string): Map<number, TagValue> {
  const version = systemVersion(meta.version, 'rpm')
  const dirs: string[] = []
  const dirIndexes: number[] = []
  const baseNames: string[] = []
  for (const f of files) {
    const cut = f.path.lastIndexOf('/')
    const dir = f.path.slice(0, cut + 1)
    if (!dirs.includes(dir)) dirs.push(dir)
    dirIndexes.push(dirs.indexOf(dir))
    baseNames.push(f.path.slice(cut + 1))
  }
  const reqs = requirements(glibc)
  const n = files.length
  const tags = new Map<number, TagValue>([
    [TAG.HEADERI18NTABLE, strs(['C'])],
    [TAG.NAME, str(meta.name)],
    [TAG.VERSION, str(version)],
    [TAG.RELEASE, str(RPM_RELEASE)],
    [TAG.SUMMARY, i18n(meta.summary)],
    [TAG.DESCRIPTION, i18n(meta.homepage ? `${meta.summary}\n\n${meta.homepage}` : meta.summary)],
    [TAG.BUILDTIME, int32([meta.epoch])],
    [TAG.BUILDHOST, str('build-standalone')],
    [TAG.SIZE, int32([files.reduce((s, f) => s + (f.type === 'directory' ? 0 : f.size), 0)])],
    [TAG.LICENSE, str(meta.license || 'Unknown')],
    [TAG.GROUP, i18n('Applications/System')],
    [TAG.OS, str('linux')],
    [TAG.ARCH, str(ARCH_NAMES.rpm[arch])],
    [TAG.FILESIZES, int32(files.map((f) => f.size))],
    [TAG.FILEMODES, int16(files.map((f) => f.mode))],
    [TAG.FILERDEVS, int16(files.map(() => 0))],
    [TAG.FILEMTIMES, int32(files.map(() => meta.epoch))],
    [TAG.FILEDIGESTS, strs(files.map((f) => f.digest))],
    [TAG.FILELINKTOS, strs(files.map((f) => f.linkname ?? ''))],
    [TAG.FILEFLAGS, int32(files.map(() => 0))],
    [TAG.FILEUSERNAME, strs(files.map(() => 'root'))],
    [TAG.FILEGROUPNAME, strs(files.map(() => 'root'))],
    [TAG.SOURCERPM, str(`${meta.name}-${version}-${RPM_RELEASE}.src.rpm`)],
    [TAG.FILEVERIFYFLAGS, int32(files.map(() => 0xffffffff))],
    [TAG.PROVIDENAME, strs([meta.name, `${meta.name}(${ARCH_NAMES.rpm[arch] === 'x86_64' ? 'x86-64' : ARCH_NAMES.rpm[arch]})`])],
    [TAG.PROVIDEFLAGS, int32([SENSE.EQUAL, SENSE.EQUAL])],
    [TAG.PROVIDEVERSION, strs([`${version}-${RPM_RELEASE}`, `${version}-${RPM_RELEASE}`])],
    [TAG.REQUIREFLAGS, int32(reqs.map((r) => r.flags))],
    [TAG.REQUIRENAME, strs(reqs.map((r) => r.name))],
    [TAG.REQUIREVERSION, strs(reqs.map((r) => r.version))],
    [TAG.RPMVERSION, str('4.18.0')],
    [TAG.FILEDEVICES, int32(files.map(() => 1))],
    [TAG.FILEINODES, int32(files.map((_, i) => i + 1))],
    [TAG.FILELANGS, strs(files.map(() => ''))],
    [TAG.DIRINDEXES, int32(dirIndexes)],
    [TAG.BASENAMES, strs(baseNames)],
    [TAG.DIRNAMES, strs(dirs)],
    [TAG.PAYLOADFORMAT, str('cpio')],
    [TAG.PAYLOADCOMPRESSOR, str('gzip')],
    [TAG.PAYLOADFLAGS, str('6')],
    [TAG.FILEDIGESTALGO, int32([SHA256_ALGO])],
    [TAG.PAYLOADDIGEST, strs([payloadSha256])],
    [TAG.PAYLOADDIGESTALGO, int32([SHA256_ALGO])]
  ])
  if (meta.maintainer) tags.set(TAG.PACKAGER, str(meta.maintainer))
  if (meta.vendor) tags.set(TAG.VENDOR, str(meta.vendor))
  if (meta.homepage) tags.set(TAG.URL, str(meta.homepage))
  if (n !== dirIndexes.length) throw new Error('rpm: file list mismatch')
  return tags
}

/** The signature header's tags: sizes and digests of the main header (and of header + payload). */
export function signatureTags(header: Buffer, payloadSize: number, headerPlusPayloadMd5: Buffer, uncompressed: number): Map<number, TagValue> {
  return new Map<number, TagValue>([
    [TAG.SIG_SHA1, str(createHash('sha1').update(header).digest('hex'))],
    [TAG.SIG_SHA256, str(createHash('sha256').update(header).digest('hex'))],
    [TAG.SIG_SIZE, int32([header.length + payloadSize])],
    [TAG.SIG_MD5, { type: T.BIN, value: headerPlusPayloadMd5 }],
    [TAG.SIG_PAYLOADSIZE, int32([uncompressed])]
  ])
}

/** Writes the gzip'd cpio payload of the files to `file`; returns its uncompressed size. */
export async function writePayload(files: readonly RpmFile[], mtime: number, file: string, level = 6): Promise<number> {
  const gzip = zlib.createGzip({ level })
  const out = fs.createWriteStream(file)
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve)
    out.on('error', reject)
    gzip.on('error', reject)
  })
  gzip.pipe(out)
  let size = 0
  const write = async (chunk: Buffer): Promise<void> => {
    size += chunk.length
    if (!gzip.write(chunk)) await new Promise<void>((resolve) => gzip.once('drain', resolve))
  }
  const pad = (n: number): Buffer => Buffer.alloc((4 - (n % 4)) % 4)
  for (const [i, f] of files.entries()) {
    const size = f.type === 'directory' ? 0 : f.size
    await write(cpioHeader(`.${f.path}`, i + 1, f.mode, size, mtime))
    if (f.type === 'symlink') await write(Buffer.from(f.linkname as string, 'utf8'))
    if (f.type === 'file') for await (const chunk of fs.createReadStream(f.source as string)) await write(chunk as Buffer)
    await write(pad(size))
  }
  await write(cpioHeader('TRAILER!!!', 0, 0, 0, 0, 1))
  gzip.end()
  await done
  // Node's zlib writes the OS it was built for into the gzip header: the same byte everywhere.
  const fd = fs.openSync(file, 'r+')
  try {
    fs.writeSync(fd, Buffer.from([3]), 0, 1, 9)
  } finally {
    fs.closeSync(fd)
  }
  return size
}

const fileDigest = (algorithm: string, file: string): Buffer => createHash(algorithm).update(fs.readFileSync(file)).digest()

/** Writes the .rpm at `file` from the files; `work` receives the payload while it is made. */
export async function writeRpm(file: string, meta: PackageMeta, arch: Arch, glibc: string, files: readonly RpmFile[], work: string): Promise<void> {
  fs.mkdirSync(work, { recursive: true })
  const payload = `${work}/payload.cpio.gz`
  try {
    const uncompressed = await writePayload(files, meta.epoch, payload)
    const payloadSize = fs.statSync(payload).size
    const header = headerBlob(TAG.HEADERIMMUTABLE, mainTags(meta, arch, glibc, files, fileDigest('sha256', payload).toString('hex')))
    const md5 = createHash('md5').update(header)
    for await (const chunk of fs.createReadStream(payload)) md5.update(chunk as Buffer)
    const signature = headerBlob(TAG.HEADERSIGNATURES, signatureTags(header, payloadSize, md5.digest(), uncompressed))
    const out = fs.openSync(file, 'w')
    try {
      fs.writeSync(out, lead(`${meta.name}-${systemVersion(meta.version, 'rpm')}-${RPM_RELEASE}`))
      fs.writeSync(out, signature)
      fs.writeSync(out, Buffer.alloc((8 - (signature.length % 8)) % 8))
      fs.writeSync(out, header)
      const fd = fs.openSync(payload, 'r')
      try {
        const buf = Buffer.alloc(1 << 20)
        for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) fs.writeSync(out, buf, 0, n)
      } finally {
        fs.closeSync(fd)
      }
    } finally {
      fs.closeSync(out)
    }
  } finally {
    fs.rmSync(payload, { force: true })
  }
}

/** sha256 of a file, hex: the file digests of the header. */
export const sha256Hex = (file: string): string => fileDigest('sha256', file).toString('hex')
