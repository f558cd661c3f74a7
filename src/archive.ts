/**
 * Byte-reproducible archives, written the same way on every OS (no platform
 * tar): entries in sorted order, every time the build's SOURCE_DATE_EPOCH,
 * owner and group 0 without names, modes 0755 (folders and programs) or 0644,
 * symlinks kept as symlinks. tar.gz: gzip without a name or time, with a
 * fixed OS byte. zip: DOS times in UTC, unix modes in the external attributes.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as zlib from 'node:zlib'
import * as tar from 'tar-stream'
import * as yazl from 'yazl'
import type { Platform } from './platform.js'

/** One entry of an archive, in the order it is written. */
export interface ArchiveEntry {
  /** The path inside the archive, with '/' separators; folders end with '/'. */
  readonly name: string
  /** `link`: a hard link to an earlier file entry (Nuitka's multidist names of one program), tar's link type. */
  readonly type: 'file' | 'directory' | 'symlink' | 'link'
  /** Permission bits: 0o755, 0o644, or 0o777 for a symlink. */
  readonly mode: number
  /** For a file: where it is read from (or `data`, its bytes), and its size. */
  readonly source?: string
  readonly data?: Uint8Array
  readonly size?: number
  /** For a symlink: its target, as stored; for a hard link: the name of the entry it links to. */
  readonly linkname?: string
}

/**
 * The time of every entry when there is no SOURCE_DATE_EPOCH (no git, none set):
 * 1980-01-01T00:00:00Z, the earliest time a zip can hold.
 */
export const FALLBACK_EPOCH = 315532800

/**
 * The gzip and zip compression level, chosen by measurement (median of 9 runs,
 * CPU seconds as wall time was noisy on a shared 2-core machine) on
 * examples/chatty's one-file build, a 30,141,048-byte executable whose payload
 * PyInstaller already compressed, against today's `tar -c -z` (GNU tar + gzip -6):
 *   tar -c -z  0.79 s CPU, 1.60 s wall, 29,839,153 bytes
 *   level 1    0.83 s CPU, 1.28 s wall, 29,888,942 bytes
 *   level 6    0.89 s CPU, 1.50 s wall, 29,880,429 bytes
 *   level 9    0.91 s CPU, 1.70 s wall, 29,880,288 bytes
 * On a compressed payload the level hardly matters (level 1 saves 0.06 s and
 * costs 8.5 kB). A one-folder build is mostly uncompressed (.so, .py): on a
 * 31 MB site-packages (median of 5) level 1 gives 7,628,997 bytes in 0.91 s,
 * level 6 6,634,060 bytes (-13%) in 1.19 s, level 9 6,585,396 bytes (-0.7%)
 * in 2.37 s (tar -c -z: 6,609,454 bytes, 0.88 s). Level 6 serves both.
 */
export const COMPRESSION_LEVEL = 6

/** The gzip header's OS byte: 3 (Unix) on every OS, where zlib writes the one it was built for. */
export const GZIP_OS_UNIX = 3

/** The SOURCE_DATE_EPOCH to date the entries with, in seconds; FALLBACK_EPOCH without a valid one. */
export function archiveTime(sourceDateEpoch: string | undefined): number {
  return sourceDateEpoch && /^\d+$/.test(sourceDateEpoch.trim()) ? Number(sourceDateEpoch.trim()) : FALLBACK_EPOCH
}

/** Windows has no exec bit: its programs are known by their extension. */
const WINDOWS_PROGRAM = /\.(exe|com|bat|cmd)$/i

/** The normalized mode of a file: 0755 when it can be run (an exec bit; on Windows, a program's extension), 0644 otherwise. */
export function fileMode(platform: Pick<Platform, 'os'>, name: string, statMode: number): number {
  const runnable = platform.os === 'windows' ? WINDOWS_PROGRAM.test(name) : (statMode & 0o111) !== 0
  return runnable ? 0o755 : 0o644
}

/** Orders names by their characters' code points, never by locale. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A file of a build that no archive may hold: a link out of the build, a FIFO, a socket, a device. */
export class UnarchivableError extends Error {}

/** What kind of file a stat says, in words. */
function kindOfStat(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)'
  if (st.isSocket()) return 'a socket'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  return 'neither a file, a folder nor a symbolic link'
}

/**
 * Where a symbolic link at `name` (inside the archive, '/'-separated) whose target is `target` leads, when it
 * leads out of `top` (the archive's top folder) or is absolute; undefined when it stays inside. Decided on the
 * names alone, as an unpacker resolves them (Python's tarfile `filter='data'` refuses a whole archive with one
 * such link).
 */
export function linkLeavingArchive(name: string, target: string, top: string): string | undefined {
  const t = target.replace(/\\/g, '/')
  if (t.startsWith('/') || /^[A-Za-z]:/.test(t)) return t
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(name), t))
  return resolved === top || resolved.startsWith(`${top}/`) ? undefined : t
}

/**
 * The entries that archive `root` (a file or folder) under its base name, as
 * `tar -C dirname(root) basename(root)` would name them: the folder before its
 * contents, each folder's contents sorted by name.
 */
