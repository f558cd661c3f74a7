/**
 * What the build key takes from the index: the installer's resolution without installing. pip's (`install --dry-run
 * --report`) is run here for real on the tiny fixture (uv's runs in every end-to-end build that keeps a build); and
 * the lines resolved, with and without a lock.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { resolutionLines } from '../../src/install/index.js'
import { pipInstaller } from '../../src/install/installers.js'
import { environment } from '../../src/exec.js'
import { platformFor } from '../../src/platform.js'
import { testConfig } from '../../__fixtures__/config.js'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-resolve-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe('resolutionLines', () => {
  const config = testConfig({
    projectDir: '/ws/proj',
    extras: ['gui'],
    requirements: ['/ws/proj/requirements/extra.txt'],
    builderRequirement: 'pyinstaller==6.22.3'
  })

  it('without a lock: the project with its extras, the groups, the requirements files and the builder', () => {
    expect(resolutionLines(config, undefined, '/rt/resolve/dependency-groups.txt')).toEqual([
      '/ws/proj[gui]',
      '-r /rt/resolve/dependency-groups.txt',
      '-r /ws/proj/requirements/extra.txt',
      'pyinstaller==6.22.3'
    ])
  })

  it('with a lock: only what is installed beside it (the lock is one of the project’s files)', () => {
    expect(resolutionLines(config, { kind: 'uv.lock', path: '/ws/proj/uv.lock' }, undefined)).toEqual([
      '-r /ws/proj/requirements/extra.txt',
      'pyinstaller==6.22.3'
    ])
  })
})

describe('pip’s resolution, run', () => {
  const resolve = (lines: string[]): { status: number | null; stdout: string; stderr: string } => {
    const dir = fs.mkdtempSync(path.join(scratch, 'pip-'))
    const file = path.join(dir, 'requirements.in')
    fs.writeFileSync(file, `${lines.join('\n')}\n`)
    const cmd = pipInstaller(platformFor('linux', 'x64')).resolve('python3', file, { root: path.join(scratch, 'cache') }, dir)
    return spawnSync(cmd.program, [...cmd.args], { cwd: cmd.cwd, env: environment(cmd.env), encoding: 'utf8', timeout: 300_000 })
  }

  it('reports what would be installed, with versions, without installing it', () => {
    const copy = path.join(scratch, 'tiny')
    fs.cpSync(path.join(REPO, '__tests__', 'fixtures', 'tiny'), copy, { recursive: true })
    const r = resolve([`${copy}[fancy]`])
    expect(r.stderr).not.toMatch(/error/i)
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout) as { install: { metadata: { name: string; version: string } }[] }
    expect(report.install.map((i) => i.metadata.name).sort()).toEqual(['six', 'tiny-tool'])
    const pinned = resolve([`${copy}`, 'six==1.16.0'])
    expect((JSON.parse(pinned.stdout) as typeof report).install.find((i) => i.metadata.name === 'six')?.metadata.version).toBe('1.16.0')
    expect(spawnSync('python3', ['-c', 'import tiny_tool'], { cwd: scratch }).status).not.toBe(0)
  }, 300_000)
})
