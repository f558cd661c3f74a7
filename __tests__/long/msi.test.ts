/**
 * The MSI as a Windows user gets it: the tiny fixture built for Windows by
 * the committed bundle under Windows Node 24 in Wine 10 (../windows/harness.ts)
 * with `formats: archive, msi`, the package database written by Wine's
 * msidb.exe as the action writes it on a Windows runner, then installed with
 * `msiexec /i … /qn` per user, run from %LOCALAPPDATA%\Programs\tiny-tool and
 * by name from the user's PATH, replaced by the MSI of tiny 1.1.0 (one
 * installed copy, holding 1.1.0's files only, and 1.0.0 then refused), and
 * removed with `msiexec /x`, leaving no file, PATH entry, Start-menu entry,
 * uninstall entry or registry key. Every build is a one-folder build with a
 * data file of its own version (add-data), so a file the upgrade leaves
 * behind shows.
 *
 * Signing: the Windows leg signs with signtool, which Wine does not have; the
 * MSI the action made here is signed by the action's other signer,
 * osslsigncode (what it uses off Windows), with a self-signed certificate,
 * verified, and the signed package installed and removed under Wine.
 *
 * The tests below run in order on one Wine prefix: each starts from what the
 * one before it left installed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { expectExit, REPO, sample, sha256, tempDir } from '../e2e/harness.js'
import { selfSignedCertificate, SIGNER } from '../authenticode.js'
import {
  closeSetup,
  hostPath,
  missingForWindows,
  runWindowsAction,
  runWindowsProgram,
  settleSetup,
  winPath,
  windowsSetup,
  type WindowsActionRun,
  type WindowsSetup
} from '../windows/harness.js'
import { versionInfo } from '../windows/pe-resources.js'
import { platformFor } from '../../src/platform.js'
import { signWindowsFiles } from '../../src/sign/index.js'

const missing = missingForWindows('trixie')
const describeIf = missing ? describe.skip : describe
if (missing) process.stderr.write(`msi (Wine 10, Node 24): skipped (${missing})\n`)

const BUILD_TIMEOUT = 1_800_000
const STEP_TIMEOUT = 600_000
const MAINTAINER = 'build-standalone tests <tests@example.org>'
const PACKAGE = 'tiny-tool'
const log = (line: string): boolean => process.stdout.write(`msi long: ${line}\n`)
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

/** Every file and folder under `dir`, relative, '/'-separated, sorted. */
const tree = (dir: string): string[] =>
  fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort() : []

/** Each file under `dir` with its sha256, relative. */
const contents = (dir: string): Record<string, string> =>
  Object.fromEntries(tree(dir).flatMap((f) => (fs.statSync(path.join(dir, f)).isFile() ? [[f, sha256(path.join(dir, f))]] : [])))

/** The values under each key of `reg query … /s` output, by key. */
function regKeys(out: string): Map<string, Record<string, string>> {
  const keys = new Map<string, Record<string, string>>()
  let current: Record<string, string> | undefined
  for (const line of out.split(/\r?\n/)) {
    if (/^HKEY_/.test(line)) keys.set(line.trim(), (current = {}))
    const value = /^ {4}(.+?) {4}REG_\w+(?: {4}(.*))?$/.exec(line)
    if (value && current) current[value[1]] = value[2] ?? ''
  }
  return keys
}

/** A copy of the tiny fixture at `version`, beside this file's copy of it (so the cleanup removes both). */
function fixtureAt(version: string): string {
  const copy = path.join(path.dirname(sample('tiny')), `tiny-${version}`)
  fs.cpSync(path.join(REPO, '__tests__', 'fixtures', 'tiny'), path.join(REPO, copy), {
    recursive: true,
    filter: (src) => !/^(build|__pycache__|.*\.egg-info)$/.test(path.basename(src))
  })
  const pyproject = path.join(REPO, copy, 'pyproject.toml')
  fs.writeFileSync(pyproject, fs.readFileSync(pyproject, 'utf8').replace(/^version = "1\.0\.0"$/m, `version = "${version}"`))
  return copy
}

