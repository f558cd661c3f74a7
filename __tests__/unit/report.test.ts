import { describe, it, expect } from '@jest/globals'
import type { Build } from '../../src/freeze/index.js'
import type { Asset } from '../../src/package.js'
import { platformFor } from '../../src/platform.js'
import { failureMarkdown, formatSize, outputsFor, startupMarkdown, summaryMarkdown, type RunReport } from '../../src/report.js'

const SHA_A = 'a'.repeat(64)
const SHA_B = 'b'.repeat(64)
const SHA_C = 'c'.repeat(64)

const onefile: Build = { mode: 'onefile', name: 'chatty', root: '/rt/dist/chatty', executables: [{ name: 'chatty', path: '/rt/dist/chatty' }] }
const onedir: Build = {
  mode: 'onedir',
  name: 'suite',
  root: '/rt/dist/suite',
  executables: [
    { name: 'admin', path: '/rt/dist/suite/admin' },
    { name: 'worker', path: '/rt/dist/suite/worker' }
  ]
}
const assets: Asset[] = [
  { name: 'chatty-0.3.1-linux-x64.tar.gz', path: '/out/chatty-0.3.1-linux-x64.tar.gz', size: 12_345_678, sha256: SHA_A, mode: 'onefile' },
  { name: 'suite-0.3.1-linux-x64-onedir.tar.gz', path: '/out/suite-0.3.1-linux-x64-onedir.tar.gz', size: 2048, sha256: SHA_B, mode: 'onedir' },
  { name: 'SHA256SUMS', path: '/out/SHA256SUMS', size: 166, sha256: SHA_C, mode: 'checksums' }
]

function runReport(over: Partial<RunReport> = {}): RunReport {
  return {
    platform: platformFor('linux', 'x64'),
    version: '0.3.1',
    python: '3.11.9',
    builder: 'PyInstaller',
    builds: [onefile, onedir],
    assets,
    smokeRuns: 6,
    timings: [
      { stage: 'python', seconds: 2.123 },
      { stage: 'install', seconds: 14.056 },
      { stage: 'build', seconds: 30.2 }
    ],
    outputDir: '/out',
    ...over
  }
}

describe('formatSize', () => {
  it('uses B, KiB and MiB with one decimal', () => {
    expect(formatSize(0)).toBe('0 B')
    expect(formatSize(1023)).toBe('1023 B')
    expect(formatSize(1024)).toBe('1.0 KiB')
    expect(formatSize(1536)).toBe('1.5 KiB')
    expect(formatSize(1024 * 1024)).toBe('1.0 MiB')
    expect(formatSize(12_345_678)).toBe('11.8 MiB')
  })
})

describe('outputsFor', () => {
  it('gives every output of action.yml as a string', () => {
    const out = outputsFor(runReport())
    expect(Object.keys(out).sort()).toEqual([
      'archives',
      'assets',
      'build-key',
      'build-reused',
      'checksums',
      'executables',
      'glibc-floor',
      'installers',
      'output-dir',
      'python-version',
      'sbom',
      'timings',
      'version'
    ])
    expect(out.version).toBe('0.3.1')
    expect(out['python-version']).toBe('3.11.9')
    expect(out['output-dir']).toBe('/out')
    expect(out.archives).toBe('/out/chatty-0.3.1-linux-x64.tar.gz\n/out/suite-0.3.1-linux-x64-onedir.tar.gz')
    expect(out.checksums).toBe('/out/SHA256SUMS')
  })

  it('gives assets, executables and timings as JSON of the documented shapes', () => {
    const out = outputsFor(runReport())
    expect(JSON.parse(out.assets)).toEqual([
      { name: 'chatty-0.3.1-linux-x64.tar.gz', path: '/out/chatty-0.3.1-linux-x64.tar.gz', size: 12_345_678, sha256: SHA_A, mode: 'onefile' },
      { name: 'suite-0.3.1-linux-x64-onedir.tar.gz', path: '/out/suite-0.3.1-linux-x64-onedir.tar.gz', size: 2048, sha256: SHA_B, mode: 'onedir' },
      { name: 'SHA256SUMS', path: '/out/SHA256SUMS', size: 166, sha256: SHA_C, mode: 'checksums' }
    ])
    expect(JSON.parse(out.executables)).toEqual([
      { name: 'chatty', path: '/rt/dist/chatty', mode: 'onefile' },
      { name: 'admin', path: '/rt/dist/suite/admin', mode: 'onedir' },
      { name: 'worker', path: '/rt/dist/suite/worker', mode: 'onedir' }
    ])
    expect(out.timings).toBe('{"python":2.12,"install":14.06,"build":30.2}')
  })

  it('says whether the build was reused, and under which key', () => {
    expect(outputsFor(runReport())).toMatchObject({ 'build-reused': 'false', 'build-key': '' })
    const reused = outputsFor(
      runReport({ buildKey: 'build-standalone-build-v1-linux-x64-abc', reusedFrom: { run: 'run 7 of o/r', at: '2026-12-06T00:00:00.000Z' } })
    )
    expect(reused).toMatchObject({ 'build-reused': 'true', 'build-key': 'build-standalone-build-v1-linux-x64-abc' })
    expect(outputsFor(runReport({ buildKey: 'k' }))).toMatchObject({ 'build-reused': 'false', 'build-key': 'k' })
  })

  it('copes with no assets and no timings', () => {
    const out = outputsFor(runReport({ assets: [], builds: [], timings: [] }))
    expect(out.archives).toBe('')
    expect(out.checksums).toBe('')
    expect(out.assets).toBe('[]')
    expect(out.executables).toBe('[]')
    expect(out.timings).toBe('{}')
  })
})

