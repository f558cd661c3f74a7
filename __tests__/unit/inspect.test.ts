/**
 * The inspect stage's Linux part: glibc-max as an input, the floor and its
 * offenders from version needs, the limit's message, the outputs and the job
 * summary, and builds without ELF objects (which never fail the limit).
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { inputErrorOf, readInputs, tempWorkspace } from '../../__fixtures__/read-config.js'
import { InputError } from '../../src/errors.js'
import { parseGlibcMax } from '../../src/inputs/checks.js'
import type { ElfInfo, VersionNeed } from '../../src/inspect/elf.js'
import type { BuildFacts, LinuxFacts } from '../../src/inspect/facts.js'
import { enforceLimits, inspect, walkFiles } from '../../src/inspect/index.js'
import { extractCommand, parseExtractOutput } from '../../src/inspect/onefile.js'
import { describeLinux, glibcFloor, glibcLimitProblem, linuxFacts, objectsAbove } from '../../src/inspect/linux.js'
import { platformFor } from '../../src/platform.js'
import { outputsFor, summaryMarkdown, type RunReport } from '../../src/report.js'
import { writeElf } from '../readelf.js'

const elf = (needs: VersionNeed[]): ElfInfo => ({
  bits: 64,
  littleEndian: true,
  type: 3,
  machine: 62,
  hasVersionNeeds: needs.length > 0,
  needs,
  source: 'sections'
})
const libc = (...versions: string[]): VersionNeed => ({ file: 'libc.so.6', versions })

/** The objects of chatty's one-file build as measured on Debian 12 (abridged). */
const CHATTY = [
  { path: 'chatty', info: elf([libc('GLIBC_2.2.5', 'GLIBC_2.34', 'GLIBC_2.3')]) },
  { path: 'libpython3.11.so.1.0', info: elf([libc('GLIBC_2.35', 'GLIBC_2.2.5'), { file: 'libm.so.6', versions: ['GLIBC_2.35', 'GLIBC_2.29'] }]) },
  { path: 'libexpat.so.1', info: elf([libc('GLIBC_2.36', 'GLIBC_2.14')]) },
  { path: 'lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so', info: elf([libc('GLIBC_2.4'), { file: 'libssl.so.3', versions: ['OPENSSL_3.0.0'] }]) },
  { path: 'libstdc++.so.6', info: elf([libc('GLIBC_2.33', 'GLIBC_PRIVATE')]) },
  { path: 'pydantic_core/_pydantic_core.so', info: elf([libc('GLIBC_2.17'), { file: 'libstdc++.so.6', versions: ['GLIBCXX_3.4.21', 'CXXABI_1.3.8'] }]) },
  { path: 'static-helper', info: elf([]) }
]

describe('glibc-max', () => {
  let env: Record<string, string>
  let remove: () => void
  beforeAll(() => {
    ;({ env, remove } = tempWorkspace('bs-glibc-'))
  })
  afterAll(() => remove())
  const read = (value: string): string => readInputs({ 'project-path': 'proj', 'glibc-max': value }, env).glibcMax

  it('is empty (no limit) by default, and takes major.minor and major.minor.patch versions', () => {
    expect(read('')).toBe('')
    expect(read(' 2.31 ')).toBe('2.31')
    expect(read('2.17')).toBe('2.17')
    expect(read('2.2.5')).toBe('2.2.5')
  })

  it.each(['abc', '2', '2.31;rm', '2.31 -rf', 'v2.31', '2.', '.31', '2.31.', '2,31', '2.3.4.5', '$(id)'])(
    'refuses %j with an InputError that names glibc-max, the problem and the fix',
    (value) => {
      const e = inputErrorOf(() => read(value), { 'glibc-max': value })
      expect(e.input).toBe('glibc-max')
      expect(e.message).toContain(`Input 'glibc-max': '${value.trim()}' is not a glibc version.`)
      expect(e.message).toContain("e.g. '2.31'")
    }
  )

  it('refuses two lines before reading them as a version (every one-line input does)', () => {
    const e = inputErrorOf(() => read('2.31\n2.28'), { 'glibc-max': '2.31\n2.28' })
    expect(e.input).toBe('glibc-max')
    expect(e.message).toContain('a line break is one: this input takes a single line')
    expect(() => parseGlibcMax('2.31\n2.28')).toThrow("'2.31\n2.28' is not a glibc version.")
  })

  it('is parsed by parseGlibcMax alone too', () => {
    expect(() => parseGlibcMax('2')).toThrow(InputError)
    expect(parseGlibcMax('')).toBe('')
  })
})

