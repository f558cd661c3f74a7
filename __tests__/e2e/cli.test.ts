/**
 * The local entry (dist/cli/index.js, README's first command) runs the same
 * pipeline on this machine.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { node24, parseOutputFile, REPO, runBuilt, sample, sha256, tempDir } from './harness.js'

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

describe('dist/cli/index.js keeps builds in a local store and reuses them (src/reuse/)', () => {
  // A copy of tiny of its own: the last run edits it.
  const project = sample('tiny', 'tiny-reuse')
  const temp = tempDir('cli-reuse')
  /** One local run from entry points ([project.scripts]), into an output folder of its own; its log, outputs and archives. */
  const build = (n: number) => {
    const out = path.join(temp, `out-${n}`)
    const r = cli(['--project-path', project, '--smoke-test', 'hello', '--output-dir', out], { RUNNER_TEMP: temp })
    const outputs = parseOutputFile(fs.readFileSync(path.join(temp, 'outputs.txt'), 'utf8'))
    fs.writeFileSync(path.join(temp, 'outputs.txt'), '')
    const sums = Object.fromEntries(fs.readdirSync(out).map((f) => [f, sha256(path.join(out, f))]))
    return { ...r, outputs, sums, summary: fs.readFileSync(path.join(temp, 'summary.md'), 'utf8') }
  }
  const key = (stdout: string): string => /^Build key (build-standalone-build-v1-linux-x64-[0-9a-f]{40}), over:$/m.exec(stdout)?.[1] ?? ''

  it('builds and keeps the build; the same run again takes it, smoke-tests it and ships the same archives; a one-line change builds anew and ships the change', () => {
    const first = build(1)
    expect(first.status).toBe(0)
    const k = key(first.stdout)
    expect(k).not.toBe('')
    expect(first.stdout).toContain(
      `No build is kept under ${k} in the local store (${path.join(temp, 'build-standalone', 'cache', 'builds')}): installing and building.`
    )
    expect(first.stdout).toContain(`The build was kept under ${k}`)
    expect(first.outputs['build-reused']).toBe('false')
    expect(first.outputs['build-key']).toBe(k)

    const second = build(2)
    expect(second.status).toBe(0)
    expect(second.stdout).toMatch(new RegExp(`^Build reused from ${k}, made by a local build on .+: the install and the build are skipped`, 'm'))
    expect(second.stdout).not.toContain('-m PyInstaller')
    expect(second.stdout).not.toContain('uv pip install')
    // The smoke tests ran on the kept build, both modes.
    expect(second.stdout.match(/^\$ tiny hello /gm)).toHaveLength(2)
    expect(second.outputs['build-reused']).toBe('true')
    expect(second.summary).toContain(`Build reused from \`${k}\`, made by a local build on`)
    // The same archives, SBOMs and checksums, byte for byte.
    expect(second.sums).toEqual(first.sums)

    const module = path.join(REPO, project, 'src', 'tiny_tool', 'cli.py')
    fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace('print("hello from tiny")', 'print("hello from tiny, one line changed")'))
    const third = build(3)
    expect(third.status).toBe(0)
    expect(key(third.stdout)).not.toBe(k)
    expect(third.stdout).toContain(`No build is kept under ${key(third.stdout)}`)
    expect(third.outputs['build-reused']).toBe('false')
    expect(third.stdout).toContain('hello from tiny, one line changed')
    const exe = (JSON.parse(third.outputs.executables) as { path: string; mode: string }[]).find((e) => e.mode === 'onefile')?.path ?? ''
    expect(runBuilt(exe, ['hello'], temp).stdout).toBe('hello from tiny, one line changed\n')
    expect(third.sums).not.toEqual(first.sums)
  }, 900_000)
})
