/** The release job's logic (src/collect/): targets, leg reports, checksums checked and merged, the summary. */
import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { collect, failureMessage, type ArtifactStore, type LegResult, type StoredArtifact } from '../../src/collect/collect.js'
import { buildResultProblem } from '../../src/collect/main.js'
import { countSmokeTests, legArtifactName, legAssetProblem, legPlatform, matrixEntry, parseTargets, targetOf, type LegReport } from '../../src/collect/legs.js'
import { releaseSummary } from '../../src/collect/summary.js'
import { formatSums, mergeSums, parseSums } from '../../src/collect/sums.js'

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex')
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'collect-'))

/** A run's artifacts as files in a folder: name → bytes. */
function folderStore(files: Record<string, string | Buffer>): ArtifactStore & { downloads: string[] } {
  const names = Object.keys(files)
  const downloads: string[] = []
  return {
    downloads,
    list: async () => names.map((name, id) => ({ name, id: id + 1 })),
    download: async (a: StoredArtifact, dir: string) => {
      fs.mkdirSync(dir, { recursive: true })
      downloads.push(a.name)
      fs.writeFileSync(path.join(dir, a.name), files[a.name])
      return path.join(dir, a.name)
    }
  }
}

/**
 * What one leg leaves in the run: its archive, the `installers` it made (file name → mode), its checksums file
 * listing them all, and its report.
 */
function leg(
  target: unknown,
  osArch: string,
  outcome = 'success',
  archiveBytes = `archive of ${osArch}`,
  installers: Record<string, string> = {}
): Record<string, string> {
  const t = targetOf(target)
  const made: [string, string, string][] = [
    [`tiny-1.0.0-${osArch}.tar.gz`, 'onefile', archiveBytes],
    ...Object.entries(installers).map(([name, mode]): [string, string, string] => [name, mode, `${mode} package ${name}`])
  ]
  const sums = `tiny-1.0.0-${osArch}-SHA256SUMS.txt`
  const sumsText = made.map(([name, , bytes]) => `${sha(bytes)}  ${name}\n`).join('')
  const [os_, arch] = osArch.split('-')
  const report: LegReport = {
    target: t,
    platform: { os: os_, arch },
    outcome,
    smokeTests: 2,
    assets:
      outcome === 'success'
        ? [
            ...made.map(([name, mode, bytes]) => ({ name, size: bytes.length, sha256: sha(bytes), mode })),
            { name: sums, size: sumsText.length, sha256: sha(sumsText), mode: 'checksums' }
          ]
        : []
  }
  return outcome === 'success'
    ? { [legArtifactName(t)]: JSON.stringify(report), ...Object.fromEntries(made.map(([name, , bytes]) => [name, bytes])), [sums]: sumsText }
    : { [legArtifactName(t)]: JSON.stringify(report) }
}

