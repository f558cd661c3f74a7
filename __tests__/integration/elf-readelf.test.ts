/**
 * src/inspect/elf.ts against binutils' readelf on real files: the system's
 * shared libraries and programs, the host Python's extension modules, Go's
 * debug/elf test files (32-bit, big-endian, other machines) when Go is
 * installed, and the files the unit tests write, in every class and byte order.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parseElf, readElfFile } from '../../src/inspect/elf.js'
import { elfFilesUnder, hasReadelf, readelfNeeds, writeElf } from '../readelf.js'
import { tempDir } from '../e2e/harness.js'

/** Every n-th element, so that a folder of a thousand files gives about `max`. */
const spread = <T>(items: T[], max: number): T[] => (items.length <= max ? items : items.filter((_, i) => i % Math.ceil(items.length / max) === 0))

/** The ELF files directly in a folder. */
const regularElfFiles = (dir: string): string[] => (fs.existsSync(dir) ? elfFilesUnder(dir, false) : [])

function compare(files: string[]): { checked: number; withNeeds: number } {
  let withNeeds = 0
  for (const file of files) {
    const expected = readelfNeeds(file)
    const actual = readElfFile(file).needs.map((n) => ({ file: n.file, versions: [...n.versions] }))
    // A mismatch names the file.
    expect({ file, needs: actual }).toEqual({ file, needs: expected })
    if (expected.length) withNeeds++
  }
  return { checked: files.length, withNeeds }
}

const describeIf = hasReadelf() ? describe : describe.skip

describeIf('the ELF reader agrees with readelf -V --wide', () => {
  it('on the shared libraries of /usr/lib/x86_64-linux-gnu (or the machine’s own multiarch folder)', () => {
    const multiarch = spawnSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).stdout?.trim() || 'x86_64-linux-gnu'
    const files = spread(regularElfFiles(path.join('/usr/lib', multiarch)), 300)
    const r = compare(files)
    expect(r.checked).toBeGreaterThan(50)
    expect(r.withNeeds).toBeGreaterThan(40)
  }, 120_000)

  it('on the programs of /usr/bin', () => {
    const r = compare(spread(regularElfFiles('/usr/bin'), 200))
    expect(r.withNeeds).toBeGreaterThan(50)
  }, 120_000)

  it('on the extension modules of the Python that builds (lib-dynload)', () => {
    const dynload = spawnSync('python3', ['-c', 'import sysconfig,os;print(os.path.join(sysconfig.get_paths()["platstdlib"],"lib-dynload"))'], {
      encoding: 'utf8'
    }).stdout.trim()
    const r = compare(regularElfFiles(dynload))
    expect(r.checked).toBeGreaterThan(20)
  }, 120_000)

  it("on Go's debug/elf test files: 32 and 64-bit, big and little endian, many machines", () => {
    const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout?.trim()
    const dir = goroot ? path.join(goroot, 'src', 'debug', 'elf', 'testdata') : ''
    if (!dir || !fs.existsSync(dir)) return
    const files = elfFilesUnder(dir)
    const r = compare(files)
    const classes = new Set(files.map((f) => fs.readFileSync(f).subarray(4, 6).join(',')))
    expect(classes).toEqual(new Set(['1,1', '1,2', '2,1', '2,2']))
    expect(r.withNeeds).toBeGreaterThan(0)
  }, 120_000)

  it('on written files of each class and byte order, which readelf reads as written', () => {
    const dir = tempDir('elf')
    const needs = [
      { file: 'libc.so.6', versions: ['GLIBC_2.2.5', 'GLIBC_2.36'] },
      { file: 'libstdc++.so.6', versions: ['GLIBCXX_3.4.30', 'CXXABI_1.3.13'] }
    ]
    const files = ([32, 64] as const).flatMap((bits) =>
      [true, false].map((littleEndian) => {
        const file = path.join(dir, `elf${bits}${littleEndian ? 'le' : 'be'}.so`)
        fs.writeFileSync(file, writeElf({ bits, littleEndian, needs }))
        return file
      })
    )
    compare(files)
    for (const file of files) expect(readelfNeeds(file)).toEqual(needs)
  })

  it('reads the same needs from the dynamic segment of files whose section headers are gone (sstrip, packers)', () => {
    const multiarch = spawnSync('gcc', ['-print-multiarch'], { encoding: 'utf8' }).stdout?.trim() || 'x86_64-linux-gnu'
    const files = [...spread(regularElfFiles(path.join('/usr/lib', multiarch)), 60), ...spread(regularElfFiles('/usr/bin'), 40)]
    let compared = 0
    for (const file of files) {
      const original = fs.readFileSync(file)
      if (original[4] !== 2 || original[5] !== 1) continue
      const expected = readelfNeeds(file)
      if (!expected.length) continue
      // No section header table: e_shoff, e_shnum and e_shstrndx of an ELF64 little-endian header set to 0.
      const stripped = Buffer.from(original)
      stripped.writeBigUInt64LE(0n, 40)
      stripped.writeUInt16LE(0, 60)
      stripped.writeUInt16LE(0, 62)
      const info = parseElf(stripped)
      expect({ file, source: info.source, needs: info.needs.map((n) => ({ file: n.file, versions: [...n.versions] })) }).toEqual({
        file,
        source: 'dynamic',
        needs: expected
      })
      compared++
    }
    expect(compared).toBeGreaterThan(30)
  }, 120_000)
})