describe('summaryMarkdown add-data (issue 14, defect 7)', () => {
  it('lists what add-data put into the executables, marking sources outside the project', () => {
    const md = summaryMarkdown(
      runReport({
        projectDir: '/ws/proj',
        addedData: [
          { source: '/ws/proj/data', dest: 'assets' },
          { source: '/etc/hostname', dest: '.', outside: true }
        ]
      })
    )
    expect(md).toContain(
      '### Data files added (add-data)\n\n| source | in the bundle | |\n|---|---|---|\n| `data` | `assets` |  |\n| `/etc/hostname` | `.` | **outside the project** |\n'
    )
  })

  it('has no such section without add-data', () => {
    expect(summaryMarkdown(runReport())).not.toContain('add-data')
  })
})

describe('summaryMarkdown', () => {
  it('has a title, a row per asset and per stage', () => {
    expect(summaryMarkdown(runReport())).toBe(
      [
        '## build-standalone: 2 builds for linux-x64',
        '',
        'Version **0.3.1**, Python 3.11.9, built with PyInstaller, 6 smoke tests passed.',
        '',
        '| asset | mode | size | sha256 |',
        '|---|---|---:|---|',
        `| \`chatty-0.3.1-linux-x64.tar.gz\` | onefile | 11.8 MiB | \`${SHA_A}\` |`,
        `| \`suite-0.3.1-linux-x64-onedir.tar.gz\` | onedir | 2.0 KiB | \`${SHA_B}\` |`,
        `| \`SHA256SUMS\` | checksums | 166 B | \`${SHA_C}\` |`,
        '',
        '| stage | seconds |',
        '|---|---:|',
        '| python | 2.1 |',
        '| install | 14.1 |',
        '| build | 30.2 |',
        ''
      ].join('\n')
    )
  })

  it('uses the singular for one build and one smoke test, and says when there were none', () => {
    const one = summaryMarkdown(runReport({ builds: [onefile], smokeRuns: 1, platform: platformFor('win32', 'x64') }))
    expect(one.split('\n').slice(0, 3)).toEqual([
      '## build-standalone: 1 build for windows-x64',
      '',
      'Version **0.3.1**, Python 3.11.9, built with PyInstaller, 1 smoke test passed.'
    ])
    expect(summaryMarkdown(runReport({ smokeRuns: 0 })).split('\n')[2]).toBe('Version **0.3.1**, Python 3.11.9, built with PyInstaller, no smoke tests.')
  })

  it('names the lock file the dependencies were installed from, when there was one', () => {
    expect(summaryMarkdown(runReport({ smokeRuns: 0, lock: 'uv.lock (uv sync --locked)' })).split('\n')[2]).toBe(
      'Version **0.3.1**, Python 3.11.9, built with PyInstaller, dependencies from uv.lock (uv sync --locked), no smoke tests.'
    )
    expect(summaryMarkdown(runReport({ smokeRuns: 0, lock: '' })).split('\n')[2]).not.toContain('dependencies from')
  })

  it("escapes '|' in asset names and the version", () => {
    const md = summaryMarkdown(
      runReport({ version: '1|2', assets: [{ name: 'a|b.tar.gz', path: '/out/a|b.tar.gz', size: 1, sha256: SHA_A, mode: 'onefile' }] })
    )
    expect(md).toContain('Version **1\\|2**,')
    expect(md).toContain(`| \`a\\|b.tar.gz\` | onefile | 1 B | \`${SHA_A}\` |`)
    expect(md).not.toContain('a|b')
  })
})

