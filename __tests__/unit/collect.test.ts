/** The release job's logic (src/collect/): targets, leg reports, checksums checked and merged, the summary. */
import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { collect, failureMessage, type ArtifactStore, type StoredArtifact } from '../../src/collect/collect.js'
import { countSmokeTests, legArtifactName, parseTargets, targetOf, type LegReport } from '../../src/collect/legs.js'
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
  const report: LegReport = {
    target: t,
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
