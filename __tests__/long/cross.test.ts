/**
 * target: windows-x64 built on this Linux machine, through the bundle under
 * Linux Node 24 as a Linux runner runs it (dist/index.js) and through the
 * local CLI (dist/cli/index.js), with python.org's Windows Python served on
 * 127.0.0.1 (../windows/cross.ts):
 *
 * - tiny with uv asked for under Debian 12's Wine 8, which cannot run uv:
 *   the run says so and installs with pip; both modes from entry points, the
 *   smoke tests under Wine, the zips extracted and their programs run;
 * - examples/chatty from its spec with uv under Wine 10 (the trixie root
 *   filesystem, given as WINE/WINESERVER), signed with a self-signed
 *   certificate by osslsigncode and verified by the action and again here
 *   (`osslsigncode verify`), its zip's chatty.exe run with --help, gui --help
 *   and list after extraction; the summary says where it was built;
 * - the same through the CLI (`--target windows-x64`), in the same work
 *   folder: the prefix and the Windows Python are kept from the first run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { errorAnnotation, expectExit, node24, parseOutputFile, REPO, runAction, sample, SCRATCH, tempDir, type ActionRun } from '../e2e/harness.js'
import { crossEnv, startIndexServer, wine10Programs, type IndexServer } from '../windows/cross.js'
import { missingForHostWine, missingForTrixieWine } from '../windows/wine.js'
import { missingForWindowsPython } from '../windows/downloads.js'
import { makeIco, peResources, RT_GROUP_ICON, RT_ICON, versionInfo } from '../windows/pe-resources.js'
import { readPE } from '../../src/inspect/pe.js'
import { selfSignedCertificate } from '../authenticode.js'

const missing = missingForHostWine() || missingForTrixieWine() || missingForWindowsPython()
const describeIf = missing ? describe.skip : describe
if (missing) process.stderr.write(`cross (long): skipped (${missing})\n`)

const BUILD_TIMEOUT = 1_500_000
const log = (line: string): boolean => process.stdout.write(`cross long: ${line}\n`)

/** Runs a Windows program under a Wine (host's or WINE) in `prefix`, with pipes (Windows Python's std streams need them). */
function runUnderWine(wine: string, prefix: string, program: string, args: readonly string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(wine, [program, ...args], {
    cwd,
    env: { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all' },
    encoding: 'utf8',
    timeout: 180_000,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return { status: r.status, out: `${r.stdout}${r.stderr}` }
}

const unzip = (archive: string): string => {
  const dest = tempDir('unzipped')
  const r = spawnSync('unzip', ['-q', archive, '-d', dest], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`unzip ${archive}: ${r.stderr}`)
  return dest
}

const prefixOf = (run: Pick<ActionRun, 'runnerTemp'>, version: string): string => path.join(run.runnerTemp, 'build-standalone', 'wine', `prefix-${version}`)

/** A self-signed code-signing certificate as the windows-certificate input takes it (base64 PFX); its PEM kept for verifying. */
function certificate(password: string): string {
  const { certificate, certPem } = selfSignedCertificate(tempDir('cert'), password)
  fs.copyFileSync(certPem, path.join(SCRATCH, 'cross-cert.pem'))
  return certificate
}

describeIf('target: windows-x64 on Linux under Wine', () => {
  let server: IndexServer
  let wine10: { WINE: string; WINESERVER: string }
  const PASSWORD = 'cross-test-pass'
  let cert: string
  beforeAll(async () => {
    server = await startIndexServer()
    wine10 = wine10Programs()
    cert = certificate(PASSWORD)
  }, 600_000)
  afterAll(async () => {
    await server.close()
  })

  it(
    'builds tiny under Wine 8, with pip where uv cannot run, and its zipped programs run',
    async () => {
      const root = tempDir('cross-tiny')
      const toolCache = path.join(root, 'toolcache')
      const icon = makeIco([0x30, 0x60, 0xc0, 0xff])
      fs.writeFileSync(path.join(REPO, sample('tiny'), 'tiny.ico'), icon.ico)
      const run = await runAction(
        {
          'project-path': sample('tiny'),
          icon: 'tiny.ico',
          entrypoint: 'tiny = tiny_tool.cli:main\ntinyw = tiny_tool.cli:main (windowed)',
          mode: 'both',
          target: 'windows-x64',
          'python-versions-manifest': server.url,
          'smoke-test': '--help\n[tiny] hello',
          cache: 'false'
        },
        { env: crossEnv(toolCache, server.version), root, timeoutMs: BUILD_TIMEOUT }
      )
      expectExit(run, 0)
      log(`tiny under Wine 8: ${run.summary.match(/\| (install|build|smoke) \| [\d.]+ \|/g)?.join(' ')}`)
      expect(run.stdout).toContain(
        '::warning::Wine 8.0 cannot run uv.exe (it has no bcryptprimitives.dll, which Wine 9 and newer have): installing with pip instead.'
      )
      expect(run.stdout).toMatch(/\[command\]\/usr\/bin\/wine Z:\\.*\\python\.exe -m venv Z:\\/)
      expect(run.summary).toContain('## build-standalone: 3 builds for windows-x64')
      expect(run.summary).toContain('Cross-built on Linux: built and smoke-tested under Wine 8.0, not on Windows.')
      const archives = run.outputs.archives.split('\n').map((a) => path.basename(a))
      expect(archives.sort()).toEqual(['tiny-1.0.0-windows-x64.zip', 'tiny-tool-1.0.0-windows-x64-onedir.zip', 'tinyw-1.0.0-windows-x64.zip'].sort())
      // PyInstaller's Windows bootloaders with the version resource and the icon, as on a Windows runner.
      const executables = JSON.parse(run.outputs.executables) as { name: string; path: string; mode: string }[]
      expect(executables.map((e) => `${e.mode} ${e.name}`).sort()).toEqual(['onedir tiny.exe', 'onedir tinyw.exe', 'onefile tiny.exe', 'onefile tinyw.exe'])
      for (const e of executables) {
        const buf = fs.readFileSync(e.path)
        expect({ name: e.name, version: versionInfo(buf)?.strings.FileVersion, subsystem: readPE(buf)?.subsystem }).toEqual({
          name: e.name,
          version: '1.0.0',
          subsystem: e.name === 'tinyw.exe' ? 'windowed' : 'console'
        })
        expect(peResources(buf).some((r) => r.type === RT_GROUP_ICON)).toBe(true)
        expect(
          peResources(buf)
            .filter((r) => r.type === RT_ICON)
            .map((r) => r.data.equals(icon.image))
        ).toEqual([true])
      }
      const prefix = prefixOf(run, '8.0')
      for (const archive of run.outputs.archives.split('\n')) {
        const dir = unzip(archive)
        const exe = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((f) => path.basename(f) === 'tiny.exe')
        if (!exe) continue
        const r = runUnderWine('wine', prefix, path.join(dir, exe), ['hello'], dir)
        expect(r).toEqual({ status: 0, out: 'hello from tiny\r\n' })
      }
    },
    BUILD_TIMEOUT
  )

  it(
    'stops a smoke test that hangs under Wine within its time-out, and names no survivor',
    async () => {
      const root = tempDir('cross-hang')
      const run = await runAction(
        {
          'project-path': sample('tiny'),
          entrypoint: 'tiny = tiny_tool.cli:main',
          mode: 'onefile',
          target: 'windows-x64',
          installer: 'pip',
          'python-versions-manifest': server.url,
          'smoke-test': 'hello\nhang',
          'smoke-timeout': '5',
          cache: 'false'
        },
        { env: crossEnv(path.join(root, 'toolcache'), server.version), root, timeoutMs: BUILD_TIMEOUT }
      )
      expectExit(run, 1)
      expect(errorAnnotation(run)).toContain(
        '1 of 2 smoke tests failed:\nonefile build tiny.exe: `tiny.exe hang` failed: it did not finish within 5 s and was stopped.'
      )
      const took = /tiny\.exe hang.*\n(?:.*\n)*?\s+failed in ([\d.]+) s/.exec(run.stdout)
      expect(Number(took?.[1])).toBeLessThan(5 + 30)
      expect(run.stdout).not.toContain('still ran after every stop step')
    },
    BUILD_TIMEOUT
  )

  const chattyInputs = {
    'project-path': sample('chatty'),
    spec: 'packaging/chatty_cli.spec',
    target: 'windows-x64',
    installer: 'uv',
    'smoke-test': '--help\ngui --help\nlist',
    'windows-certificate': '',
    'windows-certificate-password': PASSWORD,
    'timestamp-url': 'none',
    cache: 'false'
  }

  /** The zip's chatty.exe: signed (verified here against the test certificate), and it runs after extraction. */
  function checkChattyZip(zip: string, prefix: string): void {
    expect(path.basename(zip)).toMatch(/^chatty-.+-windows-x64\.zip$/)
    const dir = unzip(zip)
    const exe = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).find((f) => path.basename(f) === 'chatty.exe')
    expect(exe).toBeDefined()
    const verify = spawnSync('osslsigncode', ['verify', '-CAfile', path.join(SCRATCH, 'cross-cert.pem'), '-in', path.join(dir, exe!)], { encoding: 'utf8' })
    expect(verify.stdout).toContain('Signature verification: ok')
    for (const args of [['--help'], ['gui', '--help'], ['list']]) {
      const r = runUnderWine(wine10.WINE, prefix, path.join(dir, exe!), args, dir)
      expect({ args, status: r.status }).toEqual({ args, status: 0 })
      expect(r.out.length).toBeGreaterThan(0)
    }
  }

  it(
    'builds, smoke-tests and signs examples/chatty with uv under Wine 10, and its zipped chatty.exe runs',
    async () => {
      const root = tempDir('cross-chatty')
      const toolCache = path.join(root, 'toolcache')
      const run = await runAction(
        { ...chattyInputs, 'python-versions-manifest': server.url, 'windows-certificate': cert },
        { env: { ...crossEnv(toolCache, server.version), ...wine10 }, root, timeoutMs: BUILD_TIMEOUT }
      )
      expectExit(run, 0)
      log(`chatty under Wine 10: ${run.summary.match(/\| (wine|python|install|build|inspect|sign|smoke) \| [\d.]+ \|/g)?.join(' ')}`)
      expect(run.stdout).not.toContain('installing with pip instead')
      expect(run.stdout).toMatch(/\[command\].*\/wine Z:\\.*\\uv\.exe venv --relocatable/)
      expect(run.stdout).toMatch(/osslsigncode verify/)
      expect(run.summary).toContain('Cross-built on Linux: built and smoke-tested under Wine 10.0, not on Windows.')
      expect(run.summary).toMatch(/\| `chatty-.+-windows-x64\.zip` \| \w+ \| .* \| built and smoke-tested under Wine 10\.0 \|/)
      expect(run.summary).toContain('runs on Windows x64')
      const zips = run.outputs.archives.split('\n').filter((a) => /chatty-.+-windows-x64\.zip$/.test(a))
      expect(zips.length).toBeGreaterThan(0)
      for (const zip of zips) checkChattyZip(zip, prefixOf(run, '10.0'))
      expect(server.downloads()).toBeGreaterThan(0)
    },
    BUILD_TIMEOUT
  )

  it(
    'does the same through the CLI (--target windows-x64), keeping the prefix and the Python of its first run',
    async () => {
      const cwd = tempDir('cross-cli')
      const toolCache = path.join(cwd, 'toolcache')
      const args = Object.entries({
        ...chattyInputs,
        'project-path': path.join(REPO, sample('chatty')),
        'python-versions-manifest': server.url,
        'windows-certificate': cert
      }).flatMap(([k, v]) => (k === 'smoke-test' ? v.split('\n').flatMap((l) => [`--${k}`, l]) : [`--${k}`, v]))
      const runCli = async (): Promise<{ code: number | null; out: string; ms: number }> => {
        const started = Date.now()
        const child = spawn(node24(), [path.join(REPO, 'dist', 'cli', 'index.js'), ...args], {
          cwd,
          env: { ...process.env, ...crossEnv(toolCache, server.version), ...wine10, GITHUB_WORKSPACE: REPO, TMPDIR: SCRATCH },
          stdio: ['ignore', 'pipe', 'pipe']
        })
        let out = ''
        child.stdout.on('data', (c: Buffer) => (out += c.toString()))
        child.stderr.on('data', (c: Buffer) => (out += c.toString()))
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
        return { code, out, ms: Date.now() - started }
      }
      const first = await runCli()
      if (first.code !== 0) throw new Error(first.out.slice(-5000))
      const downloads = server.downloads()
      const second = await runCli()
      if (second.code !== 0) throw new Error(second.out.slice(-5000))
      log(`CLI: first run ${(first.ms / 1000).toFixed(1)} s, second (prefix and Python kept) ${(second.ms / 1000).toFixed(1)} s`)
      expect(first.out).toMatch(/Wine 10\.0 \(.*\), prefix .*: made in Windows 10 mode/)
      expect(second.out).toMatch(/Wine 10\.0 \(.*\), prefix .*: kept from an earlier run\./)
      expect(server.downloads()).toBe(downloads)
      const outputs = parseOutputFile(fs.readFileSync(path.join(cwd, '.build-standalone', 'outputs.txt'), 'utf8'))
      const zips = outputs.archives.split('\n').filter((a) => /chatty-.+-windows-x64\.zip$/.test(a))
      expect(zips.length).toBeGreaterThan(0)
      for (const zip of zips) checkChattyZip(zip, path.join(cwd, '.build-standalone', 'build-standalone', 'wine', 'prefix-10.0'))
    },
    2 * BUILD_TIMEOUT
  )
})