describe('summaryMarkdown, build reuse and entry points side by side', () => {
  it('names the run a reused build came from, with a link when it has one', () => {
    const made = { run: 'run 7 (attempt 2) of o/r', url: 'https://github.com/o/r/actions/runs/7', at: '2026-12-06T00:00:00.000Z' }
    const md = summaryMarkdown(runReport({ buildKey: 'build-standalone-build-v1-linux-x64-abc', reusedFrom: made }))
    expect(md).toContain(
      '> Build reused from `build-standalone-build-v1-linux-x64-abc`, made by [run 7 (attempt 2) of o/r](https://github.com/o/r/actions/runs/7) at 2026-12-06T00:00:00.000Z'
    )
    expect(summaryMarkdown(runReport({ buildKey: 'k', reusedFrom: { run: 'a local build on laptop', at: 'now' } }))).toContain(
      'made by a local build on laptop at now'
    )
    expect(summaryMarkdown(runReport({ buildKey: 'k' }))).not.toContain('Build reused')
  })

  it('gives each entry point’s time when they were built side by side, and nothing otherwise', () => {
    const md = summaryMarkdown(
      runReport({
        entryTimes: [
          { name: 'chatty', seconds: 17.24 },
          { name: 'chatty-web', seconds: 15.3 }
        ],
        processes: 2
      })
    )
    expect(md).toContain(
      '### Build per entry point (2 PyInstaller processes, 2 at a time)\n\n| entry point | seconds |\n|---|---:|\n| `chatty` | 17.2 |\n| `chatty-web` | 15.3 |'
    )
    expect(summaryMarkdown(runReport())).not.toContain('Build per entry point')
  })
})

describe('failureMarkdown', () => {
  it('shows the message in a code block and the stage timings', () => {
    expect(
      failureMarkdown('build failed: PyInstaller exited with code 1.', [
        { stage: 'python', seconds: 1.04 },
        { stage: 'build', seconds: 9.96 }
      ])
    ).toBe(
      [
        '## build-standalone failed',
        '',
        '```',
        'build failed: PyInstaller exited with code 1.',
        '```',
        '',
        '| stage | seconds |',
        '|---|---:|',
        '| python | 1.0 |',
        '| build | 10.0 |',
        ''
      ].join('\n')
    )
  })

  it('has an empty timing table when no stage ran', () => {
    expect(failureMarkdown("Input 'spec': is empty.", [])).toBe(
      ['## build-standalone failed', '', '```', "Input 'spec': is empty.", '```', '', '| stage | seconds |', '|---|---:|', ''].join('\n')
    )
  })
})

describe('startupMarkdown', () => {
  const t = (build: string, mode: 'onefile' | 'onedir', executable: string, args: string[], ms: number) => ({ build, mode, executable, args, ms })

  it('shows the fastest smoke command of each executable of each build, in seconds', () => {
    const lines = startupMarkdown([
      t('chatty', 'onefile', 'chatty', ['--help'], 1480),
      t('chatty', 'onefile', 'chatty', ['list'], 1210),
      t('chatty-commander', 'onedir', 'chatty', ['--help'], 95),
      t('chatty-commander', 'onedir', 'chatty-web', ['--help'], 130)
    ])
    expect(lines).toEqual([
      '### Start-up (fastest smoke test per executable)',
      '',
      '| executable | build | command | seconds |',
      '|---|---|---|---:|',
      '| `chatty` | chatty (onefile) | `chatty list` | 1.21 |',
      '| `chatty` | chatty-commander (onedir) | `chatty --help` | 0.10 |',
      '| `chatty-web` | chatty-commander (onedir) | `chatty-web --help` | 0.13 |',
      ''
    ])
  })

  it('gives nothing without smoke tests, and the summary carries the table when there are', () => {
    expect(startupMarkdown([])).toEqual([])
    expect(summaryMarkdown(runReport({ startup: [t('tiny', 'onefile', 'tiny', ['hello'], 500)] }))).toContain(
      '| `tiny` | tiny (onefile) | `tiny hello` | 0.50 |'
    )
  })
})
