/**
 * inspectDistributions from the helper's report on: the "python" here is a
 * shell script that prints a canned report, so the stage's own work (the
 * project told apart, notices written where the archiver takes them, the
 * SBOM, license-deny) runs for real without a build.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import type { Build } from '../../src/freeze/index.js'
import { StageError } from '../../src/errors.js'
import { platformFor } from '../../src/platform.js'
import { inspectDistributions } from '../../src/inspect/distributions.js'
import { shippedReader } from '../../src/inspect/shipped.js'
import { parsePyproject } from '../../src/pyproject.js'
import { testConfig } from '../../__fixtures__/config.js'

const linux = platformFor('linux', 'x64')
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-distributions-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const dist = (name: string, version: string, licenseExpression: string, size: number, texts: { file: string; text: string }[]) => ({
  name,
  version,
  licenseExpression,
  license: '',
  classifiers: [],
  summary: '',
  licenseTexts: texts,
  files: 3,
  size
})

function fakePython(report: unknown): string {
  const json = path.join(root, `report-${Math.random().toString(36).slice(2)}.json`)
  fs.writeFileSync(json, JSON.stringify(report))
  const program = `${json}.sh`
  // As the helper does: the report goes to the file its request names (argument 2), a log line to stdout.
  fs.writeFileSync(
    program,
    `#!/bin/sh\necho 'some log line'\nexec python3 -c 'import json, shutil, sys; shutil.copy(sys.argv[1], json.loads(sys.argv[3])["out"])' '${json}' "$@"\n`,
    { mode: 0o755 }
  )
  return program
}

const REPORT = {
  distributions: [
    dist('App', '1.0', 'MIT', 1000, []),
    dist('uvicorn', '0.54.0', 'BSD-3-Clause', 400_000, [{ file: 'LICENSE.md', text: 'Copyright © 2017-present, Encode OSS Ltd.\nAll rights reserved.\n' }]),
    dist('gnu-lib', '2.0', 'GPL-3.0-only', 5000, [])
  ],
  entries: 42,
  leaks: []
}

function builds(): Build[] {
  const exe = path.join(root, 'dist', 'app')
  const folder = path.join(root, 'onedir', 'app')
  fs.mkdirSync(folder, { recursive: true })
  fs.mkdirSync(path.dirname(exe), { recursive: true })
  return [
    { mode: 'onefile', name: 'app', root: exe, executables: [{ name: 'app', path: exe }] },
    { mode: 'onedir', name: 'app', root: folder, executables: [{ name: 'app', path: path.join(folder, 'app') }] }
  ]
}

const config = (over = {}) => testConfig({ workDir: path.join(root, 'work'), project: parsePyproject('[project]\nname = "app"\nversion = "1.0"\n'), ...over })

/** What ships, as the build venv's helper (here the fake python) reports it. */
const fromVenv = (c: ReturnType<typeof config>, python: string) => shippedReader(c, linux, python, undefined, new Map())

