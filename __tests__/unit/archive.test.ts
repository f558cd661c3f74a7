/**
 * The reproducible archive writer, read back with independent readers: GNU
 * tar and Python's tarfile for tar.gz, Python's zipfile and unzip/zipinfo
 * (when present) for zip.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  archiveTime,
  byName,
  FALLBACK_EPOCH,
  fileMode,
  linkLeavingArchive,
  listEntries,
  UnarchivableError,
  writeArchive,
  writeTarGz,
  writeZip
} from '../../src/archive.js'
import { packageBuilds } from '../../src/package.js'
import { platformFor } from '../../src/platform.js'

const linux = platformFor('linux', 'x64')
const mac = platformFor('darwin', 'arm64')
const windows = platformFor('win32', 'x64')
const EPOCH = 1700000000 // 2023-11-14T22:13:20Z

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-archive-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))
let counter = 0
const freshDir = (prefix: string): string => fs.mkdtempSync(path.join(scratch, `${prefix}${++counter}-`))

const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

function run(program: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(program, args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C', ...env } })
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${r.stderr}`)
  return r.stdout
}

const has = (program: string): boolean => spawnSync(program, ['-v'], { encoding: 'utf8' }).error === undefined

/**
 * A one-folder build as PyInstaller leaves it, made with this copy's own
 * quirks: file modes as a umask leaves them, modification times of its own,
 * and files created in an unsorted order.
 */
function makeSuite(variant: { umask: 'strict' | 'loose'; mtime: number }, exe = 'suite'): string {
  const parent = freshDir('tree')
  const root = path.join(parent, 'suite')
  const x = variant.umask === 'strict' ? 0o700 : 0o775
  const r = variant.umask === 'strict' ? 0o600 : 0o664
  const write = (rel: string, content: string, mode: number): void => {
    const file = path.join(root, rel)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, content)
    fs.chmodSync(file, mode)
  }
  write('_internal/zlib.txt', 'data\n', r)
  write(exe, '#!/bin/sh\necho suite\n', x)
  write('_internal/libpython3.11.so.1.0', 'ELF pretend\n', x)
  write('README', 'read me\n', r)
  write('_internal/chatty-0.3.1.dist-info/REQUESTED', '', r)
  write('_internal/base_library.zip', 'PK pretend\n', r)
  write(`_internal/${'deep/'.repeat(25)}module.pyc`, 'long name\n', r)
  fs.symlinkSync('libpython3.11.so.1.0', path.join(root, '_internal', 'libpython3.11.so'))
  for (const dir of ['', '_internal']) fs.chmodSync(path.join(root, dir), variant.umask === 'strict' ? 0o700 : 0o775)
  const stamp = (p: string): void => {
    fs.lutimesSync(p, variant.mtime, variant.mtime)
    if (fs.lstatSync(p).isDirectory()) for (const c of fs.readdirSync(p)) stamp(path.join(p, c))
  }
  stamp(root)
  return root
}

/** Every member's header fields, as Python's tarfile reads them. */
function tarMembers(
  archive: string
): { name: string; type: string; mode: number; uid: number; gid: number; uname: string; gname: string; mtime: number; linkname: string }[] {
  const script = `import json,sys,tarfile
t = tarfile.open(sys.argv[1], 'r:gz')
print(json.dumps([dict(name=m.name, type={b'0':'file',b'5':'dir',b'2':'symlink'}.get(m.type, repr(m.type)), mode=m.mode, uid=m.uid, gid=m.gid, uname=m.uname, gname=m.gname, mtime=m.mtime, linkname=m.linkname) for m in t.getmembers()]))`
  return JSON.parse(run('python3', ['-c', script, archive]))
}

/** Every entry's fields, as Python's zipfile reads them. */
function zipMembers(archive: string): { name: string; system: number; attr: number; date: number[]; extra: string }[] {
  const script = `import json,sys,zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps([dict(name=i.filename, system=i.create_system, attr=i.external_attr >> 16, date=list(i.date_time), extra=i.extra.hex()) for i in z.infolist()]))`
  return JSON.parse(run('python3', ['-c', script, archive]))
}

describe('archiveTime', () => {
  it('is SOURCE_DATE_EPOCH in seconds, or 1980-01-01 without a valid one', () => {
    expect(archiveTime('1700000000')).toBe(1700000000)
    expect(archiveTime(' 1700000000\n')).toBe(1700000000)
    expect(FALLBACK_EPOCH).toBe(Date.UTC(1980, 0, 1) / 1000)
    for (const bad of [undefined, '', 'yesterday', '-5', '1.5']) expect(archiveTime(bad)).toBe(FALLBACK_EPOCH)
  })
})

