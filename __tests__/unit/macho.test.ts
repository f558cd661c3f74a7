/**
 * The Mach-O reader on real files — PyInstaller's universal2 macOS bootloaders
 * from its PyPI wheel — and on small crafted buffers for what those do not
 * show (big-endian, FAT_MAGIC_64, other platforms, truncation, look-alikes).
 * What the real files are was read independently with llvm-objdump
 * (--macho --universal-headers / --private-headers) and file(1).
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { bootloader } from '../bootloaders.js'
import { compareVersions, describeMac, describeMacProblem, macFacts, readMachO, type MachOFacts } from '../../src/inspect/macho.js'

// ---- crafted files

const X86_64 = 0x01000007
const ARM64 = 0x0100000c
const PPC = 18
const enc = (major: number, minor: number, patch = 0): number => (major << 16) | (minor << 8) | patch

interface Cmd {
  readonly cmd: number
  readonly words: readonly number[]
}
const buildVersion = (platform: number, minos: number): Cmd => ({ cmd: 0x32, words: [platform, minos, enc(14, 0), 0] })
const versionMin = (v: number): Cmd => ({ cmd: 0x24, words: [v, enc(14, 0)] })
const uuid: Cmd = { cmd: 0x1b, words: [1, 2, 3, 4] }

/** A thin Mach-O file: header and load commands, in the given byte order. */
function thin(o: { cputype: number; cpusubtype?: number; big?: boolean; bits?: 32 | 64; filetype?: number; cmds: readonly Cmd[] }): Buffer {
  const little = !o.big
  const is64 = (o.bits ?? 64) === 64
  const header = is64 ? 32 : 28
  const sizes = o.cmds.map((c) => 8 + 4 * c.words.length)
  const buf = Buffer.alloc(header + sizes.reduce((a, b) => a + b, 0) + 16)
  const w = (at: number, v: number): number => (little ? buf.writeUInt32LE(v >>> 0, at) : buf.writeUInt32BE(v >>> 0, at))
  w(0, is64 ? 0xfeedfacf : 0xfeedface)
  w(4, o.cputype)
  w(8, o.cpusubtype ?? 0)
  w(12, o.filetype ?? 6)
  w(16, o.cmds.length)
  w(
    20,
    sizes.reduce((a, b) => a + b, 0)
  )
  let at = header
  o.cmds.forEach((c, i) => {
    w(at, c.cmd)
    w(at + 4, sizes[i])
    c.words.forEach((v, j) => w(at + 8 + 4 * j, v))
    at += sizes[i]
  })
  return buf
}

/** A universal file holding the given thin files, with 32- or 64-bit fat_arch entries. */
function fat(slices: readonly { cputype: number; cpusubtype?: number; data: Buffer }[], magic64 = false): Buffer {
  const entry = magic64 ? 32 : 20
  const parts: Buffer[] = []
  let offset = 4096
  const head = Buffer.alloc(offset)
  head.writeUInt32BE(magic64 ? 0xcafebabf : 0xcafebabe, 0)
  head.writeUInt32BE(slices.length, 4)
  slices.forEach((s, i) => {
    const e = 8 + i * entry
    head.writeUInt32BE(s.cputype >>> 0, e)
    head.writeUInt32BE(s.cpusubtype ?? 0, e + 4)
    if (magic64) {
      head.writeBigUInt64BE(BigInt(offset), e + 8)
      head.writeBigUInt64BE(BigInt(s.data.length), e + 16)
    } else {
      head.writeUInt32BE(offset, e + 8)
      head.writeUInt32BE(s.data.length, e + 12)
    }
    parts.push(s.data)
    offset += s.data.length
  })
  return Buffer.concat([head, ...parts])
}

// ---- real files

