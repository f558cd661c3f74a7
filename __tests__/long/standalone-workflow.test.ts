/**
 * The reusable workflow (.github/workflows/standalone.yml) as a caller uses it,
 * run by nektos/act on this host (`-P ubuntu-latest=-self-hosted`): a caller
 * repository (a copy of the tiny fixture) calls
 * `your-org/build-standalone/.github/workflows/standalone.yml@v1`, which act
 * takes from a snapshot of this repository (`--local-repository`), as it does
 * the two actions the workflow names (`your-org/build-standalone@v1` and
 * `/release@v1`). The legs upload to act's artifact server (tools/act-servers),
 * the release job downloads from it, and the release goes to a stand-in for
 * the GitHub REST API (GITHUB_API_URL). actions/attest-build-provenance cannot
 * be fetched here (no GitHub): a stub in its place records the subjects it is given.
 * The Linux leg is asked for `formats: archive, deb, rpm` and releases its
 * .deb and .rpm beside the archive, read back with dpkg-deb and rpm.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { makeToolCache, REPO, runtimeToken, SCRATCH, startActServer, tempDir, type ActServer } from '../e2e/harness.js'
import { releaseApi, type RecordedRequest } from '../release-api.js'

/** A request as `METHOD /path`. */
const call = (r: RecordedRequest): string => `${r.method} ${r.url.replace(/\?.*/, '')}`

/**
 * What the release holds after the job: the archive, its SBOM, the leg's installers (formats: archive, deb, rpm),
 * the leg's checksums file and the merged SHA256SUMS.
 */
const RELEASE_ASSETS = [
  'SHA256SUMS',
  'tiny-1.0.0-linux-x64.cdx.json',
  'tiny-1.0.0-linux-x64.tar.gz',
  'tiny-tool-1.0.0-1.x86_64.rpm',
  'tiny-tool-1.0.0-linux-x64-SHA256SUMS.txt',
  'tiny-tool_1.0.0_amd64.deb'
]
/** Every file of the release but the checksums files, in SHA256SUMS's order: what is attested. */
const RELEASED_FILES = ['tiny-1.0.0-linux-x64.cdx.json', 'tiny-1.0.0-linux-x64.tar.gz', 'tiny-tool-1.0.0-1.x86_64.rpm', 'tiny-tool_1.0.0_amd64.deb']
const MAINTAINER = 'Tiny Maintainer <tiny@example.org>'

/** A checksums file's lines, sorted. */
const lines = (b: Buffer): string[] => b.toString().split('\n').filter(Boolean).sort()

const ACT = process.env.ACT_BIN || path.join(os.homedir(), 'go', 'bin', 'act')

/** The reusable workflow's signing secrets; the caller passes each (act: -s NAME=value), and a Linux leg must get none. */
const SIGNING_SECRETS = [
  'WINDOWS_CERTIFICATE',
  'WINDOWS_CERTIFICATE_PASSWORD',
  'MACOS_CERTIFICATE',
  'MACOS_CERTIFICATE_PASSWORD',
  'APPLE_API_KEY',
  'APPLE_APP_PASSWORD'
]
const secretValue = (name: string): string =>
  name === 'WINDOWS_CERTIFICATE' ? Buffer.from('not a certificate').toString('base64') : `secret-${name.toLowerCase()}`
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** This repository as a caller's runner fetches it at @v1: the two actions, their bundles and the reusable workflow. */
function snapshotOfThisRepo(): string {
  const lib = tempDir('build-standalone-v1')
  for (const p of ['action.yml', 'dist', 'release', '.github/workflows/standalone.yml']) fs.cpSync(path.join(REPO, p), path.join(lib, p), { recursive: true })
  return lib
}

/** Stands in for actions/attest-build-provenance@v2: appends the subject paths it gets to $ATTEST_LOG. */
function attestStub(): string {
  const dir = tempDir('attest-stub')
  fs.writeFileSync(path.join(dir, 'action.yml'), 'name: attest stub\ninputs:\n  subject-path:\n    required: true\nruns:\n  using: node24\n  main: index.js\n')
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    "const fs = require('fs')\nconst s = process.env['INPUT_SUBJECT-PATH']\nconsole.log('attested: ' + s.split('\\n').join(', '))\nfs.appendFileSync(process.env.ATTEST_LOG, s + '\\n---\\n')\n"
  )
  return dir
}