describe('fileMode', () => {
  it('is 0755 for a file with any exec bit, 0644 otherwise, on Linux and macOS', () => {
    for (const p of [linux, mac]) {
      expect(fileMode(p, 'chatty', 0o100700)).toBe(0o755)
      expect(fileMode(p, 'chatty', 0o100744)).toBe(0o755)
      expect(fileMode(p, 'chatty', 0o100775)).toBe(0o755)
      expect(fileMode(p, 'data.json', 0o100664)).toBe(0o644)
      expect(fileMode(p, 'data.json', 0o100600)).toBe(0o644)
      expect(fileMode(p, 'tool.exe', 0o100644)).toBe(0o644)
    }
  })

  it("is 0755 on Windows for programs by extension (Windows files carry no exec bit), whatever the file's mode", () => {
    expect(fileMode(windows, 'chatty.exe', 0o100666)).toBe(0o755)
    expect(fileMode(windows, 'suite/SETUP.CMD', 0o100644)).toBe(0o755)
    expect(fileMode(windows, 'suite/run.bat', 0o100644)).toBe(0o755)
    expect(fileMode(windows, 'suite/python311.dll', 0o100755)).toBe(0o644)
    expect(fileMode(windows, 'suite/chatty', 0o100755)).toBe(0o644)
  })
})

describe('listEntries', () => {
  it('names one file by its base name', () => {
    const dir = freshDir('one')
    fs.writeFileSync(path.join(dir, 'chatty'), 'x')
    fs.chmodSync(path.join(dir, 'chatty'), 0o700)
    expect(listEntries(linux, path.join(dir, 'chatty'))).toEqual([{ name: 'chatty', type: 'file', mode: 0o755, source: path.join(dir, 'chatty'), size: 1 }])
  })

  it('lists a folder before its contents, each folder sorted by code point (not by locale), symlinks as symlinks', () => {
    const root = makeSuite({ umask: 'loose', mtime: EPOCH })
    const entries = listEntries(linux, root)
    expect(entries.map((e) => [e.name, e.type, e.mode.toString(8)])).toEqual([
      ['suite/', 'directory', '755'],
      ['suite/README', 'file', '644'],
      ['suite/_internal/', 'directory', '755'],
      ['suite/_internal/base_library.zip', 'file', '644'],
      ['suite/_internal/chatty-0.3.1.dist-info/', 'directory', '755'],
      ['suite/_internal/chatty-0.3.1.dist-info/REQUESTED', 'file', '644'],
      ...Array.from({ length: 25 }, (_, i) => [`suite/_internal/${'deep/'.repeat(i + 1)}`, 'directory', '755']),
      [`suite/_internal/${'deep/'.repeat(25)}module.pyc`, 'file', '644'],
      ['suite/_internal/libpython3.11.so', 'symlink', '777'],
      ['suite/_internal/libpython3.11.so.1.0', 'file', '755'],
      ['suite/_internal/zlib.txt', 'file', '644'],
      ['suite/suite', 'file', '755']
    ])
    expect(entries.find((e) => e.type === 'symlink')?.linkname).toBe('libpython3.11.so.1.0')
    expect(['B', '_', 'a', 'é'].sort(byName)).toEqual(['B', '_', 'a', 'é'])
  })
})