describe('readMachO on PyInstaller 6.22.3 macOS bootloaders (universal2 wheel)', () => {
  let run: Buffer
  beforeAll(() => {
    run = bootloader('macosx_10_13_universal2', 'run')
  }, 300_000)

  it('reads run as universal2: an x86_64 slice needing macOS 10.13 (LC_VERSION_MIN_MACOSX) and an arm64 slice needing 11.0 (LC_BUILD_VERSION)', () => {
    expect(readMachO(run)).toEqual({
      universal: true,
      slices: [
        { arch: 'x86_64', fileType: 'execute', minos: '10.13', minosFrom: 'LC_VERSION_MIN_MACOSX', complete: true },
        { arch: 'arm64', fileType: 'execute', minos: '11.0', minosFrom: 'LC_BUILD_VERSION', complete: true }
      ]
    })
  })

  it.each(['run_d', 'runw', 'runw_d'])('reads %s the same way', (name) => {
    const facts = readMachO(bootloader('macosx_10_13_universal2', name)) as MachOFacts
    expect(facts.slices.map((s) => [s.arch, s.fileType, s.minos])).toEqual([
      ['x86_64', 'execute', '10.13'],
      ['arm64', 'execute', '11.0']
    ])
  })

  it('follows the fat header to the slices: the arm64 slice cut out at its offset (81920, 89216 bytes per llvm-objdump) is a thin arm64 file', () => {
    const slice = run.subarray(81920, 81920 + 89216)
    expect(readMachO(slice)).toEqual({
      universal: false,
      slices: [{ arch: 'arm64', fileType: 'execute', minos: '11.0', minosFrom: 'LC_BUILD_VERSION', complete: true }]
    })
    const x86 = readMachO(run.subarray(8192, 8192 + 59744)) as MachOFacts
    expect(x86.slices.map((s) => [s.arch, s.minos])).toEqual([['x86_64', '10.13']])
  })

  it('is not fooled by the Windows bootloader, an ELF header, a Java class file, text or nothing', () => {
    expect(readMachO(bootloader('win_amd64', 'run.exe'))).toBeUndefined()
    expect(readMachO(Buffer.from('7f454c4602010100000000000000000003003e00', 'hex'))).toBeUndefined()
    // A Java class file starts with 0xcafebabe too, then minor 0, major 52.
    expect(readMachO(Buffer.from('cafebabe00000034001d0a0006000f09', 'hex'))).toBeUndefined()
    expect(readMachO(Buffer.from('#!/bin/sh\necho hello\n'))).toBeUndefined()
    expect(readMachO(Buffer.alloc(0))).toBeUndefined()
  })

  it('gives undefined for a file cut off inside its fat header, and an incomplete slice when cut off before a slice', () => {
    expect(readMachO(run.subarray(0, 20))).toBeUndefined() // 2 fat_arch entries need 48 bytes
    const head = readMachO(run.subarray(0, 8192 + 4096)) as MachOFacts
    expect(head.slices.map((s) => [s.arch, s.complete])).toEqual([
      ['x86_64', true],
      ['arm64', false]
    ])
    expect(head.slices[1].minos).toBeUndefined()
  })

  it('finds the floors of a build from the real files: 11.0 overall, 10.13 on Intel', () => {
    const files = [
      { path: 'dist/chatty', facts: readMachO(run) as MachOFacts },
      { path: 'dist/chatty-gui', facts: readMachO(bootloader('macosx_10_13_universal2', 'runw')) as MachOFacts }
    ]
    const facts = macFacts(files, 'dist/chatty')
    expect(facts.archs).toEqual(['arm64', 'x86_64'])
    expect(facts.minos).toEqual({ minos: '11.0', path: 'dist/chatty', arch: 'arm64' })
    expect(facts.minosByArch.x86_64).toEqual({ minos: '10.13', path: 'dist/chatty', arch: 'x86_64' })
    expect(facts.problems).toEqual([])
    expect(describeMac(facts)).toBe('runs on macOS ≥ 11.0 (arm64, x86_64): chatty needs 11.0; x86_64 from 10.13')
  })

  it('reports a bundled thin arm64 file (a real slice) as missing x86_64 in a universal2 build', () => {
    const arm64Only = readMachO(run.subarray(81920, 81920 + 89216)) as MachOFacts
    const facts = macFacts(
      [
        { path: 'app/chatty', facts: readMachO(run) as MachOFacts },
        { path: 'app/_internal/libfoo.dylib', facts: arm64Only }
      ],
      'app/chatty'
    )
    expect(facts.problems).toEqual([{ path: 'app/_internal/libfoo.dylib', missing: ['x86_64'], archs: ['arm64'] }])
    expect(describeMacProblem(facts.problems[0])).toContain('app/_internal/libfoo.dylib has arm64 but not x86_64')
    // The other way round is fine: an arm64 executable may bundle universal2 libraries.
    expect(
      macFacts(
        [
          { path: 'x', facts: arm64Only },
          { path: 'lib', facts: readMachO(run) as MachOFacts }
        ],
        'x'
      ).problems
    ).toEqual([])
  })
})

