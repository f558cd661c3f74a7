/**
 * The local entry (dist/cli/index.js, README's first command) runs the same
 * pipeline on this machine.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { node24, REPO, runBuilt, sample, tempDir } from './harness.js'

function cli(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|RUNNER_)/.test(k)))
  return spawnSync(node24(), [path.join(REPO, 'dist', 'cli', 'index.js'), ...args], {
    cwd: REPO,
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 600_000
  })
}

describe('dist/cli/index.js', () => {
  it('prints its usage with --help', () => {
    const r = cli(['--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Usage: build-standalone [--<input> <value>]...')
  })

  it('refuses an option that is not an input, listing the inputs', () => {
    const r = cli(['--projet-path', 'x'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(
      '--projet-path is not an input of this action. Inputs: python-version, python-version-file, python-versions-manifest, project-path,'
    )
  })

  it('builds, smoke-tests and packages a project, and says where the executable is', () => {
    const temp = tempDir('cli')
    const out = path.join(temp, 'out')
    const r = cli(['--project-path', sample('tiny'), '--spec', 'packaging/tiny.spec', '--smoke-test', '--help', '--smoke-test', 'hello', '--output-dir', out], {
      RUNNER_TEMP: temp
    })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('$ tiny --help')
    expect(r.stdout).toContain('$ tiny hello')
    const exe = path.join(temp, 'build-standalone', 'dist', 'tiny')
    expect(r.stdout).toContain(`Executables (run them from anywhere; they need no Python):\n  ${exe}\n`)
    expect(r.stdout).toContain(
      `Archives:\n  ${path.join(out, 'tiny-1.0.0-linux-x64.tar.gz')}\n  ${path.join(out, 'tiny-1.0.0-linux-x64.cdx.json')}\n  ${path.join(out, 'tiny-tool-1.0.0-linux-x64-SHA256SUMS.txt')}\n`
    )
    expect(runBuilt(exe, ['hello'], temp).stdout).toBe('hello from tiny\n')
    expect(fs.readFileSync(path.join(temp, 'summary.md'), 'utf8')).toContain('| `tiny-1.0.0-linux-x64.tar.gz` | onefile |')
  }, 600_000)
})
