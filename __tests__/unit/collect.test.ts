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

/** What one leg leaves in the run: its archive, its checksums file and its report. */
function leg(target: unknown, osArch: string, outcome = 'success', archiveBytes = `archive of ${osArch}`): Record<string, string> {
  const t = targetOf(target)
  const archive = `tiny-1.0.0-${osArch}.tar.gz`
  const sums = `tiny-1.0.0-${osArch}-SHA256SUMS.txt`
  const sumsText = `${sha(archiveBytes)}  ${archive}\n`
  const [os_, arch] = osArch.split('-')
  const report: LegReport = {
    target: t,
    platform: { os: os_, arch },
    outcome,
    smokeTests: 2,
    assets:
      outcome === 'success'
        ? [
            { name: archive, size: archiveBytes.length, sha256: sha(archiveBytes), mode: 'onefile' },
            { name: sums, size: sumsText.length, sha256: sha(sumsText), mode: 'checksums' }
          ]
        : []
  }
  return outcome === 'success'
    ? { [legArtifactName(t)]: JSON.stringify(report), [archive]: archiveBytes, [sums]: sumsText }
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
    expect(legAssetProblem(zip, legPlatform(linux, host))).toMatch(/does not end with the leg's platform \(linux-x64\)/)
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
        '. The 1 other target was built and checked: its archives are workflow artifacts of this run, listed in the SHA256SUMS artifact.' +
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
      "its report reports tiny-1.0.0-linux-x64.tar.gz, which does not end with the leg's platform (macos-arm64): a file of another leg, or not of this action"
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
      "its report reports tiny-1.0.0-linux-x64.tar.gz as 'extra', not one of onefile, onedir, app, sbom, checksums"
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
        '| Target | Archive | Size | Smoke tests |',
        '|---|---|---|---|',
        '| ubuntu-latest | `tiny-1.0.0-linux-x64.tar.gz` | 3.0 MiB | ✅ passed (2 commands) |',
        '| ubuntu-latest (python 2.7) | — | — | ❌ the build failed |',
        '',
        "`SHA256SUMS` lists 1 archive (each checked against its leg's checksums file).",
        '',
        'Release [v1.0.0](https://github.example/r) (created): 3 assets.',
        ''
      ].join('\n')
    )
  })
})
