/**
 * The installers' inputs, metadata and writers. The .deb and .rpm writers
 * are checked by the real tools (dpkg-deb, dpkg --compare-versions, rpm -K,
 * rpm -qp), the cabinet and the MSI tables by msitools (msibuild makes the
 * database, msiinfo reads it back, msiextract unpacks the cabinet with
 * libgcab), and each package is written twice, from two folders at two
 * times, to the same bytes. The MSI is installed under Wine and the .deb and
 * .rpm into real systems by the long tests (__tests__/long/installers.test.ts).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { parseFormats, readInstallerInputs } from '../../src/inputs/installers.js'
import type { InputContext } from '../../src/inputs/context.js'
import { NO_PYPROJECT, parsePyproject } from '../../src/pyproject.js'
import { platformFor } from '../../src/platform.js'
import { homepageOf, packageMeta, packageName, systemVersion, type PackageMeta } from '../../src/installers/meta.js'
import { controlText, debData, debFileName, writeDeb } from '../../src/installers/deb.js'
import { rpmFileName, rpmFiles, sha256Hex, writeRpm } from '../../src/installers/rpm.js'
import { executablesIn, installedBuild, installEntries } from '../../src/installers/layout.js'
import { cabChecksum, writeCab } from '../../src/installers/cab.js'
import {
  guid5,
  idtFile,
  idtText,
  msiDatabaseCommands,
  msidbCandidates,
  msidbMissing,
  msiVersion,
  planMsi,
  upgradeCode,
  type MsiTable
} from '../../src/installers/msi.js'
import { dmgFileName, planDmg } from '../../src/installers/dmg.js'
import type { Build } from '../../src/freeze/builds.js'

const linux = platformFor('linux', 'x64')
const windows = platformFor('win32', 'x64')
const macos = platformFor('darwin', 'arm64')

let root: string
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-installers-'))
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const run = (program: string, args: string[]): { status: number | null; out: string } => {
  const r = spawnSync(program, args, { encoding: 'utf8' })
  return { status: r.status, out: `${r.stdout}${r.stderr}` }
}
const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** A one-folder build in a fresh folder: a program, a library folder and a data file; files dated `mtime`. */
function onedir(where: string, mtime: number, exe = 'tiny'): Build {
  const dir = path.join(root, where, exe)
  fs.mkdirSync(path.join(dir, '_internal', 'data'), { recursive: true })
  fs.writeFileSync(path.join(dir, exe), '#!/bin/sh\necho hello from tiny\n', { mode: 0o755 })
  fs.writeFileSync(path.join(dir, '_internal', 'lib.so'), Buffer.alloc(70000, 7), { mode: 0o755 })
  fs.writeFileSync(path.join(dir, '_internal', 'data', 'a.json'), '{"a": 1}\n')
  for (const f of [exe, '_internal/lib.so', '_internal/data/a.json']) fs.utimesSync(path.join(dir, f), mtime, mtime)
  return { mode: 'onedir', name: exe, root: dir, executables: [{ name: exe, path: path.join(dir, exe) }] }
}

const META: PackageMeta = {
  name: 'tiny-tool',
  version: '1.2.0rc1',
  summary: 'Tiny tool',
  license: 'MIT',
  homepage: 'https://example.org/tiny',
  maintainer: 'Jane Doe <jane@example.org>',
  vendor: 'Jane Doe',
  epoch: 1_700_000_000
}