describe('linuxFacts', () => {
  const facts = linuxFacts(CHATTY, 'contents') as LinuxFacts

  it('takes the newest GLIBC_x.y over every object as the floor, not only the first one the loader would name', () => {
    expect(facts.glibc).toBe('2.36')
    expect(facts.glibcOffenders).toEqual([{ path: 'libexpat.so.1', needs: 'GLIBC_2.36' }])
    expect(facts.objects).toBe(7)
  })

  it('reports libstdc++ needs, and that libstdc++ ships in the build', () => {
    expect(facts).toMatchObject({ glibcxx: '3.4.21', cxxabi: '1.3.8', shipsLibstdcxx: true })
  })

  it('keeps each object’s newest needs, sorted by path', () => {
    expect(facts.objectsNeeds.map((o) => [o.path, o.glibc])).toEqual([
      ['chatty', '2.34'],
      ['lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so', '2.4'],
      ['libexpat.so.1', '2.36'],
      ['libpython3.11.so.1.0', '2.35'],
      ['libstdc++.so.6', '2.33'],
      ['pydantic_core/_pydantic_core.so', '2.17'],
      ['static-helper', '']
    ])
  })

  it('lists the objects above a limit, the newest need first', () => {
    expect(objectsAbove(facts, '2.31')).toEqual([
      { path: 'libexpat.so.1', needs: 'GLIBC_2.36' },
      { path: 'libpython3.11.so.1.0', needs: 'GLIBC_2.35' },
      { path: 'chatty', needs: 'GLIBC_2.34' },
      { path: 'libstdc++.so.6', needs: 'GLIBC_2.33' }
    ])
    expect(objectsAbove(facts, '2.36')).toEqual([])
  })

  it('says it in one line: runs on glibc ≥ 2.36: libexpat.so.1 needs GLIBC_2.36', () => {
    expect(describeLinux(facts)).toBe(
      'runs on glibc ≥ 2.36: libexpat.so.1 needs GLIBC_2.36; libstdc++ GLIBCXX_3.4.21, CXXABI_1.3.8 (libstdc++.so.6 ships in the build) (7 ELF objects read)'
    )
  })

  it('gives no facts without ELF objects, and an empty floor when none needs a versioned glibc symbol', () => {
    expect(linuxFacts([], 'contents')).toBeUndefined()
    const staticOnly = linuxFacts([{ path: 'prog', info: elf([]) }], 'outer') as LinuxFacts
    expect(staticOnly.glibc).toBe('')
    expect(describeLinux(staticOnly)).toContain('needs no versioned glibc symbol')
    expect(describeLinux(staticOnly)).toContain('the executable only')
  })
})

describe('the glibc-max limit', () => {
  const facts = linuxFacts(CHATTY, 'contents') as LinuxFacts

  it('names the worst offenders, at most five, with the version each needs, and the fix', () => {
    const many = linuxFacts(
      Array.from({ length: 8 }, (_, i) => ({ path: `lib${i}.so`, info: elf([libc(`GLIBC_2.${30 + i}`)]) })),
      'contents'
    ) as LinuxFacts
    const message = glibcLimitProblem('2.31', [{ label: 'app (onefile)', linux: many }]) as string
    expect(message).toContain('glibc-max is 2.31, and a build needs a newer glibc')
    expect(message).toContain(
      'app (onefile) needs glibc 2.37: lib7.so needs GLIBC_2.37; lib6.so needs GLIBC_2.36; lib5.so needs GLIBC_2.35; lib4.so needs GLIBC_2.34; lib3.so needs GLIBC_2.33; and 1 more object above 2.31.'
    )
    expect(message).not.toContain('lib0.so')
    expect(message).toContain('Build on an older system')
    expect(message).toContain('README')
  })

  it('passes at or above the floor', () => {
    expect(glibcLimitProblem('2.36', [{ label: 'chatty (onefile)', linux: facts }])).toBeUndefined()
    expect(glibcLimitProblem('2.40', [{ label: 'chatty (onefile)', linux: facts }])).toBeUndefined()
    expect(glibcLimitProblem('2.35', [{ label: 'chatty (onefile)', linux: facts }])).toContain('libexpat.so.1 needs GLIBC_2.36')
  })

  it('never fails a build without ELF objects (macOS, Windows)', () => {
    const build = { mode: 'onefile' as const, name: 'app.exe', root: '/x/app.exe', executables: [], facts: {} }
    expect(() => enforceLimits({ glibcMax: '2.0' }, [build])).not.toThrow()
    expect(glibcLimitProblem('2.0', [{ label: 'app.exe (onefile)' }])).toBeUndefined()
  })

  it('fails the inspect stage with a StageError', () => {
    const build = { mode: 'onefile' as const, name: 'chatty', root: '/x/chatty', executables: [], facts: { linux: facts } }
    expect(() => enforceLimits({ glibcMax: '2.31' }, [build])).toThrow(expect.objectContaining({ name: 'StageError', stage: 'inspect' }))
    expect(() => enforceLimits({ glibcMax: '' }, [build])).not.toThrow()
  })
})

