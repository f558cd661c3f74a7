import { describe, it, expect } from '@jest/globals'
import type { Build } from '../../src/freeze/index.js'
import type { Asset } from '../../src/package.js'
import { platformFor } from '../../src/platform.js'
import type { Published } from '../../src/publish/index.js'
import { publishedOutputs, summaryMarkdown, type RunReport } from '../../src/report.js'

const SHA_A = 'a'.repeat(64)
const SHA_C = 'c'.repeat(64)

const onefile: Build = { mode: 'onefile', name: 'app', root: '/rt/dist/app', executables: [{ name: 'app', path: '/rt/dist/app' }] }
const assets: Asset[] = [
  { name: 'app-1.0-linux-x64.tar.gz', path: '/out/app-1.0-linux-x64.tar.gz', size: 3 * 1024 * 1024, sha256: SHA_A, mode: 'onefile' },
  { name: 'app-1.0-linux-x64-SHA256SUMS.txt', path: '/out/app-1.0-linux-x64-SHA256SUMS.txt', size: 90, sha256: SHA_C, mode: 'checksums' }
]

const runReport: RunReport = {
  platform: platformFor('linux', 'x64'),
  version: '1.0',
  python: '3.12.4',
  builder: 'PyInstaller',
  builds: [onefile],
  assets,
  smokeRuns: 1,
  timings: [
    { stage: 'build', seconds: 20.04 },
    { stage: 'publish', seconds: 1.26 }
  ],
  outputDir: '/out'
}

const HEAD = [
  '## build-standalone: 1 build for linux-x64',
  '',
  'Version **1.0**, Python 3.12.4, built with PyInstaller, 1 smoke test passed.',
  '',
  '| asset | mode | size | sha256 |',
  '|---|---|---:|---|',
  `| \`app-1.0-linux-x64.tar.gz\` | onefile | 3.0 MiB | \`${SHA_A}\` |`,
  `| \`app-1.0-linux-x64-SHA256SUMS.txt\` | checksums | 90 B | \`${SHA_C}\` |`,
  ''
]
const TIMINGS = ['| stage | seconds |', '|---|---:|', '| build | 20.0 |', '| publish | 1.3 |', '']

const RUN_URL = 'https://github.com/octo/app/actions/runs/42/artifacts'
const artifacts: Published['artifacts'] = [
  { name: 'app-1.0-linux-x64.tar.gz', id: 501, url: `${RUN_URL}/501`, size: assets[0].size, sha256: SHA_A, file: assets[0].path },
  { name: 'app-1.0-linux-x64-SHA256SUMS.txt', id: 502, url: `${RUN_URL}/502`, size: 90, sha256: SHA_C, file: assets[1].path }
]
const DL = 'https://github.com/octo/app/releases/download/v1.0'
const release: NonNullable<Published['release']> = {
  id: 7,
  tag: 'v1.0',
  url: 'https://github.com/octo/app/releases/tag/untagged-0a1b2c',
  draft: true,
  created: true,
  assets: [
    { name: 'app-1.0-linux-x64.tar.gz', id: 9001, url: `${DL}/app-1.0-linux-x64.tar.gz`, size: assets[0].size, sha256: SHA_A, replaced: true },
    { name: 'app-1.0-linux-x64-SHA256SUMS.txt', id: 9002, url: `${DL}/app-1.0-linux-x64-SHA256SUMS.txt`, size: 90, sha256: SHA_C, replaced: false }
  ]
}

describe('publishedOutputs', () => {
  it('gives the artifacts, their ids, the release URL and the release assets', () => {
    const out = publishedOutputs({ artifacts, release, notes: [] })
    expect(Object.keys(out).sort()).toEqual(['artifact-ids', 'artifacts', 'release-assets', 'release-url'])
    expect(JSON.parse(out.artifacts)).toEqual([
      { name: 'app-1.0-linux-x64.tar.gz', id: 501, url: `${RUN_URL}/501`, size: 3 * 1024 * 1024, sha256: SHA_A },
      { name: 'app-1.0-linux-x64-SHA256SUMS.txt', id: 502, url: `${RUN_URL}/502`, size: 90, sha256: SHA_C }
    ])
    expect(out['artifact-ids']).toBe('501,502')
    expect(out['release-url']).toBe('https://github.com/octo/app/releases/tag/untagged-0a1b2c')
    expect(JSON.parse(out['release-assets'])).toEqual([
      { name: 'app-1.0-linux-x64.tar.gz', id: 9001, url: `${DL}/app-1.0-linux-x64.tar.gz`, size: 3 * 1024 * 1024, sha256: SHA_A },
      { name: 'app-1.0-linux-x64-SHA256SUMS.txt', id: 9002, url: `${DL}/app-1.0-linux-x64-SHA256SUMS.txt`, size: 90, sha256: SHA_C }
    ])
  })

  it('gives empty values when nothing was published', () => {
    expect(publishedOutputs({ artifacts: [], notes: ['No artifacts uploaded: upload is never.'] })).toEqual({
      artifacts: '[]',
      'artifact-ids': '',
      'release-url': '',
      'release-assets': '[]'
    })
  })
})

