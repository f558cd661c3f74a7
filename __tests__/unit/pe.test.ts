/**
 * The PE reader on real files — PyInstaller's Windows bootloaders from its
 * win_amd64 and win_arm64 wheels — and on crafted headers for what those do
 * not show (DLLs, .NET assemblies, other machines, truncation, look-alikes),
 * and on pip's vendored distlib launchers for real x86 (PE32) files. What the
 * real files are was read independently with file(1) ("PE32+ executable
 * (console) x86-64", "(GUI) Aarch64") and objdump -p ("Subsystem 00000003
 * (Windows CUI)", MajorSubsystemVersion 6).
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { bootloader } from '../bootloaders.js'
import { describeWindows, PE_HEAD_BYTES, peProblems, readPE, type PEFacts, type PEFile } from '../../src/inspect/pe.js'

/** A minimal PE header: DOS header, 'PE\0\0', COFF header and the optional header up to the subsystem. */
function crafted(o: { machine: number; subsystem: number; pe32?: boolean; dll?: boolean; dotnet?: boolean; lfanew?: number }): Buffer {
  const pe = o.lfanew ?? 0x80
  const buf = Buffer.alloc(pe + 24 + (o.pe32 ? 0xe0 : 0xf0))
  buf.write('MZ', 0, 'latin1')
  buf.writeUInt32LE(pe, 0x3c)
  buf.write('PE\0\0', pe, 'latin1')
  buf.writeUInt16LE(o.machine, pe + 4)
  buf.writeUInt16LE(o.pe32 ? 0xe0 : 0xf0, pe + 20)
  buf.writeUInt16LE(0x22 | (o.dll ? 0x2000 : 0), pe + 22)
  buf.writeUInt16LE(o.pe32 ? 0x10b : 0x20b, pe + 24)
  buf.writeUInt16LE(6, pe + 24 + 48)
  buf.writeUInt16LE(1, pe + 24 + 50)
  buf.writeUInt16LE(o.subsystem, pe + 24 + 68)
  const dirs = pe + 24 + (o.pe32 ? 92 : 108)
  buf.writeUInt32LE(16, dirs) // NumberOfRvaAndSizes
  if (o.dotnet) buf.writeUInt32LE(0x2008, dirs + 4 + 14 * 8) // the CLR runtime header's RVA
  return buf
}

const facts = (buf: Buffer): PEFacts => {
  const f = readPE(buf)
  if (!f) throw new Error('not a PE file')
  return f
}

