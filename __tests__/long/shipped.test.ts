/**
 * examples/chatty from its .spec: what its one-file build ships (the SBOM,
 * the notices, the size table), and the executable's independence of the
 * build path: the same project built under two different RUNNER_TEMP folders
 * gives the same one-file executable byte for byte, with uv (the default; the
 * venv is --relocatable) and with pip (whose console-script shebangs the
 * install stage rewrites). websockets installs a console script whose RECORD
 * hash used to carry the venv's path into the executable.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import { expectExit, runAction, sample, sha256, tempDir, untar, type ActionRun } from '../e2e/harness.js'
import { archiveTime, writeArchive } from '../../src/archive.js'
import { platformFor } from '../../src/platform.js'

const BUILD_TIMEOUT = 1_800_000

interface Component {
  name: string
  version: string
  purl: string
  licenses: { license?: { id?: string; name?: string }; expression?: string }[]
}

const buildChatty = (installer: string): Promise<ActionRun> =>
  runAction(
    {
      'project-path': sample('chatty'),
      extras: 'dev',
      spec: 'packaging/chatty_cli.spec',
      installer,
      'smoke-test': '--help',
      'license-deny': 'GPL-3.0-only, AGPL-3.0-only',
      upload: 'never'
    },
    { timeoutMs: BUILD_TIMEOUT }
  )

const onefile = (run: ActionRun): string => path.join(run.runnerTemp, 'build-standalone', 'dist', 'chatty')
const sbomOf = (run: ActionRun): { components: Component[]; metadata: { component: Component } } => JSON.parse(fs.readFileSync(run.outputs.sbom, 'utf8'))

describe('examples/chatty built twice with uv, in two different RUNNER_TEMP folders', () => {
  let first: ActionRun
  let second: ActionRun

  beforeAll(async () => {
    first = await buildChatty('uv')
    // A second later: an archive that recorded the time it was written would differ.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    second = await buildChatty('uv')
  }, 2 * BUILD_TIMEOUT)

  it('succeeds both times, in different folders', () => {
    expectExit(first, 0)
    expectExit(second, 0)
    expect(first.runnerTemp).not.toBe(second.runnerTemp)
  })

  it('lists fastapi, uvicorn, websockets and their shipped dependencies with licenses, and no build tool, in a valid SBOM', async () => {
    const text = fs.readFileSync(first.outputs.sbom, 'utf8')
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text)).toBeNull()
    const doc = sbomOf(first)
    expect(doc.metadata.component).toMatchObject({ name: 'chatty-commander', version: '0.3.1' })
    const names = doc.components.map((c) => c.name.toLowerCase().replace(/[-_.]+/g, '-'))
    expect(names).toEqual(
      expect.arrayContaining(['fastapi', 'uvicorn', 'websockets', 'starlette', 'pydantic', 'pydantic-core', 'anyio', 'click', 'h11', 'idna'])
    )
    for (const tool of ['pyinstaller', 'altgraph', 'pyinstaller-hooks-contrib', 'pytest', 'pluggy', 'iniconfig', 'chatty-commander'])
      expect(names).not.toContain(tool)
    const license = (name: string): unknown => doc.components.find((c) => c.name === name)?.licenses
    expect(license('uvicorn')).toEqual([{ license: { id: 'BSD-3-Clause' } }])
    expect(license('fastapi')).toEqual([{ license: { id: 'MIT' } }])
    expect(license('websockets')).toEqual([{ license: { id: 'BSD-3-Clause' } }])
    for (const c of doc.components) {
      expect(c.purl).toBe(`pkg:pypi/${c.name.toLowerCase().replace(/[-_.]+/g, '-')}@${c.version}`)
      expect(c.licenses).toHaveLength(1)
    }
  })

  it("holds THIRD-PARTY-NOTICES.txt beside the executable, with uvicorn's BSD license text as installed", () => {
    const dest = tempDir('unpacked')
    untar(first.outputs.archives, dest)
    expect(fs.readdirSync(dest).sort()).toEqual(['THIRD-PARTY-NOTICES.txt', 'chatty'])
    const notices = fs.readFileSync(path.join(dest, 'THIRD-PARTY-NOTICES.txt'), 'utf8')
    const site = path.join(first.runnerTemp, 'build-standalone', 'venv', 'lib')
    const pyDir = fs.readdirSync(site).find((d) => d.startsWith('python')) as string
    const distInfo = fs.readdirSync(path.join(site, pyDir, 'site-packages')).find((d) => /^uvicorn-.*\.dist-info$/.test(d)) as string
    const licenseFile = path.join(site, pyDir, 'site-packages', distInfo, 'licenses', 'LICENSE.md')
    expect(notices).toContain(fs.readFileSync(licenseFile, 'utf8').replace(/\r\n?/g, '\n').trimEnd())
    expect(notices).toMatch(/^uvicorn \S+\nLicense: BSD-3-Clause$/m)
    expect(notices).toContain('Redistribution and use in source and binary forms')
    for (const c of sbomOf(first).components) expect(notices).toContain(`\n${c.name} ${c.version}\n`)
  })

  it('shows the ten largest shipped distributions and the total in the job summary', () => {
    expect(first.summary).toMatch(/### Shipped in `chatty`: \d+ third-party distributions, [\d.]+ MiB before compression/)
    const rows = first.summary.split('\n').filter((l) => /^\| [\w.-]+( \(the project\))? \| [^|]+ \| [^|]+ \| [\d.]+ (B|KiB|MiB) \|$/.test(l))
    expect(rows).toHaveLength(10)
    expect(first.summary).toMatch(/^\| websockets \| [\d.]+ \| BSD-3-Clause \| [\d.]+ KiB \|$/m)
    expect(first.summary).toMatch(/^\| \*\*total\*\* \| \| \| \*\*[\d.]+ MiB\*\* \|$/m)
  })

  it('gives the same one-file executable, SBOM and notices byte for byte', () => {
    expect(sha256(onefile(first))).toBe(sha256(onefile(second)))
    expect(fs.readFileSync(first.outputs.sbom, 'utf8')).toBe(fs.readFileSync(second.outputs.sbom, 'utf8'))
    expect(first.stdout).not.toMatch(/holds the build folder's absolute path/)
  })

  it('gives archives with the same sha256: the tar.gz it wrote, and a zip as a Windows leg writes it', async () => {
    const archives = (run: ActionRun): { name: string; sha256: string }[] =>
      (JSON.parse(run.outputs.assets) as { name: string; sha256: string; mode: string }[])
        .filter((a) => a.mode !== 'checksums')
        .map(({ name, sha256 }) => ({ name, sha256 }))
    expect(archives(first).length).toBeGreaterThan(0)
    expect(archives(second)).toEqual(archives(first))
    const zip = async (run: ActionRun): Promise<string> => {
      const file = path.join(tempDir('zip'), 'chatty.zip')
      await writeArchive(platformFor('win32', 'x64'), onefile(run), file, archiveTime(undefined), [])
      return sha256(file)
    }
    expect(await zip(second)).toBe(await zip(first))
  }, 120_000) // two 30 MB zips: seconds each on a busy machine

  it("writes console scripts that do not name the venv's path", () => {
    const script = fs.readFileSync(path.join(first.runnerTemp, 'build-standalone', 'venv', 'bin', 'websockets'), 'utf8')
    expect(script).not.toContain(first.runnerTemp)
  })
})

describe('examples/chatty built twice with pip, in two different RUNNER_TEMP folders', () => {
  let first: ActionRun
  let second: ActionRun

  beforeAll(async () => {
    first = await buildChatty('pip')
    second = await buildChatty('pip')
  }, 2 * BUILD_TIMEOUT)

  it('gives the same one-file executable byte for byte', () => {
    expectExit(first, 0)
    expectExit(second, 0)
    const script = fs.readFileSync(path.join(first.runnerTemp, 'build-standalone', 'venv', 'bin', 'websockets'), 'utf8')
    expect(script.startsWith('#!/bin/sh\n')).toBe(true)
    expect(sha256(onefile(first))).toBe(sha256(onefile(second)))
  })
})
