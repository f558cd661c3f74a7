/**
 * The pure parts of what a build ships: the SBOM (validated against the
 * CycloneDX 1.6 JSON schema by the library's own validator), the notices
 * text and where it goes, the size ranking, the summary section, the
 * license-deny verdict, and how the archiver carries the notices and SBOM.
 */
import { describe, it, expect } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import type { Build } from '../../src/freeze/index.js'
import { platformFor } from '../../src/platform.js'
import { licenseOf } from '../../src/inspect/licenses.js'
import { pypiPurl, sbomJson, type SbomComponent } from '../../src/inspect/sbom.js'
import { noticesPath, noticesText, NOTICES_FILE } from '../../src/inspect/notices.js'
import { largest, totalSize } from '../../src/inspect/sizes.js'
import { copyleftDistributions, deniedDistributions, withoutText, type BuildDistributions, type DistributionFacts } from '../../src/inspect/distributions.js'
import { parseShippedReport, pathNeedles } from '../../src/inspect/shipped.js'
import { packageBuilds, planArchives } from '../../src/package.js'
import { shippedMarkdown } from '../../src/report.js'

const linux = platformFor('linux', 'x64')
const mac = platformFor('darwin', 'arm64')
const windows = platformFor('win32', 'x64')

const component = (name: string, version: string, licenseExpression: string, classifiers: string[] = []): SbomComponent => ({
  name,
  version,
  summary: '',
  license: licenseOf({ licenseExpression, license: '', classifiers })
})

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6)

describe('sbomJson', () => {
  const input = {
    project: { name: 'chatty-commander', version: '0.3.1', summary: 'Voice commands' },
    components: [
      component('uvicorn', '0.54.0', 'BSD-3-Clause'),
      component('packaging', '26.4', 'Apache-2.0 OR BSD-2-Clause'),
      component('Typing_Extensions', '4.16.0', '', ['License :: OSI Approved :: Python Software Foundation License']),
      component('oddball', '1.0', '', ['License :: OSI Approved :: BSD License']),
      component('mystery', '', '')
    ],
    build: { name: 'chatty', mode: 'onefile', platform: 'linux-x64' },
    builder: 'PyInstaller',
    epoch: 1_700_000_000
  }

  it('is valid CycloneDX 1.6 JSON', async () => {
    expect(await validator.validate(sbomJson(input))).toBeNull()
    expect(await validator.validate(sbomJson({ ...input, components: [], epoch: undefined }))).toBeNull()
  })

  it('has the project as the root component and one component per distribution, with purl and license', () => {
    const doc = JSON.parse(sbomJson(input))
    expect(doc.specVersion).toBe('1.6')
    expect(doc.metadata.component).toMatchObject({ type: 'application', name: 'chatty-commander', version: '0.3.1', purl: 'pkg:pypi/chatty-commander@0.3.1' })
    expect(doc.metadata.timestamp).toBe('2023-11-14T22:13:20.000Z')
    const byName = Object.fromEntries((doc.components as { name: string }[]).map((c) => [c.name, c]))
    expect(Object.keys(byName).sort()).toEqual(['Typing_Extensions', 'mystery', 'oddball', 'packaging', 'uvicorn'])
    expect(byName.uvicorn).toMatchObject({
      type: 'library',
      version: '0.54.0',
      purl: 'pkg:pypi/uvicorn@0.54.0',
      licenses: [{ license: { id: 'BSD-3-Clause' } }]
    })
    expect(byName.packaging).toMatchObject({ licenses: [{ expression: 'Apache-2.0 OR BSD-2-Clause' }] })
    expect(byName.Typing_Extensions).toMatchObject({ purl: 'pkg:pypi/typing-extensions@4.16.0', licenses: [{ license: { id: 'PSF-2.0' } }] })
    expect(byName.oddball).toMatchObject({ licenses: [{ license: { name: 'BSD License' } }] })
    expect(byName.mystery).toMatchObject({ purl: 'pkg:pypi/mystery', licenses: [{ license: { name: 'unknown' } }] })
  })

  it('is the same document for the same input, with no timestamp without SOURCE_DATE_EPOCH', () => {
    expect(sbomJson(input)).toBe(sbomJson({ ...input, components: [...input.components].reverse() }))
    expect(JSON.parse(sbomJson({ ...input, epoch: undefined })).metadata.timestamp).toBeUndefined()
    expect(JSON.parse(sbomJson(input)).serialNumber).toBeUndefined()
  })

  it('writes PyPI purls with the normalized name', () => {
    expect(pypiPurl('Foo.Bar_baz', '1.0+local')).toBe('pkg:pypi/foo-bar-baz@1.0+local')
  })
})

