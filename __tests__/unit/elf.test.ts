/**
 * The ELF reader on files made here, byte by byte: 32 and 64-bit, little and
 * big endian, and broken ones. (__tests__/integration/elf-readelf.test.ts
 * compares it with binutils' readelf on real files.)
 */
import { describe, expect, it } from '@jest/globals'
import { compareVersions, ElfError, familyVersion, isElf, newestNeeds, parseElf } from '../../src/inspect/elf.js'
import { writeElf } from '../readelf.js'

const NEEDS = [
  { file: 'libc.so.6', versions: ['GLIBC_2.2.5', 'GLIBC_2.34', 'GLIBC_PRIVATE', 'GLIBC_2.4'] },
  { file: 'libm.so.6', versions: ['GLIBC_2.35', 'GLIBC_2.29'] },
  { file: 'libstdc++.so.6', versions: ['GLIBCXX_3.4.30', 'CXXABI_1.3.9', 'GLIBCXX_3.4.9'] },
  { file: 'libz.so.1', versions: ['ZLIB_1.2.9'] }
]

describe('parseElf', () => {
  for (const bits of [32, 64] as const)
    for (const littleEndian of [true, false])
      it(`reads the version needs of a ${bits}-bit ${littleEndian ? 'little' : 'big'}-endian file`, () => {
        const info = parseElf(writeElf({ bits, littleEndian, needs: NEEDS, machine: 40 }))
        expect(info).toMatchObject({ bits, littleEndian, type: 3, machine: 40, hasVersionNeeds: true })
        expect(info.needs).toEqual(NEEDS)
      })

  it('reads a file without version needs as having none', () => {
    const info = parseElf(writeElf({ bits: 64, littleEndian: true, needs: [] }))
    expect(info.needs).toEqual([])
  })

  it('refuses what is not ELF, and truncated or corrupt files, with an ElfError', () => {
    const good = writeElf({ bits: 64, littleEndian: true, needs: NEEDS })
    expect(() => parseElf(Buffer.from('MZ\x90\x00'))).toThrow(ElfError)
    expect(() => parseElf(good.subarray(0, 40))).toThrow(ElfError)
    expect(() => parseElf(good.subarray(0, good.length - 10))).toThrow(/past the end of the file/)
    const badClass = Buffer.from(good)
    badClass[4] = 7
    expect(() => parseElf(badClass)).toThrow(/unknown ELF class 7/)
    // The version-needs section's sh_link (section 2, at offset 40 of its 64-byte header) names a section that is not there.
    const badLink = Buffer.from(good)
    const shoff = Number(good.readBigUInt64LE(40))
    badLink.writeUInt32LE(9, shoff + 2 * 64 + 40)
    expect(() => parseElf(badLink)).toThrow(/section 9, which does not exist/)
    // A vna_name past the end of the string table.
    const badName = Buffer.from(good)
    const vrOffset = Number(good.readBigUInt64LE(shoff + 2 * 64 + 24))
    badName.writeUInt32LE(100000, vrOffset + 16 + 8)
    expect(() => parseElf(badName)).toThrow(/outside its string table/)
  })

  it('knows the magic', () => {
    expect(isElf(Buffer.from('\x7fELF\x02', 'latin1'))).toBe(true)
    expect(isElf(Buffer.from('\x7fEL', 'latin1'))).toBe(false)
  })
})

describe('symbol versions', () => {
  it('compares versions numerically, 2.10 above 2.9 and 2.2.5 below 2.3', () => {
    expect(compareVersions('2.10', '2.9')).toBeGreaterThan(0)
    expect(compareVersions('2.2.5', '2.3')).toBeLessThan(0)
    expect(compareVersions('2.31', '2.31.0')).toBe(0)
  })

  it('knows the families and leaves GLIBC_PRIVATE and other libraries out', () => {
    expect(familyVersion('GLIBC_2.2.5')).toEqual({ family: 'GLIBC', version: '2.2.5' })
    expect(familyVersion('GLIBCXX_3.4.30')).toEqual({ family: 'GLIBCXX', version: '3.4.30' })
    expect(familyVersion('GLIBC_PRIVATE')).toBeUndefined()
    expect(familyVersion('ZLIB_1.2.9')).toBeUndefined()
  })

  it('finds the newest need of each family and where it comes from', () => {
    expect(newestNeeds(NEEDS)).toEqual({
      GLIBC: { version: '2.35', name: 'GLIBC_2.35', from: 'libm.so.6' },
      GLIBCXX: { version: '3.4.30', name: 'GLIBCXX_3.4.30', from: 'libstdc++.so.6' },
      CXXABI: { version: '1.3.9', name: 'CXXABI_1.3.9', from: 'libstdc++.so.6' }
    })
  })
})