/**
 * A caller repository: the tiny fixture, and a workflow that calls the reusable one with these targets (as JSON
 * text, so that a number stays the number a caller wrote), `more` lines of `with:`, and every signing secret.
 */
function callerRepo(targets: unknown[] | string, more: string[] = []): string {
  const repo = tempDir('caller')
  fs.cpSync(path.join(REPO, '__tests__', 'fixtures', 'tiny'), repo, { recursive: true, filter: (s) => !/(^|\/)(build|__pycache__|[^/]*\.egg-info)$/.test(s) })
  fs.mkdirSync(path.join(repo, '.github', 'workflows'), { recursive: true })
  fs.writeFileSync(
    path.join(repo, '.github', 'workflows', 'ship.yml'),
    [
      'name: ship',
      'on: push',
      'jobs:',
      '  ship:',
      '    uses: your-org/build-standalone/.github/workflows/standalone.yml@v1',
      '    permissions:',
      '      contents: write',
      '      id-token: write',
      '      attestations: write',
      '    with:',
      `      targets: '${typeof targets === 'string' ? targets : JSON.stringify(targets)}'`,
      '      spec: packaging/tiny.spec',
      '      smoke-test: hello',
      '      cache: false',
      ...more.map((l) => `      ${l}`),
      '    secrets:',
      ...SIGNING_SECRETS.map((name) => `      ${name}: \${{ secrets.${name} }}`),
      ''
    ].join('\n')
  )
  const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' })
  git('init', '-q')
  git('remote', 'add', 'origin', 'https://github.com/octo/tiny.git')
  git('add', '-A')
  git('-c', 'user.email=test@example.com', '-c', 'user.name=test', 'commit', '-qm', 'tiny')
  fs.writeFileSync(path.join(repo, '..', `${path.basename(repo)}-event.json`), JSON.stringify({ ref: 'refs/tags/v1.0.0' }))
  return repo
}

interface ActRun {
  status: number | null
  log: string
  seconds: number
}