describe('formats', () => {
  it('is archive when empty, and takes lines or commas, each format once', () => {
    expect(parseFormats('', 'linux')).toEqual(['archive'])
    expect(parseFormats('archive, deb\nrpm\ndeb', 'linux')).toEqual(['archive', 'deb', 'rpm'])
    expect(parseFormats('MSI', 'windows')).toEqual(['msi'])
    expect(parseFormats('dmg', 'macos')).toEqual(['dmg'])
  })

  it.each([
    ['exe', 'linux', /'exe' is not a format/],
    ['msi', 'linux', /msi \(a Windows Installer package of Windows programs\) is made on Windows runners only, and this runner is Linux/],
    ['dmg', 'windows', /dmg \(a macOS disk image, made with hdiutil\) is made on macOS runners only, and this runner is Windows/],
    ['deb', 'macos', /deb \(a Debian\/Ubuntu package of Linux programs\) is made on Linux runners only, and this runner is macOS/],
    ['archive, rpm', 'windows', /rpm .* is made on Linux runners only/]
  ] as const)('refuses %s on %s, naming the input and the systems each format needs', (value, os, message) => {
    let error: unknown
    try {
      parseFormats(value, os)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('formats')
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toMatch(/deb and rpm \(made on Linux runners\), msi \(Windows runners\) or dmg \(macOS runners\)/)
  })
})

describe('package-maintainer', () => {
  const context = (values: Record<string, string>, project = NO_PYPROJECT): InputContext =>
    ({ get: (n: string) => values[n] ?? '', project }) as unknown as InputContext
  const error = (f: () => unknown): InputError => {
    try {
      f()
    } catch (e) {
      return e as InputError
    }
    throw new Error('no error')
  }

  it('is needed for deb and msi when a static [project] names nobody: refused at once, before anything is installed', () => {
    const e = error(() => readInstallerInputs(context({ formats: 'deb' }, parsePyproject('[project]\nname = "x"\nversion = "1"\n')), 'linux'))
    expect(e.input).toBe('package-maintainer')
    expect(e.message).toBe(
      "Input 'package-maintainer': is empty, and no maintainer or author is named in pyproject.toml's [project], so the deb package would name nobody as its Maintainer. Set package-maintainer: Jane Doe <jane@example.org>, or add [project] maintainers (or authors) with a name and email to pyproject.toml."
    )
    expect(error(() => readInstallerInputs(context({ formats: 'msi' }, parsePyproject('[project]\nname = "x"\n')), 'windows')).message).toMatch(
      /so the msi package would name nobody as its Manufacturer/
    )
    expect(readInstallerInputs(context({ formats: 'rpm' }), 'linux').formats).toEqual(['rpm'])
  })

  it('is left to the installed distribution when pyproject.toml does not say: no [project] (setup.py, Poetry), or dynamic authors', () => {
    for (const text of ['', '[build-system]\nrequires = ["setuptools"]\n', '[tool.poetry]\nname = "x"\nauthors = ["A <a@example.org>"]\n'])
      expect(readInstallerInputs(context({ formats: 'deb' }, parsePyproject(text)), 'linux')).toEqual({ formats: ['deb'], packageMaintainer: '' })
    expect(readInstallerInputs(context({ formats: 'deb' }, NO_PYPROJECT), 'linux').formats).toEqual(['deb'])
    expect(readInstallerInputs(context({ formats: 'msi' }, parsePyproject('[project]\nname = "x"\ndynamic = ["authors"]\n')), 'windows').formats).toEqual([
      'msi'
    ])
  })

  it('is taken from [project] maintainers or authors otherwise', () => {
    const project = parsePyproject(
      '[project]\nname = "x"\nauthors = [{name = "A Author", email = "a@example.org"}]\nmaintainers = [{name = "M Keeper", email = "m@example.org"}]\n'
    )
    expect(project.contacts).toEqual(['M Keeper <m@example.org>', 'A Author <a@example.org>'])
    expect(readInstallerInputs(context({ formats: 'msi' }, project), 'windows').packageMaintainer).toBe('')
  })

  it('must be a name and an email address in angle brackets', () => {
    expect(readInstallerInputs(context({ formats: 'deb', 'package-maintainer': 'Jane Doe <jane@example.org>' }), 'linux').packageMaintainer).toBe(
      'Jane Doe <jane@example.org>'
    )
    for (const bad of ['jane@example.org', 'Jane <jane>', 'Jane <a@b>, Joe <c@d>', '<a@b.c>'])
      expect(error(() => readInstallerInputs(context({ 'package-maintainer': bad }), 'linux')).input).toBe('package-maintainer')
  })
})

describe('package metadata', () => {
  it('names the package for every system from the name input, the project or the build', () => {
    expect(packageName('Chatty_Commander')).toBe('chatty-commander')
    expect(packageName('x')).toMatch(/^[a-z0-9][a-z0-9.+-]+$/)
    const project = parsePyproject(
      '[project]\nname = "Tiny_Tool"\ndescription = "A tool\\nover lines"\nlicense = "MIT OR Apache-2.0"\n[project.urls]\nSource = "https://example.org/src"\nHome-page = "https://example.org"\n'
    )
    const meta = packageMeta({ name: '', project, packageMaintainer: 'Jane Doe <jane@example.org>' }, 'tiny', '1.0.0', 5)
    expect(meta).toEqual({
      name: 'tiny-tool',
      version: '1.0.0',
      summary: 'A tool over lines',
      license: 'MIT OR Apache-2.0',
      homepage: 'https://example.org',
      maintainer: 'Jane Doe <jane@example.org>',
      vendor: 'Jane Doe',
      epoch: 5
    })
    expect(homepageOf({ Documentation: 'https://docs.example.org', Repository: 'https://example.org/repo' })).toBe('https://example.org/repo')
    expect(packageMeta({ name: 'Other', project: NO_PYPROJECT, packageMaintainer: '' }, 'tiny', '1', 0, 'BSD-3-Clause').license).toBe('BSD-3-Clause')
  })

  it('writes PEP 440 versions so that dpkg orders them as Python does', () => {
    expect(systemVersion('1.2.0rc1', 'deb')).toBe('1.2.0~rc1')
    expect(systemVersion('2!1.0', 'deb')).toBe('2:1.0')
    expect(systemVersion('1.0.dev3', 'rpm')).toBe('1.0~~dev3')
    expect(systemVersion('1.0+abc.1', 'deb')).toBe('1.0+abc.1')
    const ordered = ['1.0.dev1', '1.0a1.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0+local', '1.0.post1', '1.1']
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [systemVersion(ordered[i - 1], 'deb'), systemVersion(ordered[i], 'deb')]
      expect({ a, b, lt: run('dpkg', ['--compare-versions', a, 'lt', b]).status }).toEqual({ a, b, lt: 0 })
    }
  })
})