// ---- crafted files

describe('readMachO on crafted files', () => {
  it('reads a little-endian 64-bit arm64e dylib with LC_BUILD_VERSION, patch level kept', () => {
    const f = thin({ cputype: ARM64, cpusubtype: 0x80000002, filetype: 6, cmds: [uuid, buildVersion(1, enc(13, 3, 1))] })
    expect(readMachO(f)).toEqual({
      universal: false,
      slices: [{ arch: 'arm64e', fileType: 'dylib', minos: '13.3.1', minosFrom: 'LC_BUILD_VERSION', complete: true }]
    })
  })

  it('reads a big-endian 32-bit PowerPC bundle with LC_VERSION_MIN_MACOSX', () => {
    const f = thin({ cputype: PPC, big: true, bits: 32, filetype: 8, cmds: [versionMin(enc(10, 4))] })
    expect(readMachO(f)?.slices).toEqual([{ arch: 'ppc', fileType: 'bundle', minos: '10.4', minosFrom: 'LC_VERSION_MIN_MACOSX', complete: true }])
  })

  it('takes LC_BUILD_VERSION over LC_VERSION_MIN_MACOSX, and ignores LC_BUILD_VERSION of other platforms (iOS = 2)', () => {
    const both = thin({ cputype: X86_64, cmds: [versionMin(enc(10, 9)), buildVersion(1, enc(10, 15))] })
    expect(readMachO(both)?.slices[0].minos).toBe('10.15')
    const ios = thin({ cputype: ARM64, cmds: [buildVersion(2, enc(17, 0))] })
    expect(readMachO(ios)?.slices[0]).toEqual({ arch: 'arm64', fileType: 'dylib', complete: true })
  })

  it('reads FAT_MAGIC_64 headers (64-bit offsets)', () => {
    const f = fat(
      [
        { cputype: X86_64, data: thin({ cputype: X86_64, cmds: [versionMin(enc(10, 9))] }) },
        { cputype: ARM64, data: thin({ cputype: ARM64, cmds: [buildVersion(1, enc(11, 0))] }) }
      ],
      true
    )
    expect(readMachO(f)?.slices.map((s) => [s.arch, s.minos])).toEqual([
      ['x86_64', '10.9'],
      ['arm64', '11.0']
    ])
  })

  it('marks a thin file cut off inside its load commands as incomplete, and refuses one cut off inside its header', () => {
    const f = thin({ cputype: X86_64, cmds: [uuid, versionMin(enc(10, 13))] })
    expect(readMachO(f.subarray(0, 32 + 24 + 4))?.slices[0]).toEqual({ arch: 'x86_64', fileType: 'dylib', complete: false })
    expect(readMachO(f.subarray(0, 30))).toBeUndefined()
  })

  it('refuses a fat header whose slice is not a Mach-O file', () => {
    const f = fat([{ cputype: X86_64, data: Buffer.alloc(64, 0x41) }])
    expect(readMachO(f)).toBeUndefined()
  })
})

