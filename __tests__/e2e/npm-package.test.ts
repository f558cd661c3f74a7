/**
 * The command line as npm ships it: scripts/npm-package.mjs stages the package,
 * `npm pack` makes the tarball, which installs offline into an empty folder
 * (it has no dependencies: dist/cli is self-contained), and its
 * `build-standalone` command builds a copy of the tiny fixture outside this
 * repository, with the runner stand-ins the command line sets up itself.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { REPO, makeToolCache, runBuilt, SCRATCH, tempDir, untar } from './harness.js'

const npm = (args: string[], cwd: string) => {
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env, timeout: 120_000 })
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}): ${r.stdout}\n${r.stderr}`)
  return r.stdout
}

describe('the npm package of the command line', () => {
  let tarball = ''
  let files: string[] = []
  let installed = ''

  beforeAll(() => {
    const stage = tempDir('npm-stage')
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'npm-package.mjs'), stage, 'https://github.com/your-org/build-standalone'], {
      encoding: 'utf8'
    })
    expect(r.status).toBe(0)
    const packs = tempDir('npm-pack')
    const packed = JSON.parse(npm(['pack', stage, '--json', '--pack-destination', packs], SCRATCH)) as { filename: string; files: { path: string }[] }[]
    tarball = path.join(packs, packed[0].filename)
    files = packed[0].files.map((f) => f.path).sort()
    installed = tempDir('npm-install')
    fs.writeFileSync(path.join(installed, 'package.json'), '{ "name": "empty", "private": true }\n')
    npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], installed)
  }, 180_000)

  it('holds the bin entry and dist/cli only, and has no dependencies', () => {
    expect(files).toEqual([
      'CHANGELOG.md',
      'README.md',
      'bin/build-standalone.mjs',
      'dist/cli/index.js',
      'dist/cli/licenses.txt',
      'dist/cli/package.json',
      'package.json'
    ])
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'node_modules', 'build-standalone', 'package.json'), 'utf8')) as Record<string, unknown>
    expect(pkg.bin).toEqual({ 'build-standalone': 'bin/build-standalone.mjs' })
    expect(pkg.dependencies).toBeUndefined()
    expect(pkg.private).toBeUndefined()
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/your-org/build-standalone.git' })
    // One package installed: the tarball's own, nothing fetched beside it.
    expect(fs.readdirSync(path.join(installed, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['build-standalone'])
  })

  it('npx build-standalone --help prints the usage', () => {
    const r = spawnSync('npx', ['--offline', '--no-install', 'build-standalone', '--help'], { cwd: installed, encoding: 'utf8', timeout: 60_000 })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Runs the build-standalone pipeline on this machine')
  })

  it('build-standalone --project-path . builds a project outside this repository into a working executable', () => {
    const project = tempDir('tiny')
    fs.cpSync(path.join(REPO, '__tests__', 'fixtures', 'tiny'), project, {
      recursive: true,
      filter: (s) => !/(^|\/)(build|__pycache__|[^/]*\.egg-info)$/.test(s)
    })
    const { toolCache } = makeToolCache(tempDir('tools'))
    const bin = path.join(installed, 'node_modules', '.bin', 'build-standalone')
    // A user's shell: no runner variables (the command line sets its own stand-ins), this machine's index and proxy settings.
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(INPUT|GITHUB|RUNNER|ACTIONS)_/.test(k)) env[k] = v
    Object.assign(env, { TMPDIR: SCRATCH, RUNNER_TOOL_CACHE: toolCache })
    const r = spawnSync(
      bin,
      [
        '--project-path',
        '.',
        '--spec',
        'packaging/tiny.spec',
        '--smoke-test',
        'hello',
        '--cache',
        'false',
        '--python-versions-manifest',
        'http://127.0.0.1:9/none.json'
      ],
      { cwd: project, encoding: 'utf8', env, timeout: 600_000 }
    )
    if (r.status !== 0) console.log(`${r.stdout}\n${r.stderr}`.slice(-6000))
    expect(r.status).toBe(0)
    const archive = path.join(project, 'standalone-dist', 'tiny-1.0.0-linux-x64.tar.gz')
    expect(r.stdout).toContain(archive)
    const out = tempDir('unpacked')
    untar(archive, out)
    const exe = fs.readdirSync(out).find((f) => f === 'tiny')
    expect(exe).toBe('tiny')
    const ran = runBuilt(path.join(out, 'tiny'), ['hello'], out)
    expect(ran.status).toBe(0)
  }, 600_000)
})