describe('the .deb', () => {
  const write = async (where: string, mtime: number): Promise<string> => {
    const build = onedir(where, mtime)
    const entries = installEntries(linux, build)
    const file = path.join(root, where, debFileName(META, 'x64'))
    await writeDeb(file, controlText(META, 'x64', '2.31', 71234), debData(META, entries, executablesIn(build)), META.epoch, path.join(root, where, 'work'))
    return file
  }

  it('is a package dpkg-deb reads: the control fields, /opt/{name}/ and the link in /usr/bin, every entry root-owned at the build time', async () => {
    const file = await write('deb-a', 1_000_000)
    expect(path.basename(file)).toBe('tiny-tool_1.2.0~rc1_amd64.deb')
    const info = run('dpkg-deb', ['--info', file])
    expect(info.status).toBe(0)
    expect(run('dpkg-deb', ['--field', file]).out).toBe(
      [
        'Package: tiny-tool',
        'Version: 1.2.0~rc1',
        'Architecture: amd64',
        'Maintainer: Jane Doe <jane@example.org>',
        'Installed-Size: 70',
        'Depends: libc6 (>= 2.31)',
        'Section: utils',
        'Priority: optional',
        'Homepage: https://example.org/tiny',
        'Description: Tiny tool',
        ' https://example.org/tiny',
        ''
      ].join('\n')
    )
    const listing = run('dpkg-deb', ['--contents', file]).out.trim().split('\n')
    expect(listing.map((l) => l.replace(/^(\S+) (\S+) +\d+ (\S+ \S+) /, '$1 $2 $3 '))).toEqual([
      'drwxr-xr-x 0/0 2023-11-14 22:13 ./',
      'drwxr-xr-x 0/0 2023-11-14 22:13 ./opt/',
      'drwxr-xr-x 0/0 2023-11-14 22:13 ./opt/tiny-tool/',
      'drwxr-xr-x 0/0 2023-11-14 22:13 ./opt/tiny-tool/_internal/',
      'drwxr-xr-x 0/0 2023-11-14 22:13 ./opt/tiny-tool/_internal/data/',
      '-rw-r--r-- 0/0 2023-11-14 22:13 ./opt/tiny-tool/_internal/data/a.json',
      '-rwxr-xr-x 0/0 2023-11-14 22:13 ./opt/tiny-tool/_internal/lib.so',
      '-rwxr-xr-x 0/0 2023-11-14 22:13 ./opt/tiny-tool/tiny',
      'drwxr-xr-x 0/0 2023-11-14 22:13 ./usr/',
      'drwxr-xr-x 0/0 2023-11-14 22:13 ./usr/bin/',
      'lrwxrwxrwx 0/0 2023-11-14 22:13 ./usr/bin/tiny -> /opt/tiny-tool/tiny'
    ])
    // md5sums lists every file, as dpkg --verify reads it.
    const x = path.join(root, 'deb-a', 'control')
    expect(run('dpkg-deb', ['--control', file, x]).status).toBe(0)
    expect(fs.readFileSync(path.join(x, 'md5sums'), 'utf8')).toBe(
      [
        `${createHash('md5').update('{"a": 1}\n').digest('hex')}  opt/tiny-tool/_internal/data/a.json`,
        `${createHash('md5').update(Buffer.alloc(70000, 7)).digest('hex')}  opt/tiny-tool/_internal/lib.so`,
        `${createHash('md5').update('#!/bin/sh\necho hello from tiny\n').digest('hex')}  opt/tiny-tool/tiny`,
        ''
      ].join('\n')
    )
  })

  it('is the same byte for byte from another folder at another time', async () => {
    expect(sha(await write('deb-b', 1_000_000))).toBe(sha(await write('deb-c', 2_000_000)))
  })
})

