/**
 * The inspect stage on macOS and Windows builds, laid out as PyInstaller lays
 * them out, from PyInstaller's own bootloaders (real Mach-O and PE files from
 * its wheels): the facts the stage attaches, the lines it logs and the
 * summary shows, and the problems that fail it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { bootloader } from '../bootloaders.js'
import { executablePath, inspect } from '../../src/inspect/index.js'
import { describeFacts, runsOn } from '../../src/inspect/describe.js'
import { platformFor } from '../../src/platform.js'
import type { Build } from '../../src/freeze/index.js'
import type { EntryPoint } from '../../src/config.js'

let dir: string
let universal: Buffer
let console64: Buffer
let windowed64: Buffer
let consoleArm: Buffer

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-inspect-systems-'))
  universal = bootloader('macosx_10_13_universal2', 'run')
  console64 = bootloader('win_amd64', 'run.exe')
  windowed64 = bootloader('win_amd64', 'runw.exe')
  consoleArm = bootloader('win_arm64', 'run.exe')
}, 300_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** A one-folder build: file path inside it → content. */
function folder(name: string, files: Record<string, Buffer>): string {
  const root = path.join(dir, name)
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    fs.writeFileSync(path.join(root, rel), content)
  }
  return root
}

/** The arm64 slice of a universal file, as a thin arm64 Mach-O (what an arm64-only wheel ships). */
function thinSlice(fat: Buffer, arch: 'arm64' | 'x86_64'): Buffer {
  const n = fat.readUInt32BE(4)
  for (let i = 0; i < n; i++) {
    const at = 8 + i * 20
    const cputype = fat.readInt32BE(at)
    if ((arch === 'arm64' && cputype === 0x0100000c) || (arch === 'x86_64' && cputype === 0x01000007))
      return fat.subarray(fat.readUInt32BE(at + 8), fat.readUInt32BE(at + 8) + fat.readUInt32BE(at + 12))
  }
  throw new Error(`no ${arch} slice`)
}

const config = (over: { spec?: string; entrypoints?: EntryPoint[] } = {}) => ({
  builder: 'pyinstaller' as const,
  workDir: dir,
  glibcMax: '',
  spec: over.spec ?? '',
  entrypoints: over.entrypoints ?? []
})
const entry = (name: string, windowed: boolean): EntryPoint => ({ name, target: { kind: 'function', module: 'm', attr: 'f' }, windowed, source: name })

describe('macOS builds', () => {
  const mac = platformFor('darwin', 'arm64')

  it('reports the architectures and the highest minimum, with the file that sets it', async () => {
    const root = folder('chatty-mac', { chatty: universal, '_internal/lib-dynload/_ssl.so': universal })
    const build: Build = { mode: 'onedir', name: 'chatty-mac', root, executables: [{ name: 'chatty', path: path.join(root, 'chatty') }] }
    const [built] = await inspect(config(), mac, [build], '/no/python')
    expect(built.facts.macos?.archs).toEqual(['arm64', 'x86_64'])
    // PyInstaller 6.22.3's universal2 bootloader: x86_64 from 10.13, arm64 from 11.0.
    expect(built.facts.macos?.minos).toMatchObject({ minos: '11.0', arch: 'arm64' })
    expect(built.facts.linux).toBeUndefined()
    expect(describeFacts(built.facts)).toEqual([expect.stringMatching(/^runs on macOS ≥ 11\.0 \(arm64, x86_64\)/)])
    // What the assets output carries for the archive.
    expect(runsOn(built.facts)).toEqual({ macos: '11.0', archs: ['arm64', 'x86_64'] })
  })

  it('fails when a bundled library lacks one of the executable’s architectures, naming it', async () => {
    const root = folder('mixed-mac', { app: universal, '_internal/libfoo.dylib': thinSlice(universal, 'arm64') })
    const build: Build = { mode: 'onedir', name: 'mixed-mac', root, executables: [{ name: 'app', path: path.join(root, 'app') }] }
    await expect(inspect(config(), mac, [build], '/no/python')).rejects.toThrow(/mixed-mac \(onedir\): .*_internal\/libfoo\.dylib.*x86_64/)
  })

  it('finds the executable of a one-file build under its own name', () => {
    expect(executablePath({ name: 'tool', root: '/d/tool', executables: [{ name: 'tool', path: '/d/tool' }] })).toBe('tool')
    expect(executablePath({ name: 'X.app', root: '/d/X.app', executables: [{ name: 'X', path: '/d/X.app/Contents/MacOS/X' }] })).toBe('Contents/MacOS/X')
  })
})

describe('Windows builds', () => {
  const win = platformFor('win32', 'x64')
  const build = (name: string, files: Record<string, Buffer>, programs: string[]): Build => {
    const root = folder(name, files)
    return { mode: 'onedir', name, root, executables: programs.map((p) => ({ name: p, path: path.join(root, p) })) }
  }

  it('reports the machine and the subsystem of each program', async () => {
    const b = build('suite-win', { 'chatty.exe': console64, 'chatty-gui.exe': windowed64 }, ['chatty.exe', 'chatty-gui.exe'])
    const [built] = await inspect(config({ entrypoints: [entry('chatty', false), entry('chatty-gui', true)] }), win, [b], '/no/python')
    expect(built.facts.windows?.problems).toEqual([])
    expect(describeFacts(built.facts)).toEqual(['runs on Windows x64 (console: chatty.exe; windowed: chatty-gui.exe)'])
    expect(runsOn(built.facts)).toEqual({ windows: 'x64' })
  })

  it('fails when an entry point asked for windowed is a console program', async () => {
    const b = build('swap-win', { 'chatty-gui.exe': console64 }, ['chatty-gui.exe'])
    await expect(inspect(config({ entrypoints: [entry('chatty-gui', true)] }), win, [b], '/no/python')).rejects.toThrow(
      /swap-win \(onedir\): chatty-gui\.exe is a console program, but its entry point is windowed/
    )
  })

  it('fails when a program is built for another machine than the runner’s', async () => {
    const b = build('arm-win', { 'tool.exe': consoleArm }, ['tool.exe'])
    await expect(inspect(config({ spec: '/p/tool.spec' }), win, [b], '/no/python')).rejects.toThrow(/arm-win \(onedir\): .*tool\.exe.*arm64/)
  })

  it('does not check the subsystem when a .spec file decides it', async () => {
    const b = build('spec-win', { 'tool.exe': windowed64 }, ['tool.exe'])
    const [built] = await inspect(config({ spec: '/p/tool.spec', entrypoints: [] }), win, [b], '/no/python')
    expect(built.facts.windows?.problems).toEqual([])
  })
})