describe('inspectDistributions', () => {
  it('tells the project apart, writes the notices where the archiver takes them, and makes a valid SBOM per build', async () => {
    const [onefile, onedir] = await inspectDistributions(config(), linux, builds(), fromVenv(config(), fakePython(REPORT)), '1.0')
    expect(onefile.project?.name).toBe('App')
    expect(onefile.distributions.map((d) => d.name)).toEqual(['uvicorn', 'gnu-lib'])
    expect(onefile.total).toBe(406_000)
    expect(onefile.notices).toBe(path.join(root, 'work', 'notices', 'app', 'THIRD-PARTY-NOTICES.txt'))
    expect(onefile.beside).toEqual([onefile.notices])
    expect(onedir.notices).toBe(path.join(root, 'onedir', 'app', 'THIRD-PARTY-NOTICES.txt'))
    expect(onedir.beside).toEqual([])
    const notices = fs.readFileSync(onedir.notices, 'utf8')
    expect(notices).toContain('Copyright © 2017-present, Encode OSS Ltd.')
    expect(notices).toContain('gnu-lib 2.0\nLicense: GPL-3.0-only')
    expect(notices).not.toContain('App 1.0\nLicense')
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6)
    expect(await validator.validate(onefile.sbom)).toBeNull()
    const doc = JSON.parse(onedir.sbom)
    expect(doc.metadata.component.name).toBe('App')
    expect(doc.components.map((c: { purl: string }) => c.purl)).toEqual(['pkg:pypi/gnu-lib@2.0', 'pkg:pypi/uvicorn@0.54.0'])
  })

  it('fails naming the distribution whose license license-deny refuses', async () => {
    const run = inspectDistributions(
      config({ licenseDeny: ['GPL-3.0-only', 'AGPL-3.0-only'] }),
      linux,
      builds(),
      fromVenv(config({ licenseDeny: ['GPL-3.0-only', 'AGPL-3.0-only'] }), fakePython(REPORT)),
      '1.0'
    )
    await expect(run).rejects.toThrow(StageError)
    await expect(
      inspectDistributions(
        config({ licenseDeny: ['GPL-3.0-only'] }),
        linux,
        builds(),
        fromVenv(config({ licenseDeny: ['GPL-3.0-only'] }), fakePython(REPORT)),
        '1.0'
      )
    ).rejects.toThrow(/license-deny refuses \(GPL-3\.0-only\): gnu-lib 2\.0 \(GPL-3\.0-only\)\. Remove it/)
  })

  it('passes when what is denied does not ship', async () => {
    const shipped = await inspectDistributions(
      config({ licenseDeny: ['AGPL-3.0-only'] }),
      linux,
      builds(),
      fromVenv(config({ licenseDeny: ['AGPL-3.0-only'] }), fakePython(REPORT)),
      '1.0'
    )
    expect(shipped).toHaveLength(2)
  })

  const HOSTILE = {
    distributions: [
      dist('App', '1.0', 'MIT', 1000, []),
      {
        ...dist('evil-license', '1.0', 'MIT', 10, [{ file: 'LICENSE', text: 'MIT License' }]),
        skippedTexts: [
          { file: '../../proc/self/environ', reason: "climbs out of the distribution's folders (..)" },
          { file: 'HUGE.txt', reason: 'is 524288000 bytes, more than the 2097152 a license text may have' }
        ]
      },
      { ...dist('odd-license', '1.0', '', 10, []), license: 'Proprietary, see the vendor' },
      { ...dist('generic-gpl', '1.0', '', 10, []), classifiers: ['License :: OSI Approved :: GNU General Public License (GPL)'] }
    ],
    entries: 9,
    leaks: [],
    problems: [
      { distribution: 'latin-meta 1.0 (latin_meta-1.0.dist-info)', problem: 'its METADATA is not UTF-8 (byte 0xe9 at offset 64): read with that byte replaced' }
    ]
  }

  it('names in the notices each license file it left out, and carries the metadata problems', async () => {
    const [onefile] = await inspectDistributions(config(), linux, builds(), fromVenv(config(), fakePython(HOSTILE)), '1.0')
    const notices = fs.readFileSync(onefile.notices, 'utf8')
    expect(notices).toContain("Not included: '../../proc/self/environ', named by its metadata, climbs out of the distribution's folders (..).")
    expect(notices).toContain("Not included: 'HUGE.txt', named by its metadata, is 524288000 bytes, more than the 2097152 a license text may have.")
    expect(onefile.problems).toEqual(HOSTILE.problems)
    expect(onefile.distributions.find((d) => d.name === 'evil-license')?.skipped).toHaveLength(2)
  })

  it('with license-deny, fails on a license it cannot tell refused or not, unless license-unknown is allow', async () => {
    const deny = { licenseDeny: ['GPL-3.0-only', 'AGPL-3.0-only'] }
    const error = await inspectDistributions(
      config({ ...deny, licenseUnknown: 'fail' }),
      linux,
      builds(),
      fromVenv(config(), fakePython(HOSTILE)),
      '1.0'
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StageError)
    expect((error as Error).message).toContain(
      'license-deny (GPL-3.0-only, AGPL-3.0-only) cannot tell whether these distributions are under a license it refuses: odd-license 1.0 (Proprietary, see the vendor: not a license the action knows), generic-gpl 1.0 (GNU General Public License (GPL): may be GPL-3.0-only).'
    )
    expect((error as Error).message).toContain('set license-unknown: allow')
    expect(
      await inspectDistributions(config({ ...deny, licenseUnknown: 'allow' }), linux, builds(), fromVenv(config(), fakePython(HOSTILE)), '1.0')
    ).toHaveLength(2)
  })

  it('without license-deny, license-unknown: fail refuses a license the action cannot classify; allow reports it', async () => {
    await expect(inspectDistributions(config({ licenseUnknown: 'fail' }), linux, builds(), fromVenv(config(), fakePython(HOSTILE)), '1.0')).rejects.toThrow(
      /cannot classify the license of this distribution: odd-license 1\.0 \(Proprietary, see the vendor\): not a license the action knows\./
    )
    expect(await inspectDistributions(config({ licenseUnknown: 'allow' }), linux, builds(), fromVenv(config(), fakePython(HOSTILE)), '1.0')).toHaveLength(2)
  })

  it('reads nothing for Nuitka builds', async () => {
    expect(await inspectDistributions(config({ builder: 'nuitka' }), linux, builds(), fromVenv(config({ builder: 'nuitka' }), '/no/python'), '1.0')).toEqual([])
  })
})