describeIf('formats: msi on Windows (Wine 10, Node 24): tiny built through dist/, installed, upgraded and removed by msiexec', () => {
  let setup: WindowsSetup
  const runs: Record<'1.0.0' | '1.1.0', WindowsActionRun> = {} as never
  /** Each version's one-folder build, as its zip holds it (host paths). */
  const builds: Record<'1.0.0' | '1.1.0', string> = {} as never
  let home: string
  let installDir: string
  let startMenu: string

  const msiOf = (run: WindowsActionRun): { name: string; path: string; sha256: string } => {
    const msi = (JSON.parse(run.outputs.assets) as { name: string; path: string; sha256: string; mode: string }[]).find((a) => a.mode === 'msi')
    if (!msi) throw new Error(`no msi asset in ${run.outputs.assets}`)
    return { ...msi, path: hostPath(msi.path) }
  }
  /** Runs a Windows program (msiexec, reg, cmd, an installed executable) from a folder of its own, then waits for the prefix to settle. */
  const windows = async (program: string, args: string[]): Promise<{ status: number | null; stdout: string; ms: number }> => {
    const r = await runWindowsProgram(setup, program, args, { cwd: tempDir('cwd'), timeoutMs: 300_000 })
    settleSetup(setup)
    return { status: r.status, stdout: r.stdout, ms: r.ms }
  }
  const msiexec = async (action: '/i' | '/x', msi: string): Promise<number | null> => {
    const r = await windows('msiexec', [action, winPath(msi), '/qn'])
    log(`msiexec ${action} ${path.basename(msi)} /qn: exit ${r.status} in ${seconds(r.ms)}`)
    return r.status
  }
  const query = async (key: string): Promise<Map<string, Record<string, string>>> => regKeys((await windows('reg', ['query', key, '/s'])).stdout)
  /** The user's PATH variable (HKCU\Environment), '' when there is none. */
  const userPath = async (): Promise<string> => (await query('HKCU\\Environment')).get('HKEY_CURRENT_USER\\Environment')?.PATH ?? ''
  /** The uninstall entries (Apps & features) named tiny-tool, per user or per machine, each with its version. */
  const uninstallEntries = async (): Promise<string[]> => {
    const entries: string[] = []
    for (const root of ['HKCU', 'HKLM'])
      for (const [key, values] of await query(`${root}\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall`))
        if (values.DisplayName === PACKAGE) entries.push(`${key.split('\\').pop()} ${values.DisplayVersion}`)
    return entries
  }
  /** How many times the user's PATH names the install folder. */
  const onPath = async (): Promise<number> => (await userPath()).split(';').filter((p) => /\\Programs\\tiny-tool\\?$/i.test(p)).length

  beforeAll(async () => {
    setup = await windowsSetup('trixie')
    log(`${setup.wine.version}, Node ${setup.nodeVersion}, CPython ${setup.pythonVersion}; prefix made in ${seconds(setup.prefixMs)}`)
    const projects = { '1.0.0': sample('tiny'), '1.1.0': fixtureAt('1.1.0') }
    for (const version of ['1.0.0', '1.1.0'] as const) {
      fs.writeFileSync(path.join(REPO, projects[version], 'assets', `only-in-${version}.txt`), `tiny ${version}\n`)
      runs[version] = await runWindowsAction(setup, {
        'project-path': projects[version],
        entrypoint: 'tiny = tiny_tool.cli:main\ntinyw = tiny_tool.cli:main (windowed)',
        mode: 'onedir',
        'add-data': `assets/only-in-${version}.txt:.`,
        installer: 'uv',
        formats: 'archive, msi',
        'package-maintainer': MAINTAINER,
        'smoke-test': '[tiny] hello'
      })
      log(
        `tiny ${version}, one-folder, archive and msi: ${seconds(runs[version].ms)} (the package stage: ${JSON.parse(runs[version].outputs.timings || '{}').package} s)`
      )
      expectExit(runs[version], 0)
      const unzipped = tempDir(`unzipped-${version}`)
      const r = spawnSync('unzip', ['-q', hostPath(runs[version].outputs.archives), '-d', unzipped], { encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`unzip ${runs[version].outputs.archives}: ${r.stderr}`)
      builds[version] = path.join(unzipped, PACKAGE)
    }
    home = path.join(setup.prefix, 'drive_c', 'users', fs.readdirSync(path.join(setup.prefix, 'drive_c', 'users')).find((u) => u !== 'Public') as string)
    installDir = path.join(home, 'AppData', 'Local', 'Programs', PACKAGE)
    startMenu = path.join(home, 'AppData', 'Roaming', 'Microsoft', 'Windows', 'Start Menu', 'Programs')
  }, BUILD_TIMEOUT)

  afterAll(async () => {
    if (setup) await closeSetup(setup)
  }, 60_000)

  it('makes the MSI from the one-folder build with msidb.exe, and lists it in assets, the installers output and the checksums file', () => {
    for (const version of ['1.0.0', '1.1.0'] as const) {
      const run = runs[version]
      const msi = msiOf(run)
      expect(msi.name).toBe(`${PACKAGE}-${version}-windows-x64.msi`)
      expect(JSON.parse(run.outputs.assets).map((a: { mode: string }) => a.mode)).toEqual(['onedir', 'sbom', 'msi', 'checksums'])
      expect(run.outputs.installers.split('\n').map(hostPath)).toEqual([msi.path])
      expect(sha256(msi.path)).toBe(msi.sha256)
      const sums = hostPath(run.outputs.checksums)
      expect(fs.readFileSync(sums, 'utf8')).toContain(`${msi.sha256}  ${msi.name}\n`)
      const check = spawnSync('sha256sum', ['-c', path.basename(sums)], { cwd: path.dirname(sums), encoding: 'utf8' })
      expect({ status: check.status, out: check.stdout }).toMatchObject({ status: 0, out: expect.stringContaining(`${msi.name}: OK`) })
      // The database is written by Windows' own tool from 8-character .idt files, then the cabinet is added as a stream.
      expect(run.stdout).toMatch(/msidb\.exe -c -d Z:\\.*\.msi -f Z:\\.*\\tables -i _Summary\.idt Property\.idt Director\.idt .*InstallE\.idt InstallU\.idt\n/i)
      expect(run.stdout).toMatch(/msidb\.exe -d Z:\\.*\.msi -a Z:\\.*\\app\.cab\n/i)
      expect(run.stdout).toContain(`${msi.name}: ProductCode {`)
    }
    const codes = (run: WindowsActionRun): string => /UpgradeCode (\{[0-9A-F-]+\})/.exec(run.stdout)?.[1] ?? 'none'
    expect(codes(runs['1.1.0'])).toBe(codes(runs['1.0.0']))
  })

  it(
    'msiexec /i installs 1.0.0 for the user: the build under %LOCALAPPDATA%\\Programs\\tiny-tool, tinyw in the Start menu, tiny on the PATH, one uninstall entry',
    async () => {
      expect(await msiexec('/i', msiOf(runs['1.0.0']).path)).toBe(0)
      expect(contents(installDir)).toEqual(contents(builds['1.0.0']))
      expect(tree(installDir)).toEqual(expect.arrayContaining(['tiny.exe', 'tinyw.exe', '_internal/only-in-1.0.0.txt']))
      expect(fs.readdirSync(startMenu).filter((f) => /tiny/i.test(f))).toEqual(['tinyw.lnk'])
      expect(await onPath()).toBe(1)
      expect((await uninstallEntries()).map((e) => e.split(' ')[1])).toEqual(['1.0.0'])
      // Each folder's component has its key path under HKCU\Software\tiny-tool (a per-user install), gone again after msiexec /x.
      expect([...(await query(`HKCU\\Software\\${PACKAGE}`)).keys()]).toContain(`HKEY_CURRENT_USER\\Software\\${PACKAGE}\\Components`)
    },
    STEP_TIMEOUT
  )

  it(
    'the installed tiny.exe runs from the install folder, and by name from anywhere through the user’s PATH',
    async () => {
      const direct = await windows(path.join(installDir, 'tiny.exe'), ['hello'])
      expect(direct).toMatchObject({ status: 0, stdout: 'hello from tiny\r\n' })
      const where = await windows('cmd', ['/c', 'where', 'tiny'])
      expect({ status: where.status, found: where.stdout.trim() }).toEqual({
        status: 0,
        found: `C:\\users\\${path.basename(home)}\\AppData\\Local\\Programs\\${PACKAGE}\\tiny.exe`
      })
      const byName = await windows('cmd', ['/c', 'tiny', 'hello'])
      expect(byName).toMatchObject({ status: 0, stdout: 'hello from tiny\r\n' })
    },
    STEP_TIMEOUT
  )

  it(
    'the 1.1.0 MSI replaces 1.0.0: one installed copy holding 1.1.0’s files only, PATH not doubled; the 1.0.0 MSI is then refused',
    async () => {
      expect(await msiexec('/i', msiOf(runs['1.1.0']).path)).toBe(0)
      expect(contents(installDir)).toEqual(contents(builds['1.1.0']))
      expect(tree(installDir)).not.toContain('_internal/only-in-1.0.0.txt')
      expect(versionInfo(fs.readFileSync(path.join(installDir, 'tiny.exe')))?.strings.FileVersion).toBe('1.1.0')
      expect((await uninstallEntries()).map((e) => e.split(' ')[1])).toEqual(['1.1.0'])
      expect(await onPath()).toBe(1)
      expect(fs.readdirSync(startMenu).filter((f) => /tiny/i.test(f))).toEqual(['tinyw.lnk'])
      expect(await windows('cmd', ['/c', 'tiny', 'hello'])).toMatchObject({ status: 0, stdout: 'hello from tiny\r\n' })
      // An older version does not replace a newer one (the launch condition; msiexec's 1603, cut by Wine's exit status).
      expect(await msiexec('/i', msiOf(runs['1.0.0']).path)).not.toBe(0)
      expect(contents(installDir)).toEqual(contents(builds['1.1.0']))
      expect((await uninstallEntries()).map((e) => e.split(' ')[1])).toEqual(['1.1.0'])
    },
    STEP_TIMEOUT
  )

  it(
    'msiexec /x removes it and leaves nothing: no file, no PATH entry, no Start-menu entry, no uninstall entry, no registry key',
    async () => {
      expect(await msiexec('/x', msiOf(runs['1.1.0']).path)).toBe(0)
      expect(fs.existsSync(installDir)).toBe(false)
      expect(tree(path.dirname(installDir))).toEqual([])
      expect(fs.readdirSync(startMenu).filter((f) => /tiny/i.test(f))).toEqual([])
      expect(await onPath()).toBe(0)
      expect(await userPath()).not.toMatch(/tiny-tool/i)
      expect(await uninstallEntries()).toEqual([])
      expect([...(await query(`HKCU\\Software\\${PACKAGE}`)).keys()]).toEqual([])
      const gone = await windows('cmd', ['/c', 'tiny', 'hello'])
      expect(gone.status).not.toBe(0)
    },
    STEP_TIMEOUT
  )

  it(
    'signs the MSI with Authenticode through osslsigncode (the action’s signer off Windows): the signature verifies, and the signed package installs, runs and uninstalls',
    async () => {
      const dir = tempDir('msi-sign')
      const password = 'msi-Secret-0815!'
      const { certificate, certPem } = selfSignedCertificate(dir, password)
      const msi = path.join(dir, msiOf(runs['1.0.0']).name)
      fs.copyFileSync(msiOf(runs['1.0.0']).path, msi)
      const signed = await signWindowsFiles(
        [msi],
        { certificate, password, timestampUrl: '', description: PACKAGE, url: 'https://example.org/tiny' },
        platformFor('linux', 'x64'),
        path.join(dir, 'work')
      )
      expect(signed).toEqual([msi])
      expect(sha256(msi)).not.toBe(msiOf(runs['1.0.0']).sha256)
      const verify = spawnSync('osslsigncode', ['verify', '-CAfile', certPem, '-in', msi], { encoding: 'utf8' })
      expect({ status: verify.status, ok: verify.stdout.includes('Signature verification: ok'), signer: verify.stdout.includes(SIGNER) }).toEqual({
        status: 0,
        ok: true,
        signer: true
      })
      expect(await msiexec('/i', msi)).toBe(0)
      expect(contents(installDir)).toEqual(contents(builds['1.0.0']))
      expect(await windows(path.join(installDir, 'tiny.exe'), ['hello'])).toMatchObject({ status: 0, stdout: 'hello from tiny\r\n' })
      expect(await msiexec('/x', msi)).toBe(0)
      expect(fs.existsSync(installDir)).toBe(false)
      expect(await uninstallEntries()).toEqual([])
    },
    STEP_TIMEOUT
  )
})