export function listEntries(platform: Pick<Platform, 'os'>, root: string): ArchiveEntry[] {
  const entries: ArchiveEntry[] = []
  // A file with several names (hard links) is stored once, under the first name in order; the others link to it.
  const firstName = new Map<string, string>()
  const visit = (file: string, name: string): void => {
    const st = fs.lstatSync(file)
    if (st.isSymbolicLink()) {
      const linkname = fs.readlinkSync(file).split(path.sep).join('/')
      const out = linkLeavingArchive(name, linkname, top)
      if (out !== undefined)
        throw new UnarchivableError(
          `${file} is a symbolic link to ${out}, outside the build: whoever unpacks the archive would get a link into their own machine (and Python's tarfile, with filter='data', refuses the whole archive). Remove the link from the build, or make it point inside it.`
        )
      entries.push({ name, type: 'symlink', mode: 0o777, linkname })
    } else if (st.isDirectory()) {
      entries.push({ name: `${name}/`, type: 'directory', mode: 0o755 })
      for (const child of fs.readdirSync(file).sort(byName)) visit(path.join(file, child), `${name}/${child}`)
    } else if (st.isFile()) {
      const id = `${st.dev}:${st.ino}`
      const first = st.nlink > 1 ? firstName.get(id) : undefined
      if (first !== undefined) entries.push({ name, type: 'link', mode: fileMode(platform, name, st.mode), source: file, size: st.size, linkname: first })
      else {
        if (st.nlink > 1) firstName.set(id, name)
        entries.push({ name, type: 'file', mode: fileMode(platform, name, st.mode), source: file, size: st.size })
      }
    } else {
      throw new UnarchivableError(`${file} is ${kindOfStat(st)}, which an archive cannot hold. Remove it from the build.`)
    }
  }
  const top = path.basename(root)
  visit(root, top)
  return entries
}

/** Writes the entries as a tar.gz: ustar headers (pax for long names), uid/gid 0, no user or group names. */
export async function writeTarGz(entries: readonly ArchiveEntry[], archive: string, mtime: number, level = COMPRESSION_LEVEL): Promise<void> {
  const pack = tar.pack()
  const written = pipeline(pack, zlib.createGzip({ level }), fs.createWriteStream(archive))
  // An entry waits for the pipeline to take its data: when the pipeline fails, nothing more will.
  const broken = written.then(() => Promise.reject(new Error(`${archive} was closed before every entry was written`)))
  broken.catch(() => undefined)
  try {
    for (const e of entries) {
      const header = {
        name: e.name,
        type: e.type,
        mode: e.mode,
        mtime: new Date(mtime * 1000),
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
        size: e.type === 'file' ? (e.data?.length ?? e.size) : 0,
        linkname: e.linkname
      }
      const entry = new Promise<void>((resolve, reject) => {
        const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()))
        // A failing pipeline destroys the entry's stream too: its error must have a listener, or it is thrown.
        sink.on('error', reject)
        // A folder or symlink has no body: its entry is done once written.
        if (e.type !== 'file') return
        if (e.data) {
          sink.end(Buffer.from(e.data))
          return
        }
        const source = fs.createReadStream(e.source as string)
        source.on('error', (err) => {
          sink.destroy(err)
          reject(err)
        })
        source.pipe(sink)
      })
      // The race settles on the first failure; the entry's own, later, must not go unhandled.
      entry.catch(() => undefined)
      await Promise.race([entry, broken])
    }
    pack.finalize()
  } catch (error) {
    pack.destroy(error as Error)
    await written.catch(() => undefined)
    throw error
  }
  await written
  // Node's zlib writes mtime 0 and no name, but the OS it was built for: that byte is made the same everywhere.
  const fd = fs.openSync(archive, 'r+')
  try {
    fs.writeSync(fd, Buffer.from([GZIP_OS_UNIX]), 0, 1, 9)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * A Date whose local fields are the UTC fields of `seconds`: yazl writes DOS
 * times from local fields, and the archive must not depend on the time zone.
 */
function utcFieldsAsLocal(seconds: number): Date {
  const d = new Date(seconds * 1000)
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds())
}

/**
 * Writes the entries as a zip: DOS times in UTC and no extended timestamps,
 * "made by" Unix with the type and mode in the external attributes (what
 * unzip and Python restore exec bits and symlinks from).
 */
export async function writeZip(entries: readonly ArchiveEntry[], archive: string, mtime: number, level = COMPRESSION_LEVEL): Promise<void> {
  const zip = new yazl.ZipFile()
  // yazl reports a file it cannot read on the ZipFile, not on its output stream.
  const failed = new Promise<never>((_, reject) => zip.on('error', reject))
  failed.catch(() => undefined)
  const output = zip.outputStream as Readable
  const written = pipeline(output, fs.createWriteStream(archive))
  const common = { mtime: utcFieldsAsLocal(mtime), forceDosTimestamp: true }
  for (const e of entries) {
    if (e.type === 'directory') zip.addEmptyDirectory(e.name, { ...common, mode: 0o040000 | e.mode })
    else if (e.type === 'symlink') zip.addBuffer(Buffer.from(e.linkname as string), e.name, { ...common, mode: 0o120000 | e.mode, compress: false })
    else zip.addFile(e.source as string, e.name, { ...common, mode: 0o100000 | e.mode, compress: level > 0, compressionLevel: level })
  }
  zip.end()
  try {
    await Promise.race([written, failed])
  } catch (error) {
    output.destroy()
    await written.catch(() => undefined)
    throw error
  }
}

/**
 * Archives `root` (a file or folder) into `archive` in the platform's format, every entry dated `mtime`
 * (seconds), with each of `beside` (files, e.g. a one-file build's notices) at the top level next to it.
 */
export async function writeArchive(
  platform: Pick<Platform, 'os' | 'archiveFormat'>,
  root: string,
  archive: string,
  mtime: number,
  beside: readonly string[] = []
): Promise<void> {
  const entries = [root, ...beside].flatMap((file) => listEntries(platform, file))
  if (platform.archiveFormat === 'zip') await writeZip(entries, archive, mtime)
  else await writeTarGz(entries, archive, mtime)
}