describe('noticesText', () => {
  const mit = licenseOf({ licenseExpression: 'MIT', license: '', classifiers: [] })
  const text = noticesText({ name: 'chatty-commander', version: '0.3.1', build: 'chatty' }, [
    {
      name: 'fastapi',
      version: '0.165.0',
      license: mit,
      licenseTexts: [{ file: 'LICENSE', text: 'The MIT License (MIT)\r\n\r\nCopyright (c) 2018 Sebastián Ramírez\r\n' }]
    },
    { name: 'bare', version: '2', license: licenseOf({ licenseExpression: '', license: '', classifiers: [] }), licenseTexts: [] }
  ])

  it('lists every distribution with its version and license, then each license text in full', () => {
    expect(text).toContain('Third-party software in chatty (chatty-commander 0.3.1)')
    expect(text).toContain('  fastapi 0.165.0: MIT\n  bare 2: unknown\n')
    expect(text).toContain('fastapi 0.165.0\nLicense: MIT\n')
    expect(text).toContain('LICENSE:\n' + '-'.repeat(78) + '\nThe MIT License (MIT)\n\nCopyright (c) 2018 Sebastián Ramírez\n' + '-'.repeat(78))
    expect(text).not.toContain('\r')
  })

  it('says so when a distribution ships no license text', () => {
    expect(text).toContain('bare 2\nLicense: unknown\n' + '='.repeat(78) + '\n\nNo license text was found in its metadata.')
  })

  it('says so when nothing third-party ships', () => {
    expect(noticesText({ name: 'tiny', version: '1', build: 'tiny' }, [])).toContain('This program includes no third-party Python distributions.')
  })
})

describe('noticesPath', () => {
  const build = (mode: Build['mode'], root: string): Build => ({ mode, name: path.basename(root), root, executables: [] })
  it('puts the notices beside the executables of a folder, in Resources of a bundle, in a spare folder for a one-file build', () => {
    expect(noticesPath(linux, build('onedir', '/rt/onedir/suite'), '/spare')).toBe(`/rt/onedir/suite/${NOTICES_FILE}`)
    expect(noticesPath(mac, build('app', '/rt/dist/Chatty.app'), '/spare')).toBe(`/rt/dist/Chatty.app/Contents/Resources/${NOTICES_FILE}`)
    expect(noticesPath(linux, build('onefile', '/rt/dist/chatty'), '/rt/notices/chatty')).toBe(`/rt/notices/chatty/${NOTICES_FILE}`)
    expect(noticesPath(windows, build('onefile', 'D:\\dist\\chatty.exe'), 'D:\\n\\chatty.exe')).toBe(`D:\\n\\chatty.exe\\${NOTICES_FILE}`)
  })
})

const facts = (name: string, size: number, expression: string, texts = 1): DistributionFacts => ({
  name,
  version: '1.0',
  license: licenseOf({ licenseExpression: expression, license: '', classifiers: [] }),
  size,
  texts,
  skipped: []
})

const shipped = (over: Partial<BuildDistributions> = {}): BuildDistributions => ({
  root: '/rt/dist/chatty',
  buildName: 'chatty',
  distributions: [facts('small', 10, 'MIT'), facts('big', 5_000_000, 'BSD-3-Clause'), facts('gnu', 2048, 'GPL-3.0-only', 0), facts('mozilla', 4096, 'MPL-2.0')],
  project: facts('chatty-commander', 14_000, 'MIT', 0),
  total: 5_020_154,
  sbom: '{}\n',
  notices: '/rt/notices/chatty/THIRD-PARTY-NOTICES.txt',
  beside: ['/rt/notices/chatty/THIRD-PARTY-NOTICES.txt'],
  leaks: [],
  problems: [],
  ...over
})