describe('readPE on PyInstaller 6.22.3 Windows bootloaders', () => {
  let x64: Record<string, Buffer>
  let arm64: Record<string, Buffer>
  beforeAll(() => {
    const names = ['run.exe', 'runw.exe', 'run_d.exe', 'runw_d.exe']
    x64 = Object.fromEntries(names.map((n) => [n, bootloader('win_amd64', n)]))
    arm64 = Object.fromEntries(names.map((n) => [n, bootloader('win_arm64', n)]))
  }, 300_000)

  it('reads win_amd64 run.exe as an x64 console program (PE32+, Windows 6.0 subsystem)', () => {
    expect(readPE(x64['run.exe'])).toEqual({
      machine: 'x64',
      machineCode: 0x8664,
      subsystem: 'console',
      subsystemCode: 3,
      subsystemVersion: '6.0',
      dll: false,
      pe32plus: true,
      dotnet: false
    })
  })

  it('reads win_amd64 runw.exe as windowed (IMAGE_SUBSYSTEM_WINDOWS_GUI)', () => {
    expect(facts(x64['runw.exe'])).toMatchObject({ machine: 'x64', subsystem: 'windowed', subsystemCode: 2 })
  })

  it('reads the win_arm64 bootloaders as arm64 (0xaa64), console and windowed, marked for Windows 6.2', () => {
    expect(facts(arm64['run.exe'])).toMatchObject({ machine: 'arm64', machineCode: 0xaa64, subsystem: 'console', subsystemVersion: '6.2' })
    expect(facts(arm64['runw.exe'])).toMatchObject({ machine: 'arm64', subsystem: 'windowed' })
  })

  it.each(['run_d.exe', 'runw_d.exe'])('reads the debug bootloader %s like its release twin', (name) => {
    const twin = name.replace('_d', '')
    expect(facts(x64[name]).subsystem).toBe(facts(x64[twin]).subsystem)
    expect(facts(arm64[name]).machine).toBe('arm64')
  })

  it(`needs only the first ${PE_HEAD_BYTES} bytes of a file`, () => {
    expect(readPE(x64['run.exe'].subarray(0, PE_HEAD_BYTES))).toEqual(readPE(x64['run.exe']))
  })

  it('gives undefined for a PE cut off before its subsystem, and for Mach-O, ELF, text and nothing', () => {
    expect(readPE(x64['run.exe'].subarray(0, 300))).toBeUndefined() // e_lfanew 264: the optional header ends past 300
    expect(readPE(bootloader('macosx_10_13_universal2', 'run'))).toBeUndefined()
    expect(readPE(Buffer.from('7f454c4602010100000000000000000003003e00', 'hex'))).toBeUndefined()
    expect(readPE(Buffer.from('MZ is how this text starts, but it is text'.padEnd(200, '.')))).toBeUndefined()
    expect(readPE(Buffer.alloc(0))).toBeUndefined()
  })

  it('checks real builds against the inputs: none of the problems when the windowed entry point got runw.exe', () => {
    const files: PEFile[] = [
      { path: 'dist/chatty.exe', facts: facts(x64['run.exe']) },
      { path: 'dist/chatty-gui.exe', facts: facts(x64['runw.exe']) }
    ]
    expect(peProblems(files, { arch: 'x64', windowedNames: ['chatty-gui'] })).toEqual([])
    expect(describeWindows(files)).toBe('runs on Windows x64 (console: chatty.exe; windowed: chatty-gui.exe)')
  })

  it('reports a windowed entry point built as a console program, and a console one built windowed', () => {
    const files: PEFile[] = [
      { path: 'dist/chatty.exe', facts: facts(x64['runw.exe']) },
      { path: 'dist/Chatty-GUI.exe', facts: facts(x64['run.exe']) }
    ]
    const problems = peProblems(files, { arch: 'x64', windowedNames: ['chatty-gui'] })
    expect(problems.map((p) => [p.path, p.kind])).toEqual([
      ['dist/chatty.exe', 'subsystem'],
      ['dist/Chatty-GUI.exe', 'subsystem']
    ])
    expect(problems[0].message).toBe('dist/chatty.exe is a windowed program, but its entry point is console')
    expect(problems[1].message).toMatch(/is a console program, but its entry point is windowed/)
  })

  it('reports an arm64 program on an x64 runner, and the other way round', () => {
    const onX64 = peProblems([{ path: 'chatty.exe', facts: facts(arm64['run.exe']) }], { arch: 'x64', windowedNames: [] })
    expect(onX64).toEqual([
      { path: 'chatty.exe', kind: 'machine', severity: 'error', message: "chatty.exe is built for arm64, not x64 (the runner's architecture)" }
    ])
    expect(peProblems([{ path: 'chatty.exe', facts: facts(x64['run.exe']) }], { arch: 'arm64', windowedNames: [] }).map((p) => p.kind)).toEqual(['machine'])
    expect(describeWindows([{ path: 'chatty.exe', facts: facts(arm64['run.exe']) }])).toBe('runs on Windows arm64 (console: chatty.exe)')
  })
})

/** pip's vendored distlib launchers (pip/_vendor/distlib/{t,w}{32,64,64-arm}.exe): real PE32 x86 files too. */
function distlibLaunchers(): string {
  const r = spawnSync('python3', ['-c', 'import os, pip._vendor.distlib as d; print(os.path.dirname(d.__file__))'], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`python3 -m pip is needed for this test: ${r.stderr}`)
  return r.stdout.trim()
}

describe("readPE on pip's distlib launchers (file(1): t32.exe PE32 console Intel 80386, w32.exe PE32 GUI, t64-arm.exe PE32+ console Aarch64)", () => {
  const dir = distlibLaunchers()
  const read = (name: string): PEFacts => facts(fs.readFileSync(path.join(dir, name)))

  it('reads the 32-bit launchers as x86 PE32, console and windowed', () => {
    expect(read('t32.exe')).toMatchObject({ machine: 'x86', machineCode: 0x14c, subsystem: 'console', pe32plus: false, dll: false, dotnet: false })
    expect(read('w32.exe')).toMatchObject({ machine: 'x86', subsystem: 'windowed', pe32plus: false })
  })

  it('reads the 64-bit ones as x64 and arm64 PE32+', () => {
    expect(read('t64.exe')).toMatchObject({ machine: 'x64', subsystem: 'console', pe32plus: true })
    expect(read('w64-arm.exe')).toMatchObject({ machine: 'arm64', subsystem: 'windowed', pe32plus: true })
  })
})