describe('the .rpm', () => {
  const write = async (where: string, mtime: number, glibc = '2.34'): Promise<string> => {
    const build = onedir(where, mtime)
    const data = debData(META, installEntries(linux, build), executablesIn(build))
    const file = path.join(root, where, rpmFileName(META, 'x64'))
    await writeRpm(file, META, 'x64', glibc, rpmFiles(META, data, sha256Hex), path.join(root, where, 'work'))
    return file
  }

  it('passes rpm -K (header and payload digests) and says what rpm -qip, -qlp and --requires show', async () => {
    const file = await write('rpm-a', 1_000_000)
    expect(path.basename(file)).toBe('tiny-tool-1.2.0~rc1-1.x86_64.rpm')
    const k = run('rpm', ['-K', '-v', file])
    expect(k.status).toBe(0)
    expect(k.out).toMatch(/Header SHA256 digest: OK/)
    expect(k.out).toMatch(/Payload SHA256 digest: OK/)
    expect(k.out).toMatch(/MD5 digest: OK/)
    const q = (...args: string[]): string => run('rpm', ['-qp', ...args, file]).out.replace(/^rpm: .*\n/gm, '')
    expect(q('--queryformat', '%{NAME}|%{VERSION}|%{RELEASE}|%{ARCH}|%{LICENSE}|%{URL}|%{PACKAGER}|%{SUMMARY}|%{BUILDTIME}|%{SOURCERPM}')).toBe(
      'tiny-tool|1.2.0~rc1|1|x86_64|MIT|https://example.org/tiny|Jane Doe <jane@example.org>|Tiny tool|1700000000|tiny-tool-1.2.0~rc1-1.src.rpm'
    )
    expect(q('--requires').split('\n')[0]).toBe('glibc >= 2.34')
    expect(q('-l').trim().split('\n')).toEqual([
      '/opt/tiny-tool',
      '/opt/tiny-tool/_internal',
      '/opt/tiny-tool/_internal/data',
      '/opt/tiny-tool/_internal/data/a.json',
      '/opt/tiny-tool/_internal/lib.so',
      '/opt/tiny-tool/tiny',
      '/usr/bin/tiny'
    ])
    expect(
      q('--dump')
        .split('\n')
        .find((l) => l.startsWith('/usr/bin/tiny '))
    ).toMatch(/ 0120777 root root 0 0 0 \/opt\/tiny-tool\/tiny$/)
    expect(run('rpm', ['-qip', file]).out).toMatch(/Description :\nTiny tool\n\nhttps:\/\/example.org\/tiny/)
  })

  it('is the same byte for byte from another folder at another time', async () => {
    expect(sha(await write('rpm-b', 1_000_000))).toBe(sha(await write('rpm-c', 2_000_000)))
  })
})