describe('targets', () => {
  it('are runner labels, or objects that pick a Python; each gets an id safe in an artifact name', () => {
    expect(parseTargets('["ubuntu-latest", {"runs-on": "macos-15-intel", "python-version": "3.12"}]')).toEqual([
      { id: 'ubuntu-latest', runsOn: 'ubuntu-latest', pythonVersion: '', label: 'ubuntu-latest' },
      { id: 'macos-15-intel-py3.12', runsOn: 'macos-15-intel', pythonVersion: '3.12', label: 'macos-15-intel (python 3.12)' }
    ])
    expect(targetOf('self-hosted linux/arm').id).toBe('self-hosted-linux-arm')
  })

  it('give a Wine leg its target in the matrix, and its files the target’s platform (only where the runner builds it)', () => {
    const [linux, wine, py] = parseTargets(
      '["ubuntu-latest", {"runs-on": "ubuntu-latest", "target": "windows-x64"}, {"runs-on": "ubuntu-latest", "python-version": "3.12"}]'
    )
    expect([linux, wine, py].map(matrixEntry)).toEqual([
      'ubuntu-latest',
      { 'runs-on': 'ubuntu-latest', target: 'windows-x64' },
      { 'runs-on': 'ubuntu-latest', 'python-version': '3.12' }
    ])
    const host = { os: 'linux', arch: 'x64' }
    expect(legPlatform(wine, host)).toEqual({ os: 'windows', arch: 'x64' })
    expect(legPlatform(linux, host)).toEqual(host)
    // A target the runner does not build under Wine changes nothing: the files must still be the runner's.
    expect(legPlatform(wine, { os: 'macos', arch: 'arm64' })).toEqual({ os: 'macos', arch: 'arm64' })
    const zip = { name: 'chatty-0.3.1-windows-x64.zip', size: 1, sha256: 'a'.repeat(64), mode: 'onefile' }
    expect(legAssetProblem(zip, legPlatform(wine, host))).toBe('')
    expect(legAssetProblem(zip, legPlatform(linux, host))).toMatch(/which the leg's platform \(linux-x64\) names …-linux-x64/)
  })

  it('take a target input: Windows built on a Linux runner under Wine, a leg of its own beside the Linux one', () => {
    expect(parseTargets('["ubuntu-latest", {"runs-on": "ubuntu-latest", "target": "Windows-x64"}]')).toEqual([
      { id: 'ubuntu-latest', runsOn: 'ubuntu-latest', pythonVersion: '', label: 'ubuntu-latest' },
      { id: 'ubuntu-latest-windows-x64', runsOn: 'ubuntu-latest', pythonVersion: '', target: 'windows-x64', label: 'ubuntu-latest (windows-x64 under Wine)' }
    ])
  })

  it('refuse what is not a list of targets, unknown keys and a target listed twice, naming the input', () => {
    expect(() => parseTargets('ubuntu-latest')).toThrow("Input 'targets': is not JSON")
    expect(() => parseTargets('[]')).toThrow('is not a non-empty JSON list')
    expect(() => parseTargets('[{"os": "linux"}]')).toThrow("a target has the key 'os'")
    expect(() => parseTargets('[3]')).toThrow('3 is not a target')
    expect(() => parseTargets('["ubuntu-latest", "ubuntu-latest"]')).toThrow('lists ubuntu-latest twice')
  })

  it('refuse a python-version given as a JSON number, which has lost what was written (3.10 is 3.1)', () => {
    expect(() => parseTargets('[{"runs-on": "ubuntu-latest", "python-version": 3.10}]')).toThrow(
      `Input 'targets': a target's python-version is the JSON number 3.1, which no longer says what was written (3.10 reads as 3.1). Write it as a string: {"runs-on": "ubuntu-latest", "python-version": "3.10"}.`
    )
    expect(() => parseTargets('[{"runs-on": "ubuntu-latest", "python-version": ["3.12"]}]')).toThrow('a target\'s python-version is ["3.12"], not a string')
  })

  it('count smoke-test commands as the action runs them: no comments, no blank lines', () => {
    expect(countSmokeTests('--help\n\n# later\nlist\n')).toBe(2)
    expect(countSmokeTests('')).toBe(0)
  })
})

describe('checksums files', () => {
  const a = sha('a')
  const b = sha('b')

  it('parse sha256sum text and binary lines, and refuse anything else with file and line', () => {
    expect(parseSums(`${a}  x.tar.gz\n${b} *y.zip\r\n\n`, 's.txt')).toEqual([
      { sha256: a, name: 'x.tar.gz' },
      { sha256: b, name: 'y.zip' }
    ])
    expect(() => parseSums(`${a}  x\nnot a line\n`, 's.txt')).toThrow("s.txt, line 2, is not in sha256sum format ('<sha256>  <file name>'): 'not a line'.")
  })

  it('merge into one list sorted by byte order, keeping one line per file, which `sha256sum -c` reads', () => {
    const merged = mergeSums([
      { source: 'w.txt', lines: [{ sha256: a, name: 'tiny-1.0.0-windows-x64.zip' }] },
      {
        source: 'l.txt',
        lines: [
          { sha256: b, name: 'tiny-1.0.0-linux-x64.tar.gz' },
          { sha256: a, name: 'Tiny-1.0.0-macos-arm64.tar.gz' }
        ]
      },
      { source: 'again.txt', lines: [{ sha256: a, name: 'tiny-1.0.0-windows-x64.zip' }] }
    ])
    expect(formatSums(merged)).toBe(`${a}  Tiny-1.0.0-macos-arm64.tar.gz\n${b}  tiny-1.0.0-linux-x64.tar.gz\n${a}  tiny-1.0.0-windows-x64.zip\n`)
  })

  it('refuse one file name with two checksums, naming both legs', () => {
    expect(() =>
      mergeSums([
        { source: 'one.txt', lines: [{ sha256: a, name: 'x.tar.gz' }] },
        { source: 'two.txt', lines: [{ sha256: b, name: 'x.tar.gz' }] }
      ])
    ).toThrow('x.tar.gz is listed by one.txt and by two.txt with different checksums')
  })
})

describe('collecting the legs', () => {
  const targets = parseTargets('["ubuntu-latest", "windows-latest", "macos-latest"]')

  it('downloads every leg, checks each file against its leg’s sums, and merges the sums', async () => {
    const store = folderStore({ ...leg('ubuntu-latest', 'linux-x64'), ...leg('windows-latest', 'windows-x64'), ...leg('macos-latest', 'macos-arm64') })
    const dir = tmp()
    const { legs, sums } = await collect(targets, store, dir)
    expect(legs.map((l) => [l.target.label, l.ok, l.reason])).toEqual([
      ['ubuntu-latest', true, ''],
      ['windows-latest', true, ''],
      ['macos-latest', true, '']
    ])
    expect(sums.map((s) => s.name)).toEqual(['tiny-1.0.0-linux-x64.tar.gz', 'tiny-1.0.0-macos-arm64.tar.gz', 'tiny-1.0.0-windows-x64.tar.gz'])
    for (const l of legs) for (const f of l.files) expect(fs.readFileSync(f.path).length).toBe(f.size)
  })

  it('names each failed target with its reason, and keeps the others usable', async () => {
    const tampered = leg('macos-latest', 'macos-arm64')
    tampered['tiny-1.0.0-macos-arm64.tar.gz'] = 'changed on the way'
    const store = folderStore({ ...leg('ubuntu-latest', 'linux-x64'), ...leg('windows-latest', 'windows-x64', 'failure'), ...tampered })
    const { legs, sums } = await collect(targets, store, tmp())
    expect(legs.map((l) => [l.target.label, l.ok])).toEqual([
      ['ubuntu-latest', true],
      ['windows-latest', false],
      ['macos-latest', false]
    ])
    expect(legs[1].reason).toBe('the build failed')
    expect(legs[2].reason).toMatch(/^tiny-1\.0\.0-macos-arm64\.tar\.gz does not match the checksum its leg computed/)
    expect(sums.map((s) => s.name)).toEqual(['tiny-1.0.0-linux-x64.tar.gz'])
    expect(failureMessage(legs, false)).toBe(
      '2 of 3 targets failed — windows-latest: the build failed; macos-latest: ' +
        legs[2].reason +
        '. The 1 other target was built and checked: its files are workflow artifacts of this run, listed in the SHA256SUMS artifact.' +
        ' No release was made; fix the failed targets and re-run the failed jobs, or set allow-partial: true to release the others.'
    )
  })

  it('says when a leg left no report at all (no runner, cancelled, or failed before the build)', async () => {
    const { legs } = await collect(targets, folderStore(leg('ubuntu-latest', 'linux-x64')), tmp())
    expect(legs[1].reason).toMatch(/^no report from its leg: the job did not finish/)
  })

  it('refuses a checksums file that disagrees with the archive beside it', async () => {
    const files = leg('ubuntu-latest', 'linux-x64')
    const report = JSON.parse(files[legArtifactName(targetOf('ubuntu-latest'))]) as LegReport
    const lying = `${sha('something else')}  tiny-1.0.0-linux-x64.tar.gz\n`
    files['tiny-1.0.0-linux-x64-SHA256SUMS.txt'] = lying
    const assets = report.assets.map((a) => (a.mode === 'checksums' ? { ...a, sha256: sha(lying), size: lying.length } : a))
    files[legArtifactName(targetOf('ubuntu-latest'))] = JSON.stringify({ ...report, assets })
    const { legs } = await collect(parseTargets('["ubuntu-latest"]'), folderStore(files), tmp())
    expect(legs[0].reason).toMatch(/^tiny-1\.0\.0-linux-x64\.tar\.gz does not match tiny-1\.0\.0-linux-x64-SHA256SUMS\.txt/)
  })
})

describe('a report, and the files it names, come from their own leg (issue 22, defect 2 and 7)', () => {
  const two = parseTargets('["ubuntu-latest", "windows-latest"]')
  const reportName = (t: string): string => legArtifactName(targetOf(t))
  const rewrite = (files: Record<string, string>, t: string, change: (r: LegReport) => LegReport): void => {
    files[reportName(t)] = JSON.stringify(change(JSON.parse(files[reportName(t)]) as LegReport))
  }
  const reasons = (legs: readonly LegResult[]): string[][] => legs.map((l) => [l.target.label, l.reason])

  it("refuses a report that names another target than its artifact's", async () => {
    const files = { ...leg('ubuntu-latest', 'linux-x64'), ...leg('windows-latest', 'windows-x64') }
    // What code run in the windows leg could upload under the ubuntu leg's name: the windows leg's own report.
    files[reportName('ubuntu-latest')] = files[reportName('windows-latest')]
    const { legs } = await collect(two, folderStore(files), tmp())
    expect(reasons(legs)).toEqual([
      ['ubuntu-latest', 'its report (build-standalone-leg-ubuntu-latest.json) is for another target (windows-latest): a report that did not come from its leg'],
      ['windows-latest', '']
    ])
  })

  it("refuses a report that names a file of another leg's platform", async () => {
    const files = { ...leg('ubuntu-latest', 'linux-x64'), ...leg('windows-latest', 'windows-x64') }
    rewrite(files, 'ubuntu-latest', (r) => ({ ...r, platform: { os: 'macos', arch: 'arm64' } }))
    const { legs } = await collect(two, folderStore(files), tmp())
    expect(legs[0].reason).toBe(
      "its report reports tiny-1.0.0-linux-x64.tar.gz as a one-file archive, which the leg's platform (macos-arm64) names …-macos-arm64.tar.gz or .zip: a file of another leg, or not of this action"
    )
    expect(legs[1].ok).toBe(true)
  })

  it('refuses a file name that is a path, before anything is downloaded to it', async () => {
    const files = leg('ubuntu-latest', 'linux-x64')
    rewrite(files, 'ubuntu-latest', (r) => ({
      ...r,
      assets: r.assets.map((a) => (a.mode === 'onefile' ? { ...a, name: '../../escape-linux-x64.tar.gz' } : a))
    }))
    files['../../escape-linux-x64.tar.gz'] = 'x'
    const store = folderStore(files)
    const { legs } = await collect(parseTargets('["ubuntu-latest"]'), store, tmp())
    expect(legs[0].reason).toBe('its report reports the file "../../escape-linux-x64.tar.gz", which is not a plain file name')
    expect(store.downloads).toEqual([reportName('ubuntu-latest')])
  })

  it('refuses an archive marked as a checksums file (it would skip the SHA256SUMS check and the attestation)', async () => {
    const files = leg('ubuntu-latest', 'linux-x64')
    rewrite(files, 'ubuntu-latest', (r) => ({ ...r, assets: r.assets.map((a) => ({ ...a, mode: 'checksums' })) }))
    const { legs } = await collect(parseTargets('["ubuntu-latest"]'), folderStore(files), tmp())
    expect(legs[0].reason).toBe('its report reports tiny-1.0.0-linux-x64.tar.gz as its checksums file, which is not named …-SHA256SUMS.txt')
    const unknown = leg('ubuntu-latest', 'linux-x64')
    rewrite(unknown, 'ubuntu-latest', (r) => ({ ...r, assets: r.assets.map((a) => (a.mode === 'onefile' ? { ...a, mode: 'extra' } : a)) }))
    expect((await collect(parseTargets('["ubuntu-latest"]'), folderStore(unknown), tmp())).legs[0].reason).toBe(
      "its report reports tiny-1.0.0-linux-x64.tar.gz as 'extra', not one of onefile, onedir, app, sbom, deb, rpm, msi, dmg, checksums"
    )
  })

  it('fails only the leg whose checksums file lists a file twice, saying so', async () => {
    const files = { ...leg('ubuntu-latest', 'linux-x64'), ...leg('windows-latest', 'windows-x64') }
    const sums = 'tiny-1.0.0-linux-x64-SHA256SUMS.txt'
    const doubled = `${files[sums]}${sha('other')}  tiny-1.0.0-linux-x64.tar.gz\n`
    files[sums] = doubled
    rewrite(files, 'ubuntu-latest', (r) => ({
      ...r,
      assets: r.assets.map((a) => (a.mode === 'checksums' ? { ...a, sha256: sha(doubled), size: doubled.length } : a))
    }))
    const { legs, sums: merged } = await collect(two, folderStore(files), tmp())
    expect(reasons(legs)).toEqual([
      ['ubuntu-latest', 'tiny-1.0.0-linux-x64-SHA256SUMS.txt lists tiny-1.0.0-linux-x64.tar.gz twice'],
      ['windows-latest', '']
    ])
    expect(merged.map((l) => l.name)).toEqual(['tiny-1.0.0-windows-x64.tar.gz'])
  })

  it('releases neither of two legs that report a file of the same name, and the others still', async () => {
    const targets = parseTargets('["ubuntu-latest", {"runs-on": "ubuntu-latest", "python-version": "3.12"}, "windows-latest"]')
    // A run holds one artifact of a name: the second leg reports the first one's files as its own.
    const store = folderStore({
      ...leg('ubuntu-latest', 'linux-x64'),
      ...leg({ 'runs-on': 'ubuntu-latest', 'python-version': '3.12' }, 'linux-x64'),
      ...leg('windows-latest', 'windows-x64')
    })
    const { legs, sums } = await collect(targets, store, tmp())
    expect(legs.map((l) => l.ok)).toEqual([false, false, true])
    expect(legs[0].reason).toBe(
      'tiny-1.0.0-linux-x64.tar.gz is reported by the leg of ubuntu-latest (python 3.12) too: two legs built a file of the same name (give each target its own os/arch), so neither is released'
    )
    expect(sums.map((l) => l.name)).toEqual(['tiny-1.0.0-windows-x64.tar.gz'])
  })

  it('releases nothing when the build job did not succeed though every report says success', () => {
    const ok = [{ target: targetOf('ubuntu-latest'), ok: true, reason: '', files: [] }]
    expect(buildResultProblem('failure', ok)).toMatch(/^the build job's result is failure, yet every leg's report says its build succeeded/)
    expect(buildResultProblem('success', ok)).toBe('')
    expect(buildResultProblem('', ok)).toBe('')
    // A failed leg explains a failed job: allow-partial decides.
    expect(buildResultProblem('failure', [...ok, { target: targetOf('windows-latest'), ok: false, reason: 'the build failed', files: [] }])).toBe('')
  })
})

describe('installers from the legs (the formats input)', () => {
  const three = parseTargets('["ubuntu-latest", "ubuntu-24.04-arm", "windows-latest", "macos-latest"]')
  const ok = {
    ...leg('ubuntu-latest', 'linux-x64', 'success', 'linux archive', { 'tiny-tool_1.0.0_amd64.deb': 'deb', 'tiny-tool-1.0.0-1.x86_64.rpm': 'rpm' }),
    ...leg('ubuntu-24.04-arm', 'linux-arm64', 'success', 'arm archive', {
      'tiny-tool_1.0.0~rc1_arm64.deb': 'deb',
      'tiny-tool-1.0.0~rc1-1.aarch64.rpm': 'rpm'
    }),
    ...leg('windows-latest', 'windows-x64', 'success', 'windows archive', { 'tiny-tool-1.0.0-windows-x64.msi': 'msi' }),
    ...leg('macos-latest', 'macos-arm64', 'success', 'mac archive', { 'tiny-tool-1.0.0-macos-arm64.dmg': 'dmg' })
  }

  it("takes each leg's installers, checked against its sums, into the merged SHA256SUMS and the summary", async () => {
    const { legs, sums } = await collect(three, folderStore(ok), tmp())
    expect(legs.map((l) => [l.target.label, l.reason])).toEqual(three.map((t) => [t.label, '']))
    expect(sums.map((l) => l.name)).toEqual([
      'tiny-1.0.0-linux-arm64.tar.gz',
      'tiny-1.0.0-linux-x64.tar.gz',
      'tiny-1.0.0-macos-arm64.tar.gz',
      'tiny-1.0.0-windows-x64.tar.gz',
      'tiny-tool-1.0.0-1.x86_64.rpm',
      'tiny-tool-1.0.0-macos-arm64.dmg',
      'tiny-tool-1.0.0-windows-x64.msi',
      'tiny-tool-1.0.0~rc1-1.aarch64.rpm',
      'tiny-tool_1.0.0_amd64.deb',
      'tiny-tool_1.0.0~rc1_arm64.deb'
    ])
    for (const l of sums) expect(l.sha256).toBe(sha(ok[l.name]))
    expect(legs[0].files.map((f) => [f.name, f.mode])).toEqual([
      ['tiny-1.0.0-linux-x64.tar.gz', 'onefile'],
      ['tiny-tool_1.0.0_amd64.deb', 'deb'],
      ['tiny-tool-1.0.0-1.x86_64.rpm', 'rpm'],
      ['tiny-1.0.0-linux-x64-SHA256SUMS.txt', 'checksums']
    ])
    expect(releaseSummary(legs, sums.length)).toContain('| windows-latest | `tiny-tool-1.0.0-windows-x64.msi` | 43 B | ✅ passed (2 commands) |')
  })

  /** The ubuntu-latest leg, run on `osArch`, reporting its archive and one installer, `name` as `mode`, listed in its sums. */
  async function legWith(name: string, mode: string, osArch = 'linux-x64'): Promise<LegResult> {
    const files = leg('ubuntu-latest', osArch, 'success', 'archive', { [name]: mode })
    return (await collect(parseTargets('["ubuntu-latest"]'), folderStore(files), tmp())).legs[0]
  }

  it.each([
    ['tiny-tool_1.0.0_arm64.deb', 'deb', "as a .deb package, which the leg's platform (linux-x64) names {name}_{version}_amd64.deb"],
    ['tiny-tool-1.0.0-1.aarch64.rpm', 'rpm', "as an .rpm package, which the leg's platform (linux-x64) names {name}-{version}-1.x86_64.rpm"],
    ['tiny-tool_1.0.0_amd64.rpm', 'rpm', "as an .rpm package, which the leg's platform (linux-x64) names {name}-{version}-1.x86_64.rpm"],
    ['Tiny Tool_1.0.0_amd64.deb', 'deb', "as a .deb package, which the leg's platform (linux-x64) names {name}_{version}_amd64.deb"],
    ['tiny-tool_1.0.0_amd64.deb', 'rpm', "as an .rpm package, which the leg's platform (linux-x64) names {name}-{version}-1.x86_64.rpm"],
    ['tiny-tool-1.0.0-linux-x64.deb', 'deb', "as a .deb package, which the leg's platform (linux-x64) names {name}_{version}_amd64.deb"],
    ['tiny-tool-1.0.0-windows-x64.msi', 'msi', 'as an MSI package, which a leg on linux-x64 does not make'],
    ['tiny-tool-1.0.0-macos-x64.dmg', 'dmg', 'as a disk image, which a leg on linux-x64 does not make'],
    ['tiny-tool_1.0.0_amd64.deb', 'onefile', "as a one-file archive, which the leg's platform (linux-x64) names …-linux-x64.tar.gz or .zip"]
  ])('refuses %s reported as %s by a Linux x64 leg', async (name, mode, why) => {
    const l = await legWith(name, mode)
    expect(l.ok).toBe(false)
    expect(l.reason).toBe(`its report reports ${name} ${why}: a file of another leg, or not of this action`)
  })

  it("ties the deb and rpm to the leg's architecture, and the MSI and disk image to their system and architecture", async () => {
    expect((await legWith('tiny-tool_1.0.0_amd64.deb', 'deb', 'linux-arm64')).reason).toMatch(/names \{name\}_\{version\}_arm64\.deb:/)
    expect((await legWith('tiny-tool_1.0.0_arm64.deb', 'deb', 'linux-arm64')).reason).toBe('')
    expect((await legWith('tiny-tool-1.0.0-1.aarch64.rpm', 'rpm', 'linux-arm64')).reason).toBe('')
    expect((await legWith('tiny-tool-1.0.0-windows-x64.msi', 'msi', 'windows-arm64')).reason).toMatch(
      /as an MSI package, which the leg's platform \(windows-arm64\) names …-windows-arm64\.msi:/
    )
    expect((await legWith('tiny-tool-1.0.0-macos-arm64.dmg', 'dmg', 'macos-x64')).reason).toMatch(/names …-macos-x64\.dmg:/)
    expect((await legWith('tiny-tool_1.0.0_amd64.deb', 'deb', 'windows-x64')).reason).toMatch(/as a \.deb package, which a leg on windows-x64 does not make/)
    expect((await legWith('tiny-tool_1.0.0_amd64.deb', 'deb', 'linux-constructor')).reason).toMatch(/which a leg on linux-constructor does not make/)
  })

  it('refuses an installer that the leg does not list in its checksums file, or lists twice', async () => {
    const files = leg('ubuntu-latest', 'linux-x64', 'success', 'linux archive', { 'tiny-tool_1.0.0_amd64.deb': 'deb' })
    const sumsName = 'tiny-1.0.0-linux-x64-SHA256SUMS.txt'
    const reportName = legArtifactName(targetOf('ubuntu-latest'))
    const withSums = (text: string): Record<string, string> => {
      const report = JSON.parse(files[reportName]) as LegReport
      const assets = report.assets.map((a) => (a.mode === 'checksums' ? { ...a, sha256: sha(text), size: text.length } : a))
      return { ...files, [sumsName]: text, [reportName]: JSON.stringify({ ...report, assets }) }
    }
    const unlisted = withSums(
      files[sumsName]
        .split('\n')
        .filter((l) => !l.endsWith('.deb'))
        .join('\n')
    )
    expect((await collect(parseTargets('["ubuntu-latest"]'), folderStore(unlisted), tmp())).legs[0].reason).toBe(
      'tiny-1.0.0-linux-x64-SHA256SUMS.txt does not list tiny-tool_1.0.0_amd64.deb'
    )
    const twice = withSums(`${files[sumsName]}${sha('x')}  tiny-tool_1.0.0_amd64.deb\n`)
    expect((await collect(parseTargets('["ubuntu-latest"]'), folderStore(twice), tmp())).legs[0].reason).toBe(
      'tiny-1.0.0-linux-x64-SHA256SUMS.txt lists tiny-tool_1.0.0_amd64.deb twice'
    )
  })

  it('releases a leg that made installers only (formats without archive), and refuses one with nothing to release', async () => {
    const files = leg('ubuntu-latest', 'linux-x64', 'success', 'linux archive', { 'tiny-tool_1.0.0_amd64.deb': 'deb' })
    const reportName = legArtifactName(targetOf('ubuntu-latest'))
    const report = JSON.parse(files[reportName]) as LegReport
    const only = (keep: (mode: string) => boolean): Record<string, string> => ({
      ...files,
      [reportName]: JSON.stringify({ ...report, assets: report.assets.filter((a) => keep(a.mode)) })
    })
    // The sums file still lists the archive, which the report no longer names: only what the leg reports is released.
    const debOnly = await collect(parseTargets('["ubuntu-latest"]'), folderStore(only((m) => m !== 'onefile')), tmp())
    expect(debOnly.legs[0].reason).toBe('')
    expect(debOnly.sums.map((l) => l.name)).toEqual(['tiny-tool_1.0.0_amd64.deb'])
    const nothing = await collect(parseTargets('["ubuntu-latest"]'), folderStore(only((m) => m === 'checksums')), tmp())
    expect(nothing.legs[0].reason).toBe('the build reported no archives or installers')
  })
})

describe('the summary', () => {
  it('has one row per target and archive, with size and smoke tests, failed targets with their reason', async () => {
    const store = folderStore({
      ...leg('ubuntu-latest', 'linux-x64', 'success', 'x'.repeat(3 * 1024 * 1024)),
      ...leg({ 'runs-on': 'ubuntu-latest', 'python-version': '2.7' }, 'linux-x64', 'failure')
    })
    const { legs, sums } = await collect(parseTargets('["ubuntu-latest", {"runs-on": "ubuntu-latest", "python-version": "2.7"}]'), store, tmp())
    const md = releaseSummary(legs, sums.length, { tag: 'v1.0.0', url: 'https://github.example/r', created: true, assets: 3 })
    expect(md).toBe(
      [
        '### Standalone executables: 1 of 2 targets built',
        '',
        '| Target | File | Size | Smoke tests |',
        '|---|---|---|---|',
        '| ubuntu-latest | `tiny-1.0.0-linux-x64.tar.gz` | 3.0 MiB | ✅ passed (2 commands) |',
        '| ubuntu-latest (python 2.7) | — | — | ❌ the build failed |',
        '',
        "`SHA256SUMS` lists 1 file (each checked against its leg's checksums file).",
        '',
        'Release [v1.0.0](https://github.example/r) (created): 3 assets.',
        ''
      ].join('\n')
    )
  })
})
