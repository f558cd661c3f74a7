/**
 * A Debian package (.deb), written directly and byte-reproducibly: an `ar`
 * archive of `debian-binary`, `control.tar.gz` (control, md5sums) and
 * `data.tar.gz` (the files), every time the build's SOURCE_DATE_EPOCH, every
 * owner root, entries sorted (deb(5), deb-control(5), deb-md5sums(5)). The
 * build goes under /opt/{name}/, each executable is linked into /usr/bin, and
 * the glibc floor becomes `Depends: libc6 (>= floor)`.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { type ArchiveEntry, writeTarGz } from '../archive.js'
import type { InstallEntry } from './layout.js'
import { ARCH_NAMES, type PackageMeta, systemVersion } from './meta.js'
import type { Arch } from '../platform.js'

export interface DebPlan {
  readonly file: string
  /** The control file's text. */
  readonly control: string
  /** data.tar's entries, with their names inside it (./opt/…, ./usr/bin/…). */
  readonly data: readonly ArchiveEntry[]
}

/** `{name}_{version}_{arch}.deb`, Debian's own naming (the version without an epoch). */
export function debFileName(meta: Pick<PackageMeta, 'name' | 'version'>, arch: Arch): string {
  return `${meta.name}_${systemVersion(meta.version, 'deb').replace(/^\d+:/, '')}_${ARCH_NAMES.deb[arch]}.deb`
}

/** The Description field: the summary, then the homepage as the long description's one line ('.' would be an empty line). */
function description(meta: PackageMeta): string {
  return `Description: ${meta.summary}\n${meta.homepage ? ` ${meta.homepage}\n` : ''}`
}

/** The control file (deb-control(5)); `glibc` is the floor ('' when no object needs a versioned symbol). */
export function controlText(meta: PackageMeta, arch: Arch, glibc: string, installedBytes: number): string {
  const fields: [string, string][] = [
    ['Package', meta.name],
    ['Version', systemVersion(meta.version, 'deb')],
    ['Architecture', ARCH_NAMES.deb[arch]],
    ...(meta.maintainer ? ([['Maintainer', meta.maintainer]] as [string, string][]) : []),
    ['Installed-Size', String(Math.max(1, Math.ceil(installedBytes / 1024)))],
    ...(glibc ? ([['Depends', `libc6 (>= ${glibc})`]] as [string, string][]) : []),
    ['Section', 'utils'],
    ['Priority', 'optional'],
    ...(meta.homepage ? ([['Homepage', meta.homepage]] as [string, string][]) : [])
  ]
  return `${fields.map(([k, v]) => `${k}: ${v}\n`).join('')}${description(meta)}`
}

/** The install tree under /opt/{name}/ and the links in /usr/bin, as data.tar names them. */
export function debData(
  meta: Pick<PackageMeta, 'name'>,
  entries: readonly InstallEntry[],
  executables: readonly { name: string; path: string }[]
): ArchiveEntry[] {
  const opt = `./opt/${meta.name}`
  const dir = (name: string): ArchiveEntry => ({ name: `${name}/`, type: 'directory', mode: 0o755 })
  return [
    dir('.'),
    dir('./opt'),
    dir(opt),
    ...entries.map((e) => ({
      ...e,
      name: e.type === 'directory' ? `${opt}/${e.name}/` : `${opt}/${e.name}`,
      ...(e.type === 'link' ? { linkname: `${opt}/${e.linkname as string}` } : {})
    })),
    dir('./usr'),
    dir('./usr/bin'),
    ...[...executables]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((e): ArchiveEntry => ({ name: `./usr/bin/${e.name}`, type: 'symlink', mode: 0o777, linkname: `/opt/${meta.name}/${e.path}` }))
  ]
}

const md5 = (file: string): string => createHash('md5').update(fs.readFileSync(file)).digest('hex')

/** The md5sums file: one line per regular file, its path without the leading './'. */
export function md5sumsText(data: readonly ArchiveEntry[], digest: (file: string) => string = md5): string {
  return data
    .filter((e) => e.type === 'file')
    .map((e) => `${digest(e.source as string)}  ${e.name.replace(/^\.\//, '')}\n`)
    .join('')
}

/** One `ar` member header (60 bytes): name, time, owner 0, group 0, mode, size. */
export function arHeader(name: string, mtime: number, mode: number, size: number): Buffer {
  const field = (v: string, n: number): string => v.padEnd(n, ' ').slice(0, n)
  return Buffer.from(
    `${field(name, 16)}${field(String(mtime), 12)}${field('0', 6)}${field('0', 6)}${field(mode.toString(8), 8)}${field(String(size), 10)}\`\n`,
    'ascii'
  )
}

/** Writes the .deb at `file`; `work` is a folder for the two tar.gz members while they are made. */
export async function writeDeb(file: string, control: string, data: readonly ArchiveEntry[], mtime: number, work: string): Promise<void> {
  fs.mkdirSync(work, { recursive: true })
  const controlTar = path.join(work, 'control.tar.gz')
  const dataTar = path.join(work, 'data.tar.gz')
  const md5sums = md5sumsText(data)
  await writeTarGz(
    [
      { name: './', type: 'directory', mode: 0o755 },
      { name: './control', type: 'file', mode: 0o644, data: Buffer.from(control, 'utf8') },
      { name: './md5sums', type: 'file', mode: 0o644, data: Buffer.from(md5sums, 'utf8') }
    ],
    controlTar,
    mtime
  )
  await writeTarGz(data, dataTar, mtime)
  const out = fs.createWriteStream(file)
  const write = (chunk: Buffer): Promise<void> => new Promise((resolve, reject) => out.write(chunk, (e) => (e ? reject(e) : resolve())))
  try {
    await write(Buffer.from('!<arch>\n', 'ascii'))
    const version = Buffer.from('2.0\n', 'ascii')
    await write(arHeader('debian-binary', mtime, 0o100644, version.length))
    await write(version)
    for (const [name, member] of [
      ['control.tar.gz', controlTar],
      ['data.tar.gz', dataTar]
    ]) {
      const size = fs.statSync(member).size
      await write(arHeader(name, mtime, 0o100644, size))
      await pipeline(fs.createReadStream(member), out, { end: false })
      if (size % 2) await write(Buffer.from('\n'))
    }
  } finally {
    await new Promise<void>((resolve) => out.end(resolve))
    fs.rmSync(controlTar, { force: true })
    fs.rmSync(dataTar, { force: true })
  }
}