describe('largest and totalSize', () => {
  it('ranks by size, largest first, ties by name, at most n', () => {
    const items = [
      { name: 'b', size: 5 },
      { name: 'a', size: 5 },
      { name: 'c', size: 50 },
      { name: 'd', size: 1 }
    ]
    expect(largest(items, 3).map((i) => i.name)).toEqual(['c', 'a', 'b'])
    expect(largest(Array.from({ length: 15 }, (_, i) => ({ name: `p${i}`, size: i }))).length).toBe(10)
    expect(totalSize(items)).toBe(61)
    expect(totalSize([])).toBe(0)
  })
})

describe('copyleft, missing texts and license-deny', () => {
  it('lists copyleft distributions and those without a license text', () => {
    expect(copyleftDistributions(shipped())).toEqual(['gnu 1.0 (GPL-3.0-only)', 'mozilla 1.0 (MPL-2.0)'])
    expect(withoutText(shipped())).toEqual(['gnu 1.0'])
  })

  it('names each denied distribution once across builds', () => {
    expect(deniedDistributions([shipped(), shipped({ root: '/rt/onedir/chatty' })], ['GPL-3.0-only'])).toEqual(['gnu 1.0 (GPL-3.0-only)'])
    expect(deniedDistributions([shipped()], ['AGPL-3.0-only'])).toEqual([])
  })
})

describe('shippedMarkdown', () => {
  it('shows the largest distributions with licenses and sizes, the total, copyleft and missing texts', () => {
    const md = shippedMarkdown(shipped()).join('\n')
    expect(md).toContain('### Shipped in `chatty`: 4 third-party distributions, 4.8 MiB before compression')
    expect(md).toContain('| distribution | version | license | size |')
    const rows = md.split('\n').filter((l) => /^\| [a-z]/.test(l) && !l.startsWith('| distribution'))
    expect(rows.map((r) => r.split(' | ')[0].slice(2))).toEqual(['big', 'chatty-commander (the project)', 'mozilla', 'gnu', 'small'])
    expect(md).toContain('| big | 1.0 | BSD-3-Clause | 4.8 MiB |')
    expect(md).toContain('| **total** | | | **4.8 MiB** |')
    expect(md).toContain('Copyleft licenses: gnu 1.0 (GPL-3.0-only), mozilla 1.0 (MPL-2.0).')
    expect(md).toContain('No license text found for: gnu 1.0.')
    expect(md).not.toContain('cannot classify')
    expect(md).not.toContain('left out of')
  })

  it('names the licenses it cannot classify, the license files it left out and the metadata it read with problems', () => {
    const odd = { ...facts('odd', 10, ''), license: licenseOf({ licenseExpression: '', license: 'Proprietary | see `vendor`', classifiers: [] }) }
    const evil = { ...facts('evil', 10, 'MIT'), skipped: [{ file: '../../etc/hostname', reason: "climbs out of the distribution's folders (..)" }] }
    const md = shippedMarkdown(
      shipped({
        distributions: [odd, evil],
        problems: [
          {
            distribution: 'latin-meta 1.0 (latin_meta-1.0.dist-info)',
            problem: 'its METADATA is not UTF-8 (byte 0xe9 at offset 64): read with that byte replaced'
          }
        ]
      })
    ).join('\n')
    expect(md).toContain('Licenses the action cannot classify (not an SPDX expression, nor a name it knows): odd 1.0 (Proprietary \\| see `vendor`).')
    expect(md).toContain(
      "left out of THIRD-PARTY-NOTICES.txt (only regular files inside the distribution's own folders, within the size limits, are read): evil 1.0: '../../etc/hostname' climbs out of the distribution's folders (..)."
    )
    expect(md).toContain(
      'Metadata read with problems: latin-meta 1.0 (latin_meta-1.0.dist-info): its METADATA is not UTF-8 (byte 0xe9 at offset 64): read with that byte replaced.'
    )
  })
})