describe('tar.gz', () => {
  const first = makeSuite({ umask: 'strict', mtime: 1111111111 })
  const second = makeSuite({ umask: 'loose', mtime: 1600000000 })
  const a = path.join(freshDir('out'), 'suite-1-linux-x64-onedir.tar.gz')
  const b = path.join(freshDir('out'), 'suite-1-linux-x64-onedir.tar.gz')
  beforeAll(() => Promise.all([writeArchive(linux, first, a, EPOCH), writeArchive(linux, second, b, EPOCH)]))

  it('is byte-identical from two copies with different paths, modes and times', () => {
    expect(sha(a)).toBe(sha(b))
  })

  it('lists as GNU tar lists it: sorted, owner 0/0, normalized modes, the epoch as every time', () => {
    const lines = run('tar', ['-tvzf', a]).trim().split('\n')
    expect(lines[0]).toMatch(/^drwxr-xr-x 0\/0 +0 2023-11-14 22:13 suite\/$/)
    expect(lines[1]).toMatch(/^-rw-r--r-- 0\/0 +8 2023-11-14 22:13 suite\/README$/)
    expect(lines).toContainEqual(
      expect.stringMatching(/^lrwxrwxrwx 0\/0 +0 2023-11-14 22:13 suite\/_internal\/libpython3\.11\.so -> libpython3\.11\.so\.1\.0$/)
    )
    expect(lines).toContainEqual(expect.stringMatching(/^-rwxr-xr-x 0\/0 +21 2023-11-14 22:13 suite\/suite$/))
    expect(lines.at(-1)).toMatch(/ suite\/suite$/)
  })

  it('has uid and gid 0, empty user and group names, and the exact epoch in every header (Python tarfile)', () => {
    const members = tarMembers(a)
    expect(members).toHaveLength(listEntries(linux, first).length)
    for (const m of members) {
      expect([m.uid, m.gid, m.uname, m.gname, m.mtime]).toEqual([0, 0, '', '', EPOCH])
      expect(m.mode).toBe(m.type === 'file' ? (/suite\/suite$|\.so\.1\.0$/.test(m.name) ? 0o755 : 0o644) : m.type === 'dir' ? 0o755 : 0o777)
    }
    expect(members.map((m) => m.name)).toContain(`suite/_internal/${'deep/'.repeat(25)}module.pyc`)
  })

  it('has a gzip header with no name, mtime 0 and the Unix OS byte', () => {
    const head = fs.readFileSync(a).subarray(0, 10)
    expect([...head.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0])
    expect(head.readUInt32LE(4)).toBe(0)
    expect(head[9]).toBe(3)
  })

  it('extracts with exec bits and symlinks kept', () => {
    const dest = freshDir('x')
    run('tar', ['-xzf', a, '-C', dest])
    expect(fs.statSync(path.join(dest, 'suite', 'suite')).mode & 0o777).toBe(0o755)
    expect(fs.statSync(path.join(dest, 'suite', 'README')).mode & 0o777).toBe(0o644)
    expect(fs.readlinkSync(path.join(dest, 'suite', '_internal', 'libpython3.11.so'))).toBe('libpython3.11.so.1.0')
    expect(run(path.join(dest, 'suite', 'suite'), [])).toBe('suite\n')
  })

  it('archives a one-file executable as the one entry it was', async () => {
    const dir = freshDir('onefile')
    fs.writeFileSync(path.join(dir, 'chatty'), '#!/bin/sh\necho hi\n', { mode: 0o700 })
    const archive = path.join(dir, 'chatty-1-macos-arm64.tar.gz')
    await writeArchive(mac, path.join(dir, 'chatty'), archive, EPOCH)
    expect(run('tar', ['-tvzf', archive]).trim()).toMatch(/^-rwxr-xr-x 0\/0 +18 2023-11-14 22:13 chatty$/)
  })
})

