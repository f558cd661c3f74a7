/**
 * End to end: the bundled action builds examples/chatty from its .spec with
 * PyInstaller from PyPI, smoke-tests it, packages it; the archive's executable
 * then runs with no Python anywhere on PATH.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { expectExit, makeToolCache, REPO, runAction, runBuilt, sample, sha256, tempDir, untar, type ActionRun } from './harness.js'

describe('examples/chatty from packaging/chatty_cli.spec', () => {
  let run: ActionRun
  let pythonVersion: string

  beforeAll(async () => {
    const root = tempDir('chatty')
    const { toolCache, version } = makeToolCache(root)
    pythonVersion = version
    run = await runAction(
      {
        'project-path': sample('chatty'),
        extras: 'dev',
        spec: 'packaging/chatty_cli.spec',
        'smoke-test': '--help\ngui --help\nlist\n# a comment line is skipped\nexec hello --dry-run',
        'output-dir': path.join(root, 'runner-temp', 'out'),
        upload: 'never'
      },
      // The tool cache is the only place with this exact version; PATH keeps /usr/bin (tar) but no pyenv.
      { root, env: { RUNNER_TOOL_CACHE: toolCache, PATH: '/usr/bin:/bin', GITHUB_REF: 'refs/tags/v0.3.1' } }
    )
  }, 900_000)

  it('succeeds, using the Python of the runner tool cache', () => {
    expectExit(run, 0)
    expect(run.stdout).toContain(`Using Python ${pythonVersion} from the tool cache`)
    expect(run.outputs['python-version']).toBe(pythonVersion)
  })

  it('runs every smoke test against the build', () => {
    for (const line of ['chatty --help', 'chatty gui --help', 'chatty list', 'chatty exec hello --dry-run'])
      expect(run.stdout).toContain(`$ ${line}   [onefile:`)
    expect(run.stdout).not.toContain('a comment line')
    expect(run.summary).toContain('4 smoke tests passed')
    // The start-up table: the one-file chatty's fastest of its four commands.
    expect(run.summary).toMatch(/^\| `chatty` \| chatty \(onefile\) \| `chatty [^`]+` \| \d+\.\d\d \|$/m)
  })

  it('logs one group per stage with its duration', () => {
    for (const stage of ['inputs', 'python', 'install', 'build', 'inspect', 'smoke', 'package', 'publish', 'report']) {
      expect(run.stdout).toContain(`::group::${stage}\n`)
      expect(run.stdout).toMatch(new RegExp(`^${stage}: done in \\d+\\.\\d s$`, 'm'))
    }
    expect(Object.keys(JSON.parse(run.outputs.timings))).toEqual(['inputs', 'python', 'install', 'build', 'inspect', 'smoke', 'package', 'publish'])
    // Written once, by the report stage (issue 14, defect 9).
    expect(fs.readFileSync(path.join(run.root, 'output'), 'utf8').match(/^timings<</gm)).toHaveLength(1)
  })

  it('names the archive {name}-{version}-{os}-{arch} and writes matching checksums', () => {
    expect(run.outputs.version).toBe('0.3.1')
    const archive = run.outputs.archives
    expect(path.basename(archive)).toBe('chatty-0.3.1-linux-x64.tar.gz')
    const assets = JSON.parse(run.outputs.assets) as { name: string; path: string; size: number; sha256: string; mode: string }[]
    expect(assets.map((a) => [a.name, a.mode])).toEqual([
      ['chatty-0.3.1-linux-x64.tar.gz', 'onefile'],
      ['chatty-0.3.1-linux-x64.cdx.json', 'sbom'],
      ['chatty-commander-0.3.1-linux-x64-SHA256SUMS.txt', 'checksums']
    ])
    expect(assets[0].sha256).toBe(sha256(archive))
    expect(assets[0].size).toBe(fs.statSync(archive).size)
    expect(fs.readFileSync(run.outputs.checksums, 'utf8')).toBe(
      `${sha256(archive)}  chatty-0.3.1-linux-x64.tar.gz\n${sha256(run.outputs.sbom)}  chatty-0.3.1-linux-x64.cdx.json\n`
    )
    expect(run.summary).toContain('| `chatty-0.3.1-linux-x64.tar.gz` | onefile |')
    expect(run.summary).toContain(sha256(archive))
  })

  it('ships an executable that runs without Python and reads its data file at run time', () => {
    const dest = tempDir('unpacked')
    untar(run.outputs.archives, dest)
    expect(fs.readdirSync(dest).sort()).toEqual(['THIRD-PARTY-NOTICES.txt', 'chatty'])
    const exe = path.join(dest, 'chatty')
    expect(fs.statSync(exe).mode & 0o111).not.toBe(0)
    const elsewhere = tempDir('cwd')
    const listed = runBuilt(exe, ['list'], elsewhere)
    expect(listed.status).toBe(0)
    const data = JSON.parse(fs.readFileSync(path.join(REPO, sample('chatty'), 'src', 'chatty_commander', 'data', 'commands.json'), 'utf8')) as {
      commands: Record<string, { action: string }>
    }
    const expected = Object.entries(data.commands).map(([name, c]) => `${name}\t${c.action}`)
    expect(listed.stdout.trim().split('\n')).toEqual(expected)
    const web = runBuilt(exe, ['web', '--help'], elsewhere)
    expect(web.status).toBe(0)
    expect(web.stdout).toContain('--port')
  })

  it('leaves no build litter in the project tree', () => {
    expect(fs.existsSync(path.join(REPO, sample('chatty'), 'build'))).toBe(false)
    expect(fs.readdirSync(path.join(REPO, sample('chatty'), 'src')).filter((f) => f.endsWith('.egg-info'))).toEqual([])
  })
})