describe('summaryMarkdown with what was published', () => {
  it('is the plain summary when nothing was published and there are no notes', () => {
    expect(summaryMarkdown(runReport, { artifacts: [], notes: [] })).toBe([...HEAD, ...TIMINGS].join('\n'))
    expect(summaryMarkdown(runReport)).toBe([...HEAD, ...TIMINGS].join('\n'))
  })

  it('links every artifact to its page', () => {
    expect(summaryMarkdown(runReport, { artifacts, notes: [] })).toBe(
      [
        ...HEAD,
        '### Workflow artifacts',
        '',
        '| artifact | size | sha256 |',
        '|---|---:|---|',
        `| [app-1.0-linux-x64.tar.gz](${RUN_URL}/501) | 3.0 MiB | \`${SHA_A}\` |`,
        `| [app-1.0-linux-x64-SHA256SUMS.txt](${RUN_URL}/502) | 90 B | \`${SHA_C}\` |`,
        '',
        ...TIMINGS
      ].join('\n')
    )
  })

  it('heads a created draft release and marks each asset replaced or new', () => {
    expect(summaryMarkdown(runReport, { artifacts: [], release, notes: [] })).toBe(
      [
        ...HEAD,
        '### Release [draft v1.0](https://github.com/octo/app/releases/tag/untagged-0a1b2c) (created)',
        '',
        '| asset | size | sha256 | |',
        '|---|---:|---|---|',
        `| [app-1.0-linux-x64.tar.gz](${DL}/app-1.0-linux-x64.tar.gz) | 3.0 MiB | \`${SHA_A}\` | replaced |`,
        `| [app-1.0-linux-x64-SHA256SUMS.txt](${DL}/app-1.0-linux-x64-SHA256SUMS.txt) | 90 B | \`${SHA_C}\` | new |`,
        '',
        ...TIMINGS
      ].join('\n')
    )
  })

  it('heads an existing published release without draft or (created)', () => {
    const md = summaryMarkdown(runReport, { artifacts: [], release: { ...release, draft: false, created: false }, notes: [] })
    expect(md.split('\n')[HEAD.length]).toBe('### Release [v1.0](https://github.com/octo/app/releases/tag/untagged-0a1b2c)')
  })

  it('heads an existing draft without (created)', () => {
    const md = summaryMarkdown(runReport, { artifacts: [], release: { ...release, created: false }, notes: [] })
    expect(md.split('\n')[HEAD.length]).toBe('### Release [draft v1.0](https://github.com/octo/app/releases/tag/untagged-0a1b2c)')
  })

  it('escapes | in artifact and release asset names', () => {
    const md = summaryMarkdown(runReport, {
      artifacts: [{ ...artifacts[0], name: 'a|b' }],
      release: { ...release, assets: [{ ...release.assets[0], name: 'c|d.zip' }] },
      notes: []
    })
    expect(md).toContain(`| [a\\|b](${RUN_URL}/501) | 3.0 MiB | \`${SHA_A}\` |`)
    expect(md).toContain(`| [c\\|d.zip](${DL}/app-1.0-linux-x64.tar.gz) | 3.0 MiB | \`${SHA_A}\` | replaced |`)
  })

  it('quotes each note, after the artifacts and release, before the timings', () => {
    const notes = [
      'No artifacts uploaded: refs/heads/main is not a tag push (upload: tags).',
      'Release skipped: release is true, but refs/heads/main is not a tag push.'
    ]
    expect(summaryMarkdown(runReport, { artifacts: [artifacts[1]], release: { ...release, assets: [] }, notes })).toBe(
      [
        ...HEAD,
        '### Workflow artifacts',
        '',
        '| artifact | size | sha256 |',
        '|---|---:|---|',
        `| [app-1.0-linux-x64-SHA256SUMS.txt](${RUN_URL}/502) | 90 B | \`${SHA_C}\` |`,
        '',
        '### Release [draft v1.0](https://github.com/octo/app/releases/tag/untagged-0a1b2c) (created)',
        '',
        '| asset | size | sha256 | |',
        '|---|---:|---|---|',
        '',
        `> ${notes[0]}`,
        '',
        `> ${notes[1]}`,
        '',
        ...TIMINGS
      ].join('\n')
    )
  })
})