describe('readPE on crafted headers', () => {
  it('reads a 32-bit (PE32) x86 console program', () => {
    expect(readPE(crafted({ machine: 0x14c, subsystem: 3, pe32: true }))).toEqual({
      machine: 'x86',
      machineCode: 0x14c,
      subsystem: 'console',
      subsystemCode: 3,
      subsystemVersion: '6.1',
      dll: false,
      pe32plus: false,
      dotnet: false
    })
  })

  it('tells DLLs from programs, and names machines and subsystems it does not know by number', () => {
    expect(facts(crafted({ machine: 0x8664, subsystem: 2, dll: true })).dll).toBe(true)
    const odd = facts(crafted({ machine: 0xa641, subsystem: 10 }))
    expect(odd).toMatchObject({ machine: 'other', machineCode: 0xa641, subsystem: 'other', subsystemCode: 10 })
    expect(describeWindows([{ path: 'boot.efi', facts: odd }])).toBe('runs on Windows machine 0xa641 (other: boot.efi)')
  })

  it('refuses a missing PE signature, an e_lfanew past the end, and an unknown optional-header magic', () => {
    const noSig = crafted({ machine: 0x8664, subsystem: 3 })
    noSig.write('XX', 0x80, 'latin1')
    expect(readPE(noSig)).toBeUndefined()
    const far = crafted({ machine: 0x8664, subsystem: 3 })
    far.writeUInt32LE(0x7fffffff, 0x3c)
    expect(readPE(far)).toBeUndefined()
    const rom = crafted({ machine: 0x8664, subsystem: 3 })
    rom.writeUInt16LE(0x107, 0x80 + 24)
    expect(readPE(rom)).toBeUndefined()
  })

  it('warns about a native DLL for another machine (packages may ship one per architecture), never checks DLL subsystems', () => {
    const files: PEFile[] = [
      { path: '_internal/python311.dll', facts: facts(crafted({ machine: 0x8664, subsystem: 2, dll: true })) },
      { path: '_internal/_sounddevice_data/libportaudio32bit.dll', facts: facts(crafted({ machine: 0x14c, subsystem: 2, dll: true, pe32: true })) }
    ]
    const problems = peProblems(files, { arch: 'x64', windowedNames: [] })
    expect(problems.map((p) => [p.path, p.kind, p.severity])).toEqual([['_internal/_sounddevice_data/libportaudio32bit.dll', 'machine', 'warning']])
    expect(problems[0].message).toMatch(/is a DLL for x86: it cannot load into a x64 program/)
    expect(describeWindows(files)).toBe('runs on Windows (no programs)')
  })

  it('recognizes .NET assemblies (CLR header) and does not hold their AnyCPU I386 machine against them', () => {
    const anyCpu = facts(crafted({ machine: 0x14c, subsystem: 3, dll: true, pe32: true, dotnet: true }))
    expect(anyCpu).toMatchObject({ machine: 'x86', dll: true, dotnet: true })
    expect(peProblems([{ path: '_internal/pythonnet/runtime/Python.Runtime.dll', facts: anyCpu }], { arch: 'arm64', windowedNames: [] })).toEqual([])
    expect(facts(crafted({ machine: 0x14c, subsystem: 3, dll: true, pe32: true })).dotnet).toBe(false)
  })

  it("checks only the build's programs when their names are given: launchers a package ships are payload", () => {
    const files: PEFile[] = [
      { path: 'dist/chatty/chatty.exe', facts: facts(crafted({ machine: 0x8664, subsystem: 3 })) },
      { path: 'dist/chatty/_internal/setuptools/cli-32.exe', facts: facts(crafted({ machine: 0x14c, subsystem: 3, pe32: true })) },
      { path: 'dist/chatty/_internal/setuptools/gui-arm64.exe', facts: facts(crafted({ machine: 0xaa64, subsystem: 2 })) }
    ]
    expect(peProblems(files, { arch: 'x64', windowedNames: [], programs: ['chatty'] })).toEqual([])
    expect(describeWindows(files, ['chatty'])).toBe('runs on Windows x64 (console: chatty.exe)')
    // Without the names every .exe counts, and the launchers are errors.
    expect(peProblems(files, { arch: 'x64', windowedNames: [] }).map((p) => [p.path.split('/').pop(), p.kind, p.severity])).toEqual([
      ['cli-32.exe', 'machine', 'error'],
      ['gui-arm64.exe', 'machine', 'error'],
      ['gui-arm64.exe', 'subsystem', 'error']
    ])
  })

  it('leaves the subsystem alone when the inputs do not say (a .spec build), but still checks the machine', () => {
    const files: PEFile[] = [{ path: 'dist/tool.exe', facts: facts(crafted({ machine: 0xaa64, subsystem: 2 })) }]
    expect(peProblems(files, { arch: 'x64' }).map((p) => p.kind)).toEqual(['machine'])
    expect(peProblems(files, { arch: 'arm64' })).toEqual([])
  })
})