describe('zip (Windows) written on Linux', () => {
  const first = makeSuite({ umask: 'strict', mtime: 1111111111 }, 'suite.exe')
  const second = makeSuite({ umask: 'loose', mtime: 1600000000 }, 'suite.exe')
  const a = path.join(freshDir('out'), 'suite-1-windows-x64-onedir.zip')
  const b = path.join(freshDir('out'), 'suite-1-windows-x64-onedir.zip')
  beforeAll(() => Promise.all([writeArchive(windows, first, a, EPOCH), writeArchive(windows, second, b, EPOCH)]))

  it('is byte-identical from two copies with different paths, modes and times', () => {
    expect(sha(a)).toBe(sha(b))
  })

  it('does not depend on the time zone', async () => {
    const c = path.join(freshDir('out'), 'tz.zip')
    const saved = process.env.TZ
    process.env.TZ = 'Asia/Kolkata'
    try {
      await writeArchive(windows, first, c, EPOCH)
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
    expect(sha(c)).toBe(sha(a))
  })

  it('holds sorted entries made by Unix, with type and mode in the external attributes and UTC DOS times (Python zipfile)', () => {
    const members = zipMembers(a)
    expect(members.map((m) => m.name)).toEqual(listEntries(windows, first).map((e) => e.name))
    const attr = (name: string): string => (members.find((m) => m.name === name)?.attr ?? 0).toString(8)
    expect(attr('suite/')).toBe('40755')
    expect(attr('suite/suite.exe')).toBe('100755')
    expect(attr('suite/README')).toBe('100644')
    expect(attr('suite/_internal/libpython3.11.so.1.0')).toBe('100644')
    expect(attr('suite/_internal/libpython3.11.so')).toBe('120777')
    for (const m of members) {
      expect(m.system).toBe(3)
      expect(m.date).toEqual([2023, 11, 14, 22, 13, 20])
      expect(m.extra).toBe('')
    }
  })

  it('lists with zipinfo as -rwxr-xr-x for the program', () => {
    if (!has('zipinfo')) return
    const listing = run('zipinfo', [a])
    expect(listing).toMatch(/^-rwxr-xr-x .* suite\/suite\.exe$/m)
    expect(listing).toMatch(/^-rw-r--r-- .* suite\/README$/m)
    expect(listing).toMatch(/^drwxr-xr-x .* suite\/$/m)
  })

  it('extracts with unzip keeping the exec bit', () => {
    if (!has('unzip')) return
    const dest = freshDir('unzip')
    run('unzip', ['-q', a, '-d', dest])
    expect(fs.statSync(path.join(dest, 'suite', 'suite.exe')).mode & 0o777).toBe(0o755)
    expect(fs.readFileSync(path.join(dest, 'suite', '_internal', `${'deep/'.repeat(25)}module.pyc`), 'utf8')).toBe('long name\n')
  })
})

describe('packageBuilds', () => {
  it('gives the same archives and checksums file for two builds of one commit in different folders', async () => {
    const shas = await Promise.all(
      [makeSuite({ umask: 'strict', mtime: 1111111111 }), makeSuite({ umask: 'loose', mtime: 1600000000 })].map(async (root) => {
        const out = freshDir('pkg')
        const build = { mode: 'onedir' as const, name: 'suite', root, executables: [], sourceDateEpoch: String(EPOCH) }
        const assets = await packageBuilds(linux, [build], '', 'suite', '1.0', out)
        return assets.map((x) => [x.name, x.sha256])
      })
    )
    expect(shas[0].map((x) => x[0])).toEqual(['suite-1.0-linux-x64-onedir.tar.gz', 'suite-1.0-linux-x64-SHA256SUMS.txt'])
    expect(shas[1]).toEqual(shas[0])
  })
})

describe('hard links (Nuitka gives one multidist program several names)', () => {
  /** A folder holding one program under three names, as Nuitka's multidist builds do, and a plain file. */
  function linked(): string {
    const root = path.join(freshDir('links'), 'chatty-commander')
    fs.mkdirSync(root)
    fs.writeFileSync(path.join(root, 'chatty'), '#!/bin/sh\necho "$0"\n', { mode: 0o755 })
    fs.linkSync(path.join(root, 'chatty'), path.join(root, 'chatty-web'))
    fs.linkSync(path.join(root, 'chatty'), path.join(root, 'chatty-gui'))
    fs.writeFileSync(path.join(root, 'README'), 'readme\n')
    return root
  }

  it('stores the program once in a tar.gz, the other names as links to the first in name order, and extracts them as one file', async () => {
    const root = linked()
    expect(listEntries(linux, root).map((e) => [e.name, e.type, e.linkname])).toEqual([
      ['chatty-commander/', 'directory', undefined],
      ['chatty-commander/README', 'file', undefined],
      ['chatty-commander/chatty', 'file', undefined],
      ['chatty-commander/chatty-gui', 'link', 'chatty-commander/chatty'],
      ['chatty-commander/chatty-web', 'link', 'chatty-commander/chatty']
    ])
    const archive = path.join(freshDir('links-out'), 'a.tar.gz')
    await writeArchive(linux, root, archive, EPOCH)
    const listing = run('tar', ['-tvzf', archive])
    expect(listing.match(/ chatty-commander\/chatty-(web|gui) link to chatty-commander\/chatty$/gm)).toHaveLength(2)
    const dest = freshDir('links-x')
    run('tar', ['-xzf', archive, '-C', dest])
    const inode = (n: string): number => fs.statSync(path.join(dest, 'chatty-commander', n)).ino
    expect(new Set([inode('chatty'), inode('chatty-web'), inode('chatty-gui')]).size).toBe(1)
    expect(fs.statSync(path.join(dest, 'chatty-commander', 'chatty-web')).mode & 0o777).toBe(0o755)
  })

  it('stores every name in full in a zip, which has no links', async () => {
    const root = linked()
    const archive = path.join(freshDir('links-zip'), 'a.zip')
    await writeArchive(windows, root, archive, EPOCH)
    const sizes = run('python3', [
      '-c',
      'import sys, zipfile; print(*sorted((i.filename, i.file_size) for i in zipfile.ZipFile(sys.argv[1]).infolist()), sep="\\n")',
      archive
    ])
    expect(sizes).toContain("('chatty-commander/chatty-web', 20)")
    expect(sizes).toContain("('chatty-commander/chatty-gui', 20)")
  })
})

describe('writeArchive failures', () => {
  it('rejects, with the cause, when the archive cannot be written (tar.gz and zip)', async () => {
    const root = makeSuite({ umask: 'loose', mtime: EPOCH })
    const nowhere = path.join(freshDir('fail'), 'missing', 'x.tar.gz')
    await expect(writeArchive(linux, root, nowhere, EPOCH)).rejects.toThrow('ENOENT')
    await expect(writeArchive(windows, root, nowhere.replace(/tar\.gz$/, 'zip'), EPOCH)).rejects.toThrow('ENOENT')
  }, 10_000)

  it('rejects when a file vanishes while it is archived', async () => {
    const root = makeSuite({ umask: 'loose', mtime: EPOCH })
    const entries = listEntries(linux, root)
    fs.rmSync(path.join(root, 'README'))
    await expect(writeTarGz(entries, path.join(freshDir('gone'), 'x.tar.gz'), EPOCH)).rejects.toThrow('ENOENT')
    await expect(writeZip(entries, path.join(freshDir('gone'), 'x.zip'), EPOCH)).rejects.toThrow('ENOENT')
  }, 10_000)
})

describe('what no archive may hold (issue 22, defect 9)', () => {
  /** A one-folder build with one more entry made by `add`. */
  const buildWith = (add: (root: string) => void): string => {
    const root = path.join(freshDir('odd'), 'suite')
    fs.mkdirSync(path.join(root, '_internal'), { recursive: true })
    fs.writeFileSync(path.join(root, 'suite'), 'x', { mode: 0o755 })
    fs.symlinkSync('../suite', path.join(root, '_internal', 'inside-link'))
    add(root)
    return root
  }
  const packaged = (root: string): Promise<unknown> =>
    packageBuilds(linux, [{ mode: 'onedir', name: 'suite', root, executables: [] }], '', 'suite', '1.0', freshDir('odd-out')).then(
      () => undefined,
      (e: unknown) => e
    )

  it.each([
    ['an absolute link', '/etc/passwd', '/etc/passwd'],
    ['a link that climbs out', '../../../etc/passwd', '../../../etc/passwd'],
    ['a link to the folder above the build', '../..', '../..']
  ])('refuses %s, naming it and where it leads', async (_, target, shown) => {
    const root = buildWith((r) => fs.symlinkSync(target, path.join(r, '_internal', 'out-link')))
    expect(() => listEntries(linux, root)).toThrow(UnarchivableError)
    const error = (await packaged(root)) as Error
    expect(error.message).toBe(
      `suite (onedir) cannot be archived: ${path.join(root, '_internal', 'out-link')} is a symbolic link to ${shown}, outside the build: whoever unpacks the archive would get a link into their own machine (and Python's tarfile, with filter='data', refuses the whole archive). Remove the link from the build, or make it point inside it.`
    )
  })

  it('keeps a link that stays inside the build', () => {
    expect(linkLeavingArchive('suite/_internal/a', '../suite', 'suite')).toBeUndefined()
    expect(linkLeavingArchive('suite/_internal/a', 'b/../c', 'suite')).toBeUndefined()
    expect(linkLeavingArchive('suite/_internal/a', '..\\..\\x', 'suite')).toBe('../../x')
    expect(linkLeavingArchive('suite/a', 'C:\\Windows', 'suite')).toBe('C:/Windows')
  })

  it('refuses a FIFO with what it is, not a hint about output-dir', async () => {
    const root = buildWith((r) => run('mkfifo', [path.join(r, '_internal', 'pipe')]))
    const error = (await packaged(root)) as Error
    expect(error.message).toBe(
      `suite (onedir) cannot be archived: ${path.join(root, '_internal', 'pipe')} is a FIFO (named pipe), which an archive cannot hold. Remove it from the build.`
    )
    expect(error.message).not.toContain('output-dir')
  })
})
