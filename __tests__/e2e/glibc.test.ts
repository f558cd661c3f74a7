/**
 * End to end: the inspect stage on real builds of the tiny fixture. A build
 * prints and outputs its glibc floor; glibc-max below it fails with the
 * offenders named; glibc-max equal to it passes, and the floor agrees with
 * readelf over every ELF file of the one-folder build.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { errorAnnotation, expectExit, runAction, sample, tempDir, untar, type ActionRun } from './harness.js'
import { readElfFile } from '../../src/inspect/elf.js'
import { elfFilesUnder, hasReadelf, readelfGlibc, readelfNeeds } from '../readelf.js'

const tiny = { 'project-path': sample('tiny'), upload: 'never' }
const newest = (versions: string[]): string =>
  versions.filter(Boolean).sort((a, b) => {
    const x = a.split('.').map(Number)
    const y = b.split('.').map(Number)
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0)
    return 0
  })[versions.filter(Boolean).length - 1] ?? ''

describe('glibc floor and glibc-max on the tiny fixture', () => {
  let below: ActionRun
  let at: ActionRun
  let floor: string

  beforeAll(async () => {
    // Far below any glibc this machine has: the build fails in the inspect stage, after the build, with the floor set.
    below = await runAction({ ...tiny, mode: 'onefile', 'glibc-max': '2.17' })
    floor = below.outputs['glibc-floor'] ?? ''
    at = await runAction({ ...tiny, mode: 'both', 'glibc-max': floor || '2.99', 'smoke-test': 'hello' })
  }, 900_000)

  it('fails in the inspect stage when glibc-max is below the floor, naming the worst offenders and the fix', () => {
    expectExit(below, 1)
    expect(floor).toMatch(/^2\.\d+$/)
    const message = errorAnnotation(below)
    expect(message).toMatch(/^inspect failed: glibc-max is 2\.17, and a build needs a newer glibc/)
    expect(message).toContain(`tiny (onefile) needs glibc ${floor}: `)
    // libpython is among the objects, and each named object says the version it needs; at most five are named.
    const named = [...message.matchAll(/(\S+) needs GLIBC_(\d+\.\d+(?:\.\d+)?)/g)].map((m) => ({ object: m[1], version: m[2] }))
    expect(named.length).toBeGreaterThan(0)
    expect(named.length).toBeLessThanOrEqual(5)
    expect(named[0].version).toBe(floor)
    expect(message).toMatch(/libpython3\.\d+\.so\.1\.0 needs GLIBC_/)
    expect(message).toContain('Build on an older system')
    expect(below.stdout).toContain('::group::inspect')
    expect(below.stdout).not.toContain('::group::smoke')
  })

  it('passes with glibc-max at the floor, and prints and outputs the floor', () => {
    expectExit(at, 0)
    expect(at.outputs['glibc-floor']).toBe(floor)
    expect(at.stdout).toContain(`tiny (onefile): runs on glibc ≥ ${floor}: `)
    expect(at.stdout).toContain(`tiny (onedir): runs on glibc ≥ ${floor}: `)
    expect(at.summary).toContain('### Where the builds run')
    expect(at.summary).toMatch(
      new RegExp(`- \`tiny\` \\(onefile\\): runs on glibc ≥ ${floor.replace('.', '\\.')}: \\S+ needs GLIBC_${floor.replace('.', '\\.')}`)
    )
    const assets = JSON.parse(at.outputs.assets) as { name: string; mode: string; glibc?: string }[]
    expect(assets.map((a) => [a.mode, a.glibc])).toEqual([
      ['onefile', floor],
      ['sbom', undefined],
      ['onedir', floor],
      ['sbom', undefined],
      ['checksums', undefined]
    ])
  })

  ;(hasReadelf() ? it : it.skip)(
    'reports the floor that readelf finds over every ELF file of the one-folder build, whose needs it reads as readelf does',
    () => {
      const assets = JSON.parse(at.outputs.assets) as { path: string; mode: string }[]
      const dest = tempDir('onedir')
      untar(assets.find((a) => a.mode === 'onedir')!.path, dest)
      const files = elfFilesUnder(path.join(dest, 'tiny'))
      expect(files.length).toBeGreaterThan(10)
      expect(newest(files.map(readelfGlibc))).toBe(floor)
      // And file by file, the reader sees the version needs readelf sees.
      for (const file of files) {
        const needs = readElfFile(file).needs.map((n) => ({ file: n.file, versions: [...n.versions] }))
        expect({ file: path.relative(dest, file), needs }).toEqual({ file: path.relative(dest, file), needs: readelfNeeds(file) })
      }
    }
  )
})