describe('the MSI', () => {
  const programs = [
    { name: 'tiny.exe', path: 'tiny.exe', windowed: false },
    { name: 'tiny-gui.exe', path: 'tiny-gui.exe', windowed: true }
  ]
  const table = (tables: readonly MsiTable[], name: string): MsiTable => tables.find((t) => t.name === name) as MsiTable
  const build = (where: string): Build => {
    const b = onedir(where, 1, 'tiny.exe')
    fs.writeFileSync(path.join(b.root, 'tiny-gui.exe'), 'MZ windowed')
    return { ...b, name: 'tiny', executables: [...b.executables, { name: 'tiny-gui.exe', path: path.join(b.root, 'tiny-gui.exe') }] }
  }

  it('installs per user under LocalAppData\\Programs\\{name}: a shortcut for the windowed program, PATH for the console one, one component per folder', () => {
    const plan = planMsi({ ...META, version: '1.2.0' }, 'x64', installEntries(windows, build('msi-a')), programs, 'content')
    const rows = (name: string): unknown[][] => table(plan.tables, name).rows.map((r) => [...r])
    expect(rows('Directory').slice(0, 5)).toEqual([
      ['TARGETDIR', '', 'SourceDir'],
      ['LocalAppDataFolder', 'TARGETDIR', '.'],
      ['ProgramsFolder', 'LocalAppDataFolder', 'Programs'],
      ['ProgramMenuFolder', 'TARGETDIR', '.'],
      ['INSTALLDIR', 'ProgramsFolder', 'tiny-tool']
    ])
    expect(rows('Shortcut').map((r) => [r[1], r[2], String(r[4]).startsWith('[#F')])).toEqual([['ProgramMenuFolder', 'tiny-gui', true]])
    expect(rows('Environment').map((r) => r.slice(1, 3))).toEqual([['=-PATH', '[~];[INSTALLDIR]']])
    // Every component's key path is under HKCU (a per-user install), and every folder is removed on uninstall.
    expect(rows('Component')).toHaveLength(3)
    expect(rows('Registry').every((r) => r[1] === 1)).toBe(true)
    expect(rows('RemoveFile').map((r) => r[4])).toEqual([2, 2, 2])
    // Compressed, and no elevation needed (Word Count 2 | 8).
    expect(rows('_SummaryInformation').find((r) => r[0] === 15)).toEqual([15, 10])
    expect(rows('Property').find((r) => r[0] === 'ALLUSERS')).toBeUndefined()
    expect(rows('InstallExecuteSequence').map((r) => r[0])).toEqual(
      expect.arrayContaining(['RemoveExistingProducts', 'WriteEnvironmentStrings', 'CreateShortcuts'])
    )
  })

  it('replaces any other build of the same name up to its version, and refuses to replace a newer one', () => {
    const entries = installEntries(windows, build('msi-b'))
    const one = planMsi({ ...META, version: '1.2.0' }, 'x64', entries, programs, 'a')
    const other = planMsi({ ...META, version: '1.2.0' }, 'x64', entries, programs, 'b')
    const two = planMsi({ ...META, version: '1.3' }, 'x64', entries, programs, 'a')
    expect(one.upgradeCode).toBe(upgradeCode('tiny-tool'))
    expect(two.upgradeCode).toBe(one.upgradeCode)
    expect(upgradeCode('other-tool')).not.toBe(one.upgradeCode)
    expect(new Set([one.productCode, other.productCode, two.productCode]).size).toBe(3)
    expect(one.packageCode).not.toBe(other.packageCode)
    expect(table(one.tables, 'Upgrade').rows).toEqual([
      [one.upgradeCode, '', '1.2.0', '', 513, '', 'WIX_UPGRADE_DETECTED'],
      [one.upgradeCode, '1.2.0', '', '', 2, '', 'WIX_DOWNGRADE_DETECTED']
    ])
    expect(table(one.tables, 'LaunchCondition').rows).toEqual([['NOT WIX_DOWNGRADE_DETECTED', 'A newer version of [ProductName] is already installed.']])
    expect(guid5('x')).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}$/)
  })

  it('takes major.minor.build from the version, within Windows Installer’s limits', () => {
    expect(msiVersion('1.2')).toBe('1.2.0')
    expect(msiVersion('1.2.3.4rc1')).toBe('1.2.3')
    expect(msiVersion('2024.1.0')).toBeUndefined()
    expect(() => planMsi({ ...META, version: 'abc' }, 'x64', [], [], 'x')).toThrow(/major.minor.build/)
  })

  it('is a database msibuild writes from the .idt files, with the cabinet libgcab unpacks back to the same files, the same bytes twice', () => {
    const make = (where: string): string => {
      const b = build(where)
      const entries = installEntries(windows, b)
      const dir = path.join(root, where, 'msi')
      fs.mkdirSync(path.join(dir, 'tables'), { recursive: true })
      const cab = path.join(dir, 'app.cab')
      writeCab(
        cab,
        planMsi({ ...META, version: '1.2.0' }, 'x64', entries, programs, '').files.map((f) => ({ name: f.key, source: f.source })),
        META.epoch,
        dir
      )
      const plan = planMsi({ ...META, version: '1.2.0' }, 'x64', entries, programs, sha256Hex(cab))
      for (const t of plan.tables) fs.writeFileSync(path.join(dir, 'tables', idtFile(t)), idtText(t), 'latin1')
      const msi = path.join(dir, 'tiny.msi')
      for (const cmd of msiDatabaseCommands({ kind: 'msibuild', program: 'msibuild' }, msi, path.join(dir, 'tables'), plan.tables, cab)) {
        const r = spawnSync(cmd.program, [...cmd.args], { cwd: cmd.cwd, encoding: 'utf8' })
        expect({ cmd: cmd.args[1], status: r.status, err: r.stderr }).toEqual({ cmd: cmd.args[1], status: 0, err: '' })
      }
      return msi
    }
    const msi = make('msi-c')
    expect(run('msiinfo', ['export', msi, 'Environment']).out).toMatch(/=-PATH\t\[~\];\[INSTALLDIR\]/)
    expect(run('msiinfo', ['suminfo', msi]).out).toMatch(/Template: x64;1033/)
    const out = path.join(root, 'msi-c', 'extracted')
    fs.mkdirSync(out)
    expect(spawnSync('msiextract', ['-C', out, msi], { encoding: 'utf8' }).status).toBe(0)
    for (const f of ['tiny.exe', 'tiny-gui.exe', '_internal/lib.so', '_internal/data/a.json'])
      expect(sha(path.join(out, 'Programs', 'tiny-tool', f))).toBe(sha(path.join(root, 'msi-c', 'tiny.exe', f)))
    expect(sha(make('msi-d'))).toBe(sha(msi))
  })

  it('uses MsiDb.exe of the newest Windows SDK (bin\\<version>\\x86, where the SDK’s MSI Tools put it; bin\\x86 in the oldest 10 SDKs), and msibuild with the cabinet as the app.cab stream', () => {
    expect(msidbCandidates(path.win32.join, 'C:\\Kits\\10', ['10.0.19041.0', 'wdf', '10.0.22621.0', 'x86'])).toEqual([
      'C:\\Kits\\10\\bin\\10.0.22621.0\\x86\\MsiDb.exe',
      'C:\\Kits\\10\\bin\\10.0.19041.0\\x86\\MsiDb.exe',
      'C:\\Kits\\10\\bin\\x86\\MsiDb.exe'
    ])
    const tables = [{ name: 'Property', columns: [], keys: 1, rows: [] }]
    expect(msiDatabaseCommands({ kind: 'msidb', program: 'msidb.exe' }, 'C:\\o\\a.msi', 'C:\\w\\tables', tables, 'C:\\w\\app.cab')).toEqual([
      { program: 'msidb.exe', args: ['-c', '-d', 'C:\\o\\a.msi', '-f', 'C:\\w\\tables', '-i', 'Property.idt'] },
      { program: 'msidb.exe', args: ['-d', 'C:\\o\\a.msi', '-a', 'C:\\w\\app.cab'] }
    ])
  })

  it('names each .idt file as msidb.exe imports it: at most 8 characters and .idt (it cuts longer names it is given to 8), each table its own file', () => {
    const plan = planMsi({ ...META, version: '1.2.0' }, 'x64', installEntries(windows, build('msi-e')), programs, 'content')
    const names = plan.tables.map(idtFile)
    for (const name of names) expect(name).toMatch(/^[A-Za-z_]{1,8}\.idt$/)
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(plan.tables.length)
    expect(names).toEqual(expect.arrayContaining(['_Summary.idt', 'Director.idt', 'InstallE.idt', 'InstallU.idt', 'FeatureC.idt', 'Property.idt', 'File.idt']))
    // Each file still says which table it holds (the third line), which is what the tools read.
    expect(idtText(plan.tables.find((t) => t.name === 'InstallExecuteSequence') as MsiTable).split('\r\n')[2]).toBe('InstallExecuteSequence\tAction')
  })

  it('says exactly what to install when MsiDb.exe is missing on a Windows runner', () => {
    const message = msidbMissing('C:\\Program Files (x86)\\Windows Kits\\10')
    expect(message).toContain('C:\\Program Files (x86)\\Windows Kits\\10\\bin\\<version>\\x86\\MsiDb.exe')
    expect(message).toContain('winsdksetup.exe /features OptionId.MSIInstallTools /quiet /norestart')
    expect(message).toContain('remove msi from formats')
  })

  it('checksums each cabinet block as [MS-CAB] says: little-endian words XORed, a last partial word high byte first', () => {
    expect(cabChecksum(Buffer.from([1, 0, 0, 0, 2, 0, 0, 0]))).toBe(3)
    expect(cabChecksum(Buffer.from([0x12, 0x34]))).toBe(0x1234)
  })
})