describe('inspect (the stage) on folders it reads', () => {
  let dir: string
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-inspect-'))
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
  const linux = platformFor('linux', 'x64')

  it('reads every ELF file of a one-folder build, skipping symbolic links and other files', async () => {
    const root = path.join(dir, 'app')
    fs.mkdirSync(path.join(root, '_internal', 'lib-dynload'), { recursive: true })
    fs.writeFileSync(path.join(root, 'app'), writeElf({ bits: 64, littleEndian: true, needs: [libc('GLIBC_2.2.5', 'GLIBC_2.34')] }))
    fs.writeFileSync(path.join(root, '_internal', 'libz.so.1'), writeElf({ bits: 64, littleEndian: true, needs: [libc('GLIBC_2.14')] }))
    fs.writeFileSync(path.join(root, '_internal', 'lib-dynload', '_x.so'), writeElf({ bits: 64, littleEndian: true, needs: [libc('GLIBC_2.36')] }))
    fs.writeFileSync(path.join(root, '_internal', 'base_library.zip'), 'PK\x03\x04')
    fs.symlinkSync('libz.so.1', path.join(root, '_internal', 'libz.so'))
    expect(walkFiles(root).map((f) => f.path)).toEqual(['_internal/base_library.zip', '_internal/lib-dynload/_x.so', '_internal/libz.so.1', 'app'])
    const [built] = await inspect(
      { builder: 'pyinstaller', workDir: dir, glibcMax: '', spec: '', entrypoints: [] },
      linux,
      [{ mode: 'onedir', name: 'app', root, executables: [] }],
      '/no/python'
    )
    expect(built.facts.linux).toMatchObject({
      scope: 'contents',
      objects: 3,
      glibc: '2.36',
      glibcOffenders: [{ path: '_internal/lib-dynload/_x.so', needs: 'GLIBC_2.36' }]
    })
    await expect(
      inspect(
        { builder: 'pyinstaller', workDir: dir, glibcMax: '2.17', spec: '', entrypoints: [] },
        linux,
        [{ mode: 'onedir', name: 'app', root, executables: [] }],
        '/no/python'
      )
    ).rejects.toThrow('app (onedir) needs glibc 2.36: _internal/lib-dynload/_x.so needs GLIBC_2.36; app needs GLIBC_2.34.')
  })

  it('gives no Linux facts, and never fails glibc-max, for a build with no ELF objects', async () => {
    const root = path.join(dir, 'Mac.app')
    fs.mkdirSync(path.join(root, 'Contents', 'MacOS'), { recursive: true })
    fs.writeFileSync(path.join(root, 'Contents', 'MacOS', 'Mac'), Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]))
    const mac = platformFor('darwin', 'arm64')
    const [built] = await inspect(
      { builder: 'pyinstaller', workDir: dir, glibcMax: '2.17', spec: '', entrypoints: [] },
      mac,
      [{ mode: 'app', name: 'Mac.app', root, executables: [] }],
      '/no/python'
    )
    expect(built.facts).toEqual({})
  })

  it('reads only the executable of a Nuitka one-file build, and says so', async () => {
    const exe = path.join(dir, 'nuitka-app')
    fs.writeFileSync(exe, writeElf({ bits: 64, littleEndian: true, needs: [libc('GLIBC_2.34')] }))
    const [built] = await inspect(
      { builder: 'nuitka', workDir: dir, glibcMax: '', spec: '', entrypoints: [] },
      linux,
      [{ mode: 'onefile', name: 'nuitka-app', root: exe, executables: [] }],
      '/no/python'
    )
    expect(built.facts.linux).toMatchObject({ scope: 'outer', objects: 1, glibc: '2.34' })
  })
})