describe('standalone.yml (reusable workflow) under nektos/act', () => {
  let artifacts: ActServer
  const api = releaseApi({ repo: 'octo/tiny' })
  let apiUrl = ''
  let lib = ''
  let stub = ''
  let toolCache = ''
  const attestLog = path.join(tempDir('attest'), 'subjects.txt')

  /** Runs act without blocking this process: the release stand-in answers from its event loop. */
  async function act(repo: string, runId: string, attempt: number): Promise<ActRun> {
    const started = Date.now()
    const child = spawn(
      ACT,
      [
        'push',
        '-e',
        path.join(repo, '..', `${path.basename(repo)}-event.json`),
        '-W',
        '.github/workflows/ship.yml',
        '-P',
        'ubuntu-latest=-self-hosted',
        '--local-repository',
        `your-org/build-standalone@v1=${lib}`,
        '--local-repository',
        `actions/attest-build-provenance@v2=${stub}`,
        '-s',
        'GITHUB_TOKEN=secret-token',
        ...SIGNING_SECRETS.flatMap((name) => ['-s', `${name}=${secretValue(name)}`]),
        '--env',
        `ACTIONS_RUNTIME_TOKEN=${runtimeToken(runId, '1')}`,
        '--env',
        `ACTIONS_RESULTS_URL=${artifacts.url}`,
        '--env',
        `GITHUB_RUN_ID=${runId}`,
        '--env',
        `GITHUB_RUN_ATTEMPT=${attempt}`,
        '--env',
        `GITHUB_API_URL=${apiUrl}`,
        '--env',
        `RUNNER_TOOL_CACHE=${toolCache}`,
        '--env',
        'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY=1',
        '--env',
        'BUILD_STANDALONE_RETRY_MS=50',
        '--env',
        `ATTEST_LOG=${attestLog}`
      ],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let log = ''
    child.stdout.on('data', (c: Buffer) => (log += c.toString()))
    child.stderr.on('data', (c: Buffer) => (log += c.toString()))
    const status = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 900_000)
      child.on('close', (code) => {
        clearTimeout(timer)
        resolve(code)
      })
    })
    const run = { status, log, seconds: Math.round((Date.now() - started) / 1000) }
    // The whole log, for reading after the test (kept with E2E_KEEP=1).
    fs.writeFileSync(path.join(SCRATCH, `act-${runId}-${attempt}.log`), log)
    console.log(`act run ${runId} attempt ${attempt}: exit ${run.status} in ${run.seconds} s`)
    return run
  }

  /**
   * A run whose targets job is refused: act (0.2.89) at times drops the output of a step that fails within a second
   * (its "Failure" line, then no `::error::` line at all, before act's own fatal error about the build job's matrix,
   * which is empty once the targets job failed). Run once more, and only then, when the output is missing: a message
   * that is there but wrong still fails the test.
   */
  async function actRefused(repo: string, runId: string): Promise<ActRun> {
    const run = await act(repo, runId, 1)
    const lost = /\[ship\/standalone\/targets\] +❌ +Failure - Main/.test(run.log) && !/\[ship\/standalone\/targets\] .*::error::/.test(run.log)
    if (!lost) return run
    console.log(`act run ${runId}: the targets step's output is missing from act's log; running it once more`)
    return act(repo, runId, 2)
  }

  const stored = (runId: string, name: string): Buffer => fs.readFileSync(path.join(artifacts.dir, runId, name, `${name}.zip`))

  beforeAll(async () => {
    artifacts = await startActServer('artifacts')
    apiUrl = await api.start()
    lib = snapshotOfThisRepo()
    stub = attestStub()
    toolCache = makeToolCache(tempDir('toolcache')).toolCache
  })

  afterAll(() => {
    artifacts.stop()
    api.stop()
  })

  describe('a target whose build fails', () => {
    let run: ActRun
    beforeAll(async () => {
      // The second target asks for a Python that is nowhere: its build step fails, the first one's does not.
      run = await act(callerRepo(['ubuntu-latest', { 'runs-on': 'ubuntu-latest', 'python-version': '2.7' }]), '301', 1)
      if (run.status === 0) console.log(run.log.slice(-8000))
    }, 900_000)

    it('fails the workflow, and the release job names the failed target and why', () => {
      expect(run.status).not.toBe(0)
      expect(run.log).toMatch(/Failure - Main your-org\/build-standalone@v1/)
      expect(run.log).toContain('collect failed: 1 of 2 targets failed — ubuntu-latest (python 2.7): the build failed.')
      expect(run.log).toContain('| ubuntu-latest (python 2.7) | — | — | ❌ the build failed |')
    })

    it('leaves the other target’s artifacts usable: checked, and listed in the merged SHA256SUMS artifact', () => {
      const archive = stored('301', 'tiny-1.0.0-linux-x64.tar.gz')
      expect(archive.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(true)
      const sbom = stored('301', 'tiny-1.0.0-linux-x64.cdx.json')
      // Sorted by name: the build's SBOM (.cdx.json) before its archive.
      expect(stored('301', 'SHA256SUMS').toString()).toBe(`${sha(sbom)}  tiny-1.0.0-linux-x64.cdx.json\n${sha(archive)}  tiny-1.0.0-linux-x64.tar.gz\n`)
      expect(run.log).toMatch(/\| ubuntu-latest \| `tiny-1\.0\.0-linux-x64\.tar\.gz` \| [\d.]+ MiB \| ✅ passed \(1 command\) \|/)
    })

    it('makes no release while a target failed (allow-partial is false) and attests nothing', () => {
      expect(api.requests.map(call)).toEqual([])
      expect(fs.existsSync(attestLog)).toBe(false)
    })
  })

  describe('targets the targets job refuses', () => {
    let run: ActRun
    beforeAll(async () => {
      // A caller writes the version as a JSON number: 3.10 is 3.1 by the time anything reads it.
      run = await actRefused(callerRepo('[{"runs-on": "ubuntu-latest", "python-version": 3.10}]'), '300')
    }, 900_000)

    it('fails in the targets job, naming the target and the fix, before any leg builds', () => {
      expect(run.status).not.toBe(0)
      expect(run.log).toContain("Input 'targets': a target's python-version is the JSON number 3.1, which no longer says what was written (3.10 reads as 3.1).")
      expect(run.log).not.toMatch(/\[ship\/standalone\/build/)
      expect(run.log).not.toMatch(/\[ship\/standalone\/release *\] +⭐ Run Main/)
    })
  })

  describe('formats that no target makes', () => {
    let run: ActRun
    beforeAll(async () => {
      run = await actRefused(callerRepo(['ubuntu-latest'], ['formats: archive, msi']), '303')
    }, 900_000)

    it('fail in the targets job, naming the input, the targets and the fix, before any leg builds', () => {
      expect(run.status).not.toBe(0)
      expect(run.log).toContain(
        "Input 'formats': asks for msi (a Windows Installer package of Windows programs), which is made on Windows runners only, and no target is one (ubuntu-latest: Linux). Add a Windows target to targets, or remove msi from formats."
      )
      expect(run.log).not.toMatch(/\[ship\/standalone\/build/)
    })
  })

  describe('every target built', () => {
    let first: ActRun
    let rerun: ActRun
    let afterFirst: { name: string; bytes: Buffer }[] = []
    let builtFirst: Buffer = Buffer.alloc(0)
    beforeAll(async () => {
      // The inputs the reusable workflow forwards since issue 22, with values that pass and say so in the log; and
      // installers, asked as a caller of every system would ask: the Linux leg makes those of its system.
      const repo = callerRepo(
        ['ubuntu-latest'],
        [
          "license-deny: 'GPL-3.0-only, AGPL-3.0-only'",
          "glibc-max: '2.99'",
          "compression-level: '1'",
          'formats: archive, deb, rpm',
          `package-maintainer: ${MAINTAINER}`
        ]
      )
      first = await act(repo, '302', 1)
      if (first.status !== 0) console.log(first.log.slice(-8000))
      afterFirst = [...api.assets.values()].map((a) => ({ name: a.name, bytes: a.bytes }))
      builtFirst = stored('302', 'tiny-1.0.0-linux-x64.tar.gz')
      rerun = await act(repo, '302', 2)
      if (rerun.status !== 0) console.log(rerun.log.slice(-8000))
    }, 1_800_000)

    it('forwards glibc-max (and the other inputs) to the leg, and gives a Linux leg no signing secret', () => {
      expect(first.log).toContain('glibc-max: 2.99')
      // With windows-certificate set, a Linux leg would run the sign stage and say it had nothing to sign.
      expect(first.log).not.toContain('Authenticode')
      expect(first.log).not.toMatch(/\| sign: /)
      for (const name of SIGNING_SECRETS) expect(first.log).not.toContain(secretValue(name))
    })

    it('passes the three jobs', () => {
      expect(first.status).toBe(0)
      expect(first.log).toMatch(/\[ship\/standalone\/targets *\] +🏁 +Job succeeded/)
      expect(first.log).toMatch(/\[ship\/standalone\/build \(ubuntu-latest\) *\] +🏁 +Job succeeded/)
      expect(first.log).toMatch(/\[ship\/standalone\/release *\] +🏁 +Job succeeded/)
      expect(first.log).toMatch(/\[ship\/standalone\/release *\] +✅ +Success - Main Attest build provenance/)
    })

    it('gives the Linux leg the formats of its system, from the one formats input', () => {
      expect(first.log).toContain('Formats: ubuntu-latest makes archive, deb, rpm.')
      expect(first.log).toMatch(/\| ubuntu-latest \| `tiny-tool_1\.0\.0_amd64\.deb` \| [\d.]+ MiB \| ✅ passed \(1 command\) \|/)
      expect(first.log).toMatch(/\| ubuntu-latest \| `tiny-tool-1\.0\.0-1\.x86_64\.rpm` \| [\d.]+ MiB \| ✅ passed \(1 command\) \|/)
    })

    it('creates the release once, with the archive, its SBOM, the installers, the leg’s checksums and one merged SHA256SUMS', () => {
      expect(api.releases.map((r) => [r.tag_name, r.draft])).toEqual([['v1.0.0', false]])
      expect(afterFirst.map((a) => a.name).sort()).toEqual(RELEASE_ASSETS)
      const bytes = (name: string): Buffer => afterFirst.find((a) => a.name === name)!.bytes
      expect(bytes('SHA256SUMS').toString()).toBe(RELEASED_FILES.map((name) => `${sha(bytes(name))}  ${name}\n`).join(''))
      // The leg's own file lists the same files, in the order the leg packaged them.
      expect(lines(bytes('tiny-tool-1.0.0-linux-x64-SHA256SUMS.txt'))).toEqual(lines(bytes('SHA256SUMS')))
      expect(bytes('tiny-1.0.0-linux-x64.tar.gz').equals(builtFirst)).toBe(true)
    })

    it('releases a .deb and an .rpm that dpkg-deb and rpm read: the leg’s package of the tiny build, its maintainer from package-maintainer', () => {
      const dir = tempDir('released')
      const saved = (name: string): string => {
        const file = path.join(dir, name)
        fs.writeFileSync(file, afterFirst.find((a) => a.name === name)!.bytes)
        return file
      }
      const deb = saved('tiny-tool_1.0.0_amd64.deb')
      const field = (name: string): string => spawnSync('dpkg-deb', ['--field', deb, name], { encoding: 'utf8' }).stdout.trim()
      expect([field('Package'), field('Version'), field('Architecture'), field('Maintainer')]).toEqual(['tiny-tool', '1.0.0', 'amd64', MAINTAINER])
      expect(spawnSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8' }).stdout).toMatch(/ \.\/usr\/bin\/tiny -> \/opt\/tiny-tool\/tiny$/m)
      const rpm = spawnSync('rpm', ['-qp', '--queryformat', '%{NAME} %{VERSION}-%{RELEASE} %{ARCH} %{PACKAGER}', saved('tiny-tool-1.0.0-1.x86_64.rpm')], {
        encoding: 'utf8'
      })
      expect(rpm.stdout).toBe(`tiny-tool 1.0.0-1 x86_64 ${MAINTAINER}`)
    })

    it('attests the provenance of every archive, SBOM and installer', () => {
      const attested = fs.readFileSync(attestLog, 'utf8').split('\n---\n').filter(Boolean)
      expect(attested).toHaveLength(2)
      for (const a of attested)
        expect(
          a
            .split('\n')
            .map((p) => path.basename(p))
            .sort()
        ).toEqual(RELEASED_FILES)
    })

    it('a re-run of the workflow leaves the release with exactly one copy of each asset', () => {
      expect(rerun.status).toBe(0)
      expect(api.releases).toHaveLength(1)
      const names = [...api.assets.values()].map((a) => a.name).sort()
      expect(names).toEqual(RELEASE_ASSETS)
      expect(api.requests.map(call).filter((r) => r.startsWith('DELETE /repos/octo/tiny/releases/assets/'))).toHaveLength(RELEASE_ASSETS.length)
      expect(api.requests.map(call).filter((r) => r === 'POST /repos/octo/tiny/releases')).toHaveLength(1)
      // The release holds the re-run's build, and its SHA256SUMS lists that build.
      const asset = (name: string): Buffer => [...api.assets.values()].find((a) => a.name === name)!.bytes
      expect(asset('tiny-1.0.0-linux-x64.tar.gz').equals(stored('302', 'tiny-1.0.0-linux-x64.tar.gz'))).toBe(true)
      expect(asset('SHA256SUMS').toString()).toContain(`${sha(asset('tiny-1.0.0-linux-x64.tar.gz'))}  tiny-1.0.0-linux-x64.tar.gz\n`)
      expect(rerun.log).toContain('Re-run (attempt 2): replacing the artifact tiny-1.0.0-linux-x64.tar.gz of an earlier attempt.')
      expect(rerun.log).toContain('Release v1.0.0: 6 assets uploaded (6 replaced an asset of the same name).')
    })
  })
})