describe('the disk image', () => {
  const app: Build = { mode: 'app', name: 'Tiny.app', root: '/w/dist/Tiny.app', executables: [{ name: 'tiny', path: '/w/dist/Tiny.app/Contents/MacOS/tiny' }] }
  const meta = { ...META, version: '1.2.0' }

  it('holds the .app and an Applications link, made into a compressed HFS+ image and verified', () => {
    const dmg = `/out/${dmgFileName(meta, macos)}`
    expect(dmg).toBe('/out/tiny-tool-1.2.0-macos-arm64.dmg')
    expect(installedBuild([{ ...app, mode: 'onefile' }, app], ['app', 'onedir', 'onefile'])).toBe(app)
    const plan = planDmg(meta, macos, app, dmg, '/rt/bs')
    expect(plan.link).toEqual({ path: '/rt/bs/installers/dmg/tiny-tool/Applications', target: '/Applications' })
    expect(plan.commands).toEqual([
      { program: '/usr/bin/ditto', args: ['/w/dist/Tiny.app', '/rt/bs/installers/dmg/tiny-tool/Tiny.app'] },
      {
        program: '/usr/bin/hdiutil',
        args: [
          'create',
          '-volname',
          'tiny-tool 1.2.0',
          '-srcfolder',
          '/rt/bs/installers/dmg/tiny-tool',
          '-fs',
          'HFS+',
          '-format',
          'UDZO',
          '-imagekey',
          'zlib-level=9',
          '-ov',
          dmg
        ]
      },
      { program: '/usr/bin/hdiutil', args: ['verify', dmg] }
    ])
    expect(plan.submitAt).toBe(-1)
  })

  it('is signed after it is made, then notarized as it is, stapled and validated', () => {
    const auth = { kind: 'api-key' as const, keyFile: '/rt/k.p8', keyId: 'K', issuer: 'I' }
    const plan = planDmg(meta, macos, app, '/out/t.dmg', '/rt/bs', {
      identity: 'Developer ID Application: X',
      keychain: '/rt/k.keychain-db',
      notary: { auth, timeout: '30m' }
    })
    const line = (i: number): string => [plan.commands[i].program, ...plan.commands[i].args].join(' ')
    expect(plan.commands.map((_, i) => line(i)).slice(3)).toEqual([
      '/usr/bin/codesign --force --timestamp --sign Developer ID Application: X --keychain /rt/k.keychain-db /out/t.dmg',
      '/usr/bin/codesign --verify --strict --verbose=2 /out/t.dmg',
      '/usr/bin/xcrun notarytool submit /out/t.dmg --key /rt/k.p8 --key-id K --issuer I --wait --timeout 30m --output-format json',
      '/usr/bin/xcrun stapler staple /out/t.dmg',
      '/usr/bin/xcrun stapler validate /out/t.dmg'
    ])
    // A disk image's own signature: no hardened runtime, no entitlements (they belong to the code inside).
    expect(plan.commands[3].args).not.toContain('runtime')
    expect(plan.submitAt).toBe(5)
  })
})
