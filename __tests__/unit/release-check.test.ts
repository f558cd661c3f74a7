/** scripts/release-check.mjs: what release.yml checks before a tag of this repository is released. */
import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'

const root = path.resolve(import.meta.dirname, '..', '..')
interface Check {
  tag: string
  repository: string
  packageVersion: string
  changelog: string
  workflow: string
}
const { changelogSection, releaseProblems, selfReferences } = (await import(path.join(root, 'scripts', 'release-check.mjs'))) as {
  changelogSection: (changelog: string, version: string) => string | undefined
  releaseProblems: (c: Check) => string[]
  selfReferences: (workflow: string, repository: string) => { uses: string; ref: string }[]
}

const changelog = '# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-12-01\n\n### Added\n\n- targets\n\n## [1.1.0] - 2026-11-01\n\n- older\n'
const workflow = (ref: string) =>
  `jobs:\n  b:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: octo/build-standalone@${ref}\n      - uses: 'octo/build-standalone/release@${ref}'\n`
const good: Check = { tag: 'v1.2.0', repository: 'octo/build-standalone', packageVersion: '1.2.0', changelog, workflow: workflow('v1') }

describe('release-check', () => {
  it("takes the release notes from the version's CHANGELOG section, up to the next one", () => {
    expect(changelogSection(changelog, '1.2.0')).toBe('### Added\n\n- targets')
    expect(changelogSection(changelog, '1.1.0')).toBe('- older')
    expect(changelogSection(changelog, '1.3.0')).toBeUndefined()
  })

  it("finds the reusable workflow's uses: lines that name this repository, and no others", () => {
    expect(selfReferences(workflow('v1'), 'octo/build-standalone')).toEqual([
      { uses: 'octo/build-standalone', ref: 'v1' },
      { uses: 'octo/build-standalone/release', ref: 'v1' }
    ])
  })

  it('passes a tag that package.json, CHANGELOG.md and the workflow agree with', () => {
    expect(releaseProblems(good)).toEqual([])
  })

  it('names every disagreement, and what to do', () => {
    expect(releaseProblems({ ...good, tag: 'v1.2' })).toEqual(['v1.2 is not a release tag (vMAJOR.MINOR.PATCH).'])
    expect(releaseProblems({ ...good, tag: 'v2.0.0', packageVersion: '1.2.0' })).toEqual([
      'package.json says version 1.2.0, the tag v2.0.0: set "version": "2.0.0" and tag again.',
      "CHANGELOG.md has no section for 2.0.0: add '## [2.0.0] - YYYY-MM-DD' with the changes.",
      '.github/workflows/standalone.yml uses octo/build-standalone@v1, not @v2, the tag this release moves.',
      '.github/workflows/standalone.yml uses octo/build-standalone/release@v1, not @v2, the tag this release moves.'
    ])
    expect(releaseProblems({ ...good, repository: 'someone/build-standalone' })).toEqual([
      '.github/workflows/standalone.yml names no action of someone/build-standalone: its uses: lines must name this repository (replace the placeholder owner) at v1.'
    ])
  })

  it("holds for this repository's own files at its version (with the placeholder owner)", () => {
    const read = (f: string): string => fs.readFileSync(path.join(root, f), 'utf8')
    const version = (JSON.parse(read('package.json')) as { version: string }).version
    expect(
      releaseProblems({
        tag: `v${version}`,
        repository: 'your-org/build-standalone',
        packageVersion: version,
        changelog: read('CHANGELOG.md'),
        workflow: read('.github/workflows/standalone.yml')
      })
    ).toEqual([])
  })
})