describe('parseShippedReport and pathNeedles', () => {
  it("reads the helper's report, with defaults for what an older helper left out", () => {
    expect(parseShippedReport('{"distributions": [{"name": "a"}], "entries": 3, "leaks": ["x"]}')).toEqual({
      distributions: [{ name: 'a', skippedTexts: [] }],
      entries: 3,
      leaks: ['x'],
      problems: []
    })
  })
  it('looks for the work folder in both slash styles on Windows', () => {
    expect(pathNeedles(windows, 'D:\\a\\_temp\\build-standalone')).toEqual(['D:\\a\\_temp\\build-standalone', 'D:/a/_temp/build-standalone'])
    expect(pathNeedles(linux, '/rt/build-standalone')).toEqual(['/rt/build-standalone'])
  })
})

describe('packaging the notices and the SBOM', () => {
  it('plans the notices beside a one-file executable, at the top level of its archive', () => {
    const b: Build = { mode: 'onefile', name: 'chatty', root: '/rt/dist/chatty', executables: [] }
    const notices = '/rt/notices/chatty/THIRD-PARTY-NOTICES.txt'
    expect(planArchives(linux, [b], '', '1.0', '/out', [{ root: '/rt/dist/chatty', sbom: '{}', beside: [notices] }])[0].beside).toEqual([notices])
    expect(planArchives(linux, [b], '', '1.0', '/out')[0].beside).toEqual([])
  })

  it('plans the SBOM beside the archive as {archive stem}.cdx.json', () => {
    const b: Build = { mode: 'onedir', name: 'suite', root: '/rt/onedir/suite', executables: [] }
    const [a] = planArchives(linux, [b], '', '1.0', '/out', [{ root: '/rt/onedir/suite', sbom: '{}', beside: [] }])
    expect(a.sbom).toEqual({ file: 'suite-1.0-linux-x64-onedir.cdx.json', path: '/out/suite-1.0-linux-x64-onedir.cdx.json', content: '{}' })
    expect(planArchives(linux, [b], '', '1.0', '/out')[0].sbom).toBeUndefined()
  })

  it('writes archives holding the executable and its notices, and lists the SBOM among the assets and checksums', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'package-extras-'))
    const exe = path.join(root, 'dist', 'hello')
    fs.mkdirSync(path.dirname(exe))
    fs.writeFileSync(exe, '#!/bin/sh\necho hi\n', { mode: 0o755 })
    const notices = path.join(root, 'notices', 'hello', NOTICES_FILE)
    fs.mkdirSync(path.dirname(notices), { recursive: true })
    fs.writeFileSync(notices, 'notices\n')
    const b: Build = { mode: 'onefile', name: 'hello', root: exe, executables: [{ name: 'hello', path: exe }] }
    const out = path.join(root, 'out')
    const assets = await packageBuilds(linux, [b], '', 'hello', '1.0', out, [{ root: exe, sbom: '{"bomFormat":"CycloneDX"}\n', beside: [notices] }])
    expect(assets.map((a) => [a.name, a.mode])).toEqual([
      ['hello-1.0-linux-x64.tar.gz', 'onefile'],
      ['hello-1.0-linux-x64.cdx.json', 'sbom'],
      ['hello-1.0-linux-x64-SHA256SUMS.txt', 'checksums']
    ])
    const listed = spawnSync('tar', ['-tzf', assets[0].path], { encoding: 'utf8' }).stdout.trim().split('\n')
    expect(listed).toEqual(['hello', NOTICES_FILE])
    expect(fs.readFileSync(assets[1].path, 'utf8')).toBe('{"bomFormat":"CycloneDX"}\n')
    expect(fs.readFileSync(assets[2].path, 'utf8')).toBe(`${assets[0].sha256}  hello-1.0-linux-x64.tar.gz\n${assets[1].sha256}  hello-1.0-linux-x64.cdx.json\n`)
    fs.rmSync(root, { recursive: true, force: true })
  })
})