describe('outputs and job summary', () => {
  const facts: BuildFacts = { linux: linuxFacts(CHATTY, 'contents') as LinuxFacts }
  const report = (builds: RunReport['builds'], assets: RunReport['assets']): RunReport => ({
    platform: platformFor('linux', 'x64'),
    version: '0.3.1',
    python: '3.11.9',
    builder: 'PyInstaller',
    builds,
    assets,
    smokeRuns: 0,
    timings: [],
    outputDir: '/out'
  })
  const chatty = { mode: 'onefile' as const, name: 'chatty', root: '/d/chatty', executables: [{ name: 'chatty', path: '/d/chatty' }], facts }
  const older = {
    mode: 'onedir' as const,
    name: 'suite',
    root: '/d/suite',
    executables: [],
    facts: { linux: linuxFacts([{ path: 'suite', info: elf([libc('GLIBC_2.17')]) }], 'contents') as LinuxFacts }
  }
  const asset = { name: 'chatty-0.3.1-linux-x64.tar.gz', path: '/out/c.tar.gz', size: 1, sha256: 'a'.repeat(64), mode: 'onefile' as const, glibc: '2.36' }
  const sums = { name: 'SUMS', path: '/out/SUMS', size: 1, sha256: 'b'.repeat(64), mode: 'checksums' as const }

  it('sets glibc-floor to the highest floor over the builds, and glibc on each archive whose build has ELF objects', () => {
    const out = outputsFor(report([older, chatty], [asset, sums]))
    expect(out['glibc-floor']).toBe('2.36')
    expect(JSON.parse(out.assets)).toEqual([
      { name: asset.name, path: asset.path, size: 1, sha256: asset.sha256, mode: 'onefile', glibc: '2.36' },
      { name: 'SUMS', path: '/out/SUMS', size: 1, sha256: sums.sha256, mode: 'checksums' }
    ])
    expect(glibcFloor([older])).toBe('2.17')
  })

  it("sets glibc-floor to '' when no build has ELF objects", () => {
    expect(outputsFor(report([{ ...chatty, facts: {} }], [sums]))['glibc-floor']).toBe('')
    expect(glibcFloor([{}])).toBe('')
  })

  it('prints one line per build in the job summary', () => {
    const md = summaryMarkdown(report([chatty], [asset, sums]))
    expect(md).toContain('### Where the builds run')
    expect(md).toContain('- `chatty` (onefile): runs on glibc ≥ 2.36: libexpat.so.1 needs GLIBC_2.36')
    expect(summaryMarkdown(report([{ ...chatty, facts: {} }], [sums]))).not.toContain('Where the builds run')
  })
})

describe('one-file archives', () => {
  it('runs PyInstaller’s own CArchiveReader with the build venv’s interpreter, the paths as arguments', () => {
    const cmd = extractCommand('/v/bin/python', '/d/my app', '/t/out')
    expect(cmd.program).toBe('/v/bin/python')
    expect(cmd.args[0]).toBe('-c')
    expect(cmd.args[1]).toContain('from PyInstaller.archive.readers import CArchiveReader')
    expect(cmd.args.slice(2)).toEqual(['/d/my app', '/t/out'])
    expect(cmd.env).toMatchObject({ PYTHONPATH: undefined, PYTHONNOUSERSITE: '1' })
  })

  it('reads the script’s answer from its last line', () => {
    expect(parseExtractOutput('a warning\n{"archive": true, "members": ["libz.so.1", "lib-dynload/_ssl.so"]}\n')).toEqual({
      archive: true,
      members: ['libz.so.1', 'lib-dynload/_ssl.so']
    })
    expect(parseExtractOutput('{"archive": false, "reason": "not an archive"}')).toEqual({ archive: false, reason: 'not an archive' })
  })
})