describe('macFacts and describeMac', () => {
  const universal = (x86: number, arm: number): MachOFacts =>
    readMachO(
      fat([
        { cputype: X86_64, data: thin({ cputype: X86_64, filetype: 2, cmds: [versionMin(x86)] }) },
        { cputype: ARM64, data: thin({ cputype: ARM64, filetype: 2, cmds: [buildVersion(1, arm)] }) }
      ])
    ) as MachOFacts
  const lib = (cputype: number, v: number): MachOFacts => readMachO(thin({ cputype, cmds: [buildVersion(1, v)] })) as MachOFacts

  it('names the file that sets the highest minimum, and calls Python "Python"', () => {
    const facts = macFacts(
      [
        { path: 'chatty', facts: lib(ARM64, enc(11, 0)) },
        { path: '_internal/Python', facts: lib(ARM64, enc(11, 0)) },
        { path: '_internal/libpython3.11.dylib', facts: lib(ARM64, enc(12, 0)) },
        { path: '_internal/PIL/_imaging.cpython-311-darwin.so', facts: lib(ARM64, enc(11, 5)) }
      ],
      'chatty'
    )
    expect(facts.minos).toEqual({ minos: '12.0', path: '_internal/libpython3.11.dylib', arch: 'arm64' })
    expect(describeMac(facts)).toBe('runs on macOS ≥ 12.0 (arm64): Python needs 12.0')
  })

  it("gives README's example line when a wheel's extension sets the floor", () => {
    const facts = macFacts(
      [
        { path: 'dist/chatty/chatty', facts: lib(ARM64, enc(11, 0)) },
        { path: 'dist/chatty/_internal/Python', facts: lib(ARM64, enc(11, 0)) },
        { path: 'dist/chatty/_internal/PIL/_imaging.cpython-311-darwin.so', facts: lib(ARM64, enc(12, 0)) }
      ],
      'dist/chatty/chatty'
    )
    expect(describeMac(facts)).toBe('runs on macOS ≥ 12.0 (arm64): _imaging.cpython-311-darwin.so needs 12.0')
  })

  it('compares versions as numbers (10.13 > 10.9), not as text', () => {
    const facts = macFacts(
      [
        { path: 'app', facts: universal(enc(10, 9), enc(11, 0)) },
        { path: 'lib.so', facts: universal(enc(10, 13), enc(11, 0)) }
      ],
      'app'
    )
    expect(facts.minosByArch.x86_64).toEqual({ minos: '10.13', path: 'lib.so', arch: 'x86_64' })
    expect(compareVersions('10.13', '10.9')).toBeGreaterThan(0)
    expect(compareVersions('11.0', '11')).toBe(0)
  })

  it('reports every bundled file lacking one of the executable’s architectures, and says so in the summary line', () => {
    const facts = macFacts(
      [
        { path: 'app', facts: universal(enc(10, 13), enc(11, 0)) },
        { path: 'a.dylib', facts: lib(X86_64, enc(10, 13)) },
        { path: 'b.so', facts: lib(ARM64, enc(11, 0)) },
        { path: 'c.so', facts: universal(enc(10, 13), enc(11, 0)) }
      ],
      'app'
    )
    expect(facts.problems.map((p) => [p.path, p.missing])).toEqual([
      ['a.dylib', ['arm64']],
      ['b.so', ['x86_64']]
    ])
    expect(describeMac(facts)).toBe('runs on macOS ≥ 11.0 (arm64, x86_64): app needs 11.0; x86_64 from 10.13; 2 bundled files lack arm64, x86_64')
  })

  it('checks what the loader maps (executables, dylibs, bundles), not object files or debug symbols', () => {
    const facts = macFacts(
      [
        { path: 'app', facts: universal(enc(10, 13), enc(11, 0)) },
        { path: 'helper', facts: readMachO(thin({ cputype: X86_64, filetype: 2, cmds: [] })) as MachOFacts },
        { path: 'ext.so', facts: readMachO(thin({ cputype: X86_64, filetype: 8, cmds: [] })) as MachOFacts },
        { path: 'x.o', facts: readMachO(thin({ cputype: X86_64, filetype: 1, cmds: [] })) as MachOFacts },
        { path: 'app.dSYM/Contents/Resources/DWARF/app', facts: readMachO(thin({ cputype: X86_64, filetype: 10, cmds: [] })) as MachOFacts },
        { path: 'arm64e.dylib', facts: readMachO(thin({ cputype: ARM64, cpusubtype: 2, filetype: 6, cmds: [] })) as MachOFacts }
      ],
      'app'
    )
    expect(facts.problems.map((p) => [p.path, p.missing])).toEqual([
      ['helper', ['arm64']],
      ['ext.so', ['arm64']],
      ['arm64e.dylib', ['arm64', 'x86_64']]
    ])
  })

  it('says when no file names a minimum, and refuses an executable that is not among the files', () => {
    const none = readMachO(thin({ cputype: X86_64, cmds: [uuid] })) as MachOFacts
    expect(describeMac(macFacts([{ path: 'x', facts: none }], 'x'))).toBe('runs on macOS (x86_64): no file names a minimum version')
    expect(() => macFacts([{ path: 'x', facts: none }], 'y')).toThrow(/executable y is not among/)
  })
})
