/**
 * End to end, on the dependency-free tiny fixture (one PyInstaller run, both
 * modes): each build gets a CycloneDX 1.6 SBOM beside its archive that lists
 * only the project, THIRD-PARTY-NOTICES.txt inside its archive, and a
 * "Shipped in" section in the job summary; license-deny passes when nothing
 * denied ships, and a bad value fails as an input error before any build.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import { errorAnnotation, expectExit, runAction, sample, sha256, tempDir, untar, type ActionRun } from './harness.js'

interface AssetOut {
  name: string
  path: string
  sha256: string
  mode: string
}

describe('the tiny fixture: SBOM, notices and sizes of a build without dependencies', () => {
  let run: ActionRun
  let assets: AssetOut[]

  beforeAll(async () => {
    run = await runAction({ 'project-path': sample('tiny'), 'license-deny': 'GPL-3.0-only, AGPL-3.0-only', upload: 'never' })
    assets = run.code === 0 ? (JSON.parse(run.outputs.assets) as AssetOut[]) : []
  }, 900_000)

  it('succeeds, with an inspect stage after the build', () => {
    expectExit(run, 0)
    expect(Object.keys(JSON.parse(run.outputs.timings))).toEqual(expect.arrayContaining(['build', 'inspect', 'package']))
    expect(run.stdout).toMatch(/^tiny: 0 third-party distributions of \d+ entries: none\.$/m)
  })

  it('writes one SBOM per build beside its archive, listed in the assets, the checksums and the sbom output', () => {
    expect(assets.map((a) => [a.name, a.mode])).toEqual([
      ['tiny-1.0.0-linux-x64.tar.gz', 'onefile'],
      ['tiny-1.0.0-linux-x64.cdx.json', 'sbom'],
      ['tiny-1.0.0-linux-x64-onedir.tar.gz', 'onedir'],
      ['tiny-1.0.0-linux-x64-onedir.cdx.json', 'sbom'],
      ['tiny-tool-1.0.0-linux-x64-SHA256SUMS.txt', 'checksums']
    ])
    const sboms = assets.filter((a) => a.mode === 'sbom')
    expect(run.outputs.sbom.split('\n')).toEqual(sboms.map((a) => a.path))
    expect(run.outputs.archives.split('\n')).toHaveLength(2)
    const sums = fs.readFileSync(run.outputs.checksums, 'utf8')
    for (const a of sboms) {
      expect(path.dirname(a.path)).toBe(path.dirname(assets[0].path))
      expect(a.sha256).toBe(sha256(a.path))
      expect(sums).toContain(`${a.sha256}  ${a.name}\n`)
    }
  })

  it('lists only the project, as the root component, in SBOMs that validate against the CycloneDX 1.6 schema', async () => {
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6)
    for (const a of assets.filter((x) => x.mode === 'sbom')) {
      const text = fs.readFileSync(a.path, 'utf8')
      expect(await validator.validate(text)).toBeNull()
      const doc = JSON.parse(text)
      expect(doc.metadata.component).toMatchObject({ type: 'application', name: 'tiny-tool', version: '1.0.0', purl: 'pkg:pypi/tiny-tool@1.0.0' })
      expect(doc.components ?? []).toEqual([])
    }
  })

  it('puts THIRD-PARTY-NOTICES.txt beside the one-file executable and inside the one-folder build', () => {
    const onefile = tempDir('onefile')
    untar(assets[0].path, onefile)
    expect(fs.readdirSync(onefile).sort()).toEqual(['THIRD-PARTY-NOTICES.txt', 'tiny'])
    const notices = fs.readFileSync(path.join(onefile, 'THIRD-PARTY-NOTICES.txt'), 'utf8')
    expect(notices).toContain('Third-party software in tiny (tiny-tool 1.0.0)')
    expect(notices).toContain('This program includes no third-party Python distributions.')
    const onedir = tempDir('onedir')
    untar(assets[2].path, onedir)
    expect(fs.readdirSync(path.join(onedir, 'tiny')).sort()).toEqual(['THIRD-PARTY-NOTICES.txt', '_internal', 'tiny'])
    expect(spawnSync(path.join(onedir, 'tiny', 'tiny'), ['hello'], { encoding: 'utf8' }).stdout).toBe('hello from tiny\n')
  })

  it('shows what each build ships in the job summary', () => {
    expect(run.summary).toMatch(/### Shipped in `tiny`: 0 third-party distributions, [\d.]+ (B|KiB) before compression/)
    expect(run.summary).toContain('| tiny-tool (the project) | 1.0.0 | unknown |')
  })
})

describe('license-deny with a bad value', () => {
  it('fails as an input error naming the input, before anything is installed', async () => {
    const run = await runAction({ 'project-path': sample('tiny'), 'license-deny': ';rm', upload: 'never' })
    expectExit(run, 1)
    expect(errorAnnotation(run)).toMatch(/^Input 'license-deny': ';rm' is not an SPDX license id\./)
    expect(run.stdout).not.toContain('::group::install')
  })
})
