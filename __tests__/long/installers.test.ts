/**
 * The installers, installed where end users install them, made through
 * dist/ as a runner makes them:
 * - .deb: the tiny fixture and examples/chatty built on this machine (glibc
 *   newer than bullseye's 2.31) are refused by dpkg -i inside the Debian 11
 *   root filesystem with dpkg's own message naming libc6; built inside
 *   bullseye by the action (as in a job container) they install, run from
 *   /usr/bin, and dpkg -r leaves nothing of them.
 * - .rpm: rpm -qip / -qlp read them; rpm -i refuses them without glibc in the
 *   rpm database; rpm --root … -i --nodeps installs them into a scratch root,
 *   where the installed program runs, rpm -V verifies every file, and rpm -e
 *   leaves nothing.
 * - .msi: tables and cabinet from the action's modules, the database made by
 *   Wine's msidb.exe (as on a Windows runner with the SDK's), installed under
 *   Wine 8 with msiexec /i /qn per user, run, upgraded by a second version
 *   (one installed copy, the old file gone, PATH not doubled), and removed with
 *   msiexec /x. Its program is a stand-in (Wine's hostname.exe) until the
 *   Windows-under-Wine harness builds the tiny fixture for Windows.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { expectExit, runAction, runBuilt, sample, tempDir, type ActionRun } from '../e2e/harness.js'
import { ensureTarball, missingForRootfs, mountsUnder, runActionInside, runInside, unpackRootfs } from './bullseye.js'
import { installEntries } from '../../src/installers/layout.js'
import { writeCab } from '../../src/installers/cab.js'
import { idtFile, idtText, msiDatabaseCommands, planMsi } from '../../src/installers/msi.js'
import { sha256Hex } from '../../src/installers/rpm.js'
import { platformFor } from '../../src/platform.js'

const TIMEOUT = 1_800_000
const MAINTAINER = 'build-standalone tests <tests@example.org>'
const missingRootfs = missingForRootfs()
const hasRpm = spawnSync('rpm', ['--version']).status === 0
const WINE_STANDIN = '/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/hostname.exe'
const hasWine = spawnSync('wine', ['--version']).status === 0 && fs.existsSync(WINE_STANDIN)
for (const [what, why] of [
  ['bullseye', missingRootfs],
  ['rpm', hasRpm ? '' : 'rpm is not installed'],
  ['wine', hasWine ? '' : 'wine64 is not installed']
])
  if (why) process.stderr.write(`installers: the ${what} tests are skipped (${why})\n`)

const assetOf = (run: { outputs: Record<string, string> }, mode: string): { name: string; path: string; glibc?: string } => {
  const a = (JSON.parse(run.outputs.assets) as { name: string; path: string; mode: string; glibc?: string }[]).find((x) => x.mode === mode)
  if (!a) throw new Error(`no ${mode} asset in ${run.outputs.assets}`)
  return a
}

/** Every file and folder under `dir`, relative, sorted. */
const tree = (dir: string): string[] => (fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).sort() : [])

describe('installers built on this machine (tiny: one-folder; chatty: one-file from its spec)', () => {
  const runs: Record<'tiny' | 'chatty', ActionRun> = {} as never
  beforeAll(async () => {
    runs.tiny = await runAction({ 'project-path': sample('tiny'), formats: 'archive, deb, rpm', 'package-maintainer': MAINTAINER, upload: 'never' })
    runs.chatty = await runAction({
      'project-path': sample('chatty'),
      extras: 'dev',
      spec: 'packaging/chatty_cli.spec',
      formats: 'deb\nrpm',
      'package-maintainer': MAINTAINER,
      upload: 'never'
    })
  }, TIMEOUT)

  it('lists the installers in assets, the installers output and the checksums file', () => {
    expectExit(runs.tiny, 0)
    expectExit(runs.chatty, 0)
    expect(runs.tiny.outputs.installers.split('\n').map((p) => path.basename(p))).toEqual(['tiny-tool_1.0.0_amd64.deb', 'tiny-tool-1.0.0-1.x86_64.rpm'])
    // formats without archive: no archive, the SBOM all the same.
    expect(runs.chatty.outputs.archives).toBe('')
    expect((JSON.parse(runs.chatty.outputs.assets) as { mode: string }[]).map((a) => a.mode)).toEqual(['sbom', 'deb', 'rpm', 'checksums'])
    const sums = fs.readFileSync(runs.tiny.outputs.checksums, 'utf8')
    for (const mode of ['deb', 'rpm']) {
      const a = assetOf(runs.tiny, mode)
      expect(sums).toContain(`${sha256Hex(a.path)}  ${a.name}\n`)
      expect(a.glibc).toBe(runs.tiny.outputs['glibc-floor'])
    }
  })

  ;(missingRootfs ? describe.skip : describe)('in the Debian 11 bullseye root filesystem (glibc 2.31)', () => {
    let root: string
    beforeAll(() => {
      ensureTarball()
      root = unpackRootfs()
    }, TIMEOUT)

    it.each(['tiny', 'chatty'] as const)('dpkg -i refuses the %s package, whose floor is newer, with its own message naming libc6', (name) => {
      const deb = assetOf(runs[name], 'deb')
      fs.copyFileSync(deb.path, path.join(root, 'tmp', deb.name))
      const r = runInside(root, ['dpkg', '-i', `/tmp/${deb.name}`])
      process.stdout.write(`installers: dpkg -i ${deb.name} in bullseye: exit ${r.status}\n${r.stderr.trim()}\n`)
      expect(r.status).not.toBe(0)
      expect(r.stderr).toMatch(
        new RegExp(`depends on libc6 \\(>= ${deb.glibc!.replace('.', '\\.')}\\); however:\\s+Version of libc6:amd64 on system is 2\\.31`)
      )
      runInside(root, ['dpkg', '--purge', deb.name.split('_')[0]])
      expect(fs.existsSync(path.join(root, 'usr', 'bin', name === 'tiny' ? 'tiny' : 'chatty'))).toBe(false)
      expect(mountsUnder(root)).toEqual([])
    })

    it.each([
      ['tiny', '__tests__/fixtures/tiny', {}, 'tiny', ['hello'], 'hello from tiny\n'],
      ['chatty', 'examples/chatty', { extras: 'dev', spec: 'packaging/chatty_cli.spec' }, 'chatty', ['list'], '']
    ] as const)(
      'builds %s inside bullseye as a .deb that dpkg -i installs, that runs from /usr/bin, and that dpkg -r removes leaving nothing',
      (name, project, inputs, exe, args, stdout) => {
        const r = runActionInside(root, project, { ...inputs, formats: 'deb', 'package-maintainer': MAINTAINER })
        if (r.status !== 0)
          throw new Error(`The action failed inside bullseye (exit ${r.status}):\n${`${r.stdout}\n${r.stderr}`.split('\n').slice(-40).join('\n')}`)
        const deb = assetOf(r, 'deb')
        const before = tree(path.join(root, 'opt'))
        const install = runInside(root, ['dpkg', '-i', deb.path])
        expect({ status: install.status, stderr: install.stderr }).toEqual({ status: 0, stderr: '' })
        const pkg = deb.name.split('_')[0]
        expect(fs.readlinkSync(path.join(root, 'usr', 'bin', exe))).toMatch(new RegExp(`^/opt/${pkg}/`))
        const ran = runInside(root, [`/usr/bin/${exe}`, ...args], { env: { TMPDIR: '/tmp' } })
        process.stdout.write(`installers: ${name} from /usr/bin in bullseye (floor ${deb.glibc}): exit ${ran.status}: ${ran.stdout.slice(0, 200)}\n`)
        expect(ran.status).toBe(0)
        if (stdout) expect(ran.stdout).toBe(stdout)
        expect(runInside(root, ['dpkg', '-s', pkg]).stdout).toMatch(/Status: install ok installed/)
        const remove = runInside(root, ['dpkg', '-r', pkg])
        expect(remove.status).toBe(0)
        expect(tree(path.join(root, 'opt'))).toEqual(before)
        expect(fs.existsSync(path.join(root, 'usr', 'bin', exe))).toBe(false)
        expect(runInside(root, ['dpkg', '-L', pkg]).status).not.toBe(0)
        expect(mountsUnder(root)).toEqual([])
      },
      TIMEOUT
    )
  })

  ;(hasRpm ? describe : describe.skip)('rpm', () => {
    it.each([
      ['tiny', 'tiny', ['hello'], 'hello from tiny\n'],
      ['chatty', 'chatty', ['list'], '']
    ] as const)(
      'reads the %s package, refuses it without glibc, installs it into a scratch root where it runs and verifies, and removes it',
      (name, exe, args, stdout) => {
        const rpm = assetOf(runs[name], 'rpm')
        const pkg = rpm.name.replace(/-[^-]+-1\.x86_64\.rpm$/, '')
        const info = spawnSync('rpm', ['-qip', rpm.path], { encoding: 'utf8' })
        expect(info.stdout).toMatch(new RegExp(`^Name +: ${pkg}$`, 'm'))
        expect(info.stdout).toMatch(/^Packager +: build-standalone tests <tests@example.org>$/m)
        const files = spawnSync('rpm', ['-qlp', rpm.path], { encoding: 'utf8' }).stdout.trim().split('\n')
        expect(files).toContain(`/usr/bin/${exe}`)
        expect(files.every((f) => f === `/usr/bin/${exe}` || f === `/opt/${pkg}` || f.startsWith(`/opt/${pkg}/`))).toBe(true)
        const scratch = tempDir('rpm-root')
        const refused = spawnSync('rpm', ['--root', scratch, '-i', rpm.path], { encoding: 'utf8' })
        expect(refused.status).not.toBe(0)
        expect(refused.stderr).toContain(`glibc >= ${rpm.glibc} is needed by ${rpm.name.replace(/\.rpm$/, '')}`)
        const installed = spawnSync('rpm', ['--root', scratch, '-i', '--nodeps', rpm.path], { encoding: 'utf8' })
        expect(installed.status).toBe(0)
        expect(fs.readlinkSync(path.join(scratch, 'usr', 'bin', exe))).toMatch(new RegExp(`^/opt/${pkg}/`))
        // The scratch root has no system to run in; the installed file runs on this machine, whose glibc is new enough.
        const target = path.join(scratch, fs.readlinkSync(path.join(scratch, 'usr', 'bin', exe)))
        const ran = runBuilt(target, [...args], tempDir('rpm-run'))
        expect(ran.status).toBe(0)
        if (stdout) expect(ran.stdout).toBe(stdout)
        const verify = spawnSync('rpm', ['--root', scratch, '-V', '--nodeps', pkg], { encoding: 'utf8' })
        expect({ status: verify.status, out: verify.stdout }).toEqual({ status: 0, out: '' })
        expect(spawnSync('rpm', ['--root', scratch, '-e', '--nodeps', pkg]).status).toBe(0)
        expect(tree(path.join(scratch, 'opt'))).toEqual([])
        expect(fs.existsSync(path.join(scratch, 'usr', 'bin', exe))).toBe(false)
      }
    )
  })
})

;(hasWine ? describe : describe.skip)('the MSI under Wine 8 (a stand-in program until Windows builds run here)', () => {
  const windows = platformFor('win32', 'x64')
  let prefix: string
  const wine = (args: string[]): { status: number | null; out: string } => {
    const r = spawnSync('wine', args, { env: { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all' }, encoding: 'utf8', timeout: 300_000 })
    // msiexec returns before its service is done: wait for every process of the prefix.
    spawnSync('wineserver', ['-w'], { env: { ...process.env, WINEPREFIX: prefix }, timeout: 300_000 })
    return { status: r.status, out: `${r.stdout}${r.stderr}` }
  }
  const z = (p: string): string => `Z:${p.replace(/\//g, '\\')}`
  const meta = (version: string) => ({
    name: 'tiny-tool',
    version,
    summary: 'Tiny tool',
    license: 'MIT',
    homepage: '',
    maintainer: MAINTAINER,
    vendor: 'build-standalone tests',
    epoch: 1_700_000_000
  })

  /** A one-folder "build" (the stand-in as tiny.exe and tiny-gui.exe, and a file of each version), made into an MSI by Wine's msidb. */
  function make(version: string, only: string): string {
    const dir = tempDir(`msi-${version}`)
    const root = path.join(dir, 'tiny')
    fs.mkdirSync(path.join(root, '_internal'), { recursive: true })
    fs.copyFileSync(WINE_STANDIN, path.join(root, 'tiny.exe'))
    fs.copyFileSync(WINE_STANDIN, path.join(root, 'tiny-gui.exe'))
    fs.writeFileSync(path.join(root, '_internal', only), version)
    const entries = installEntries(windows, { mode: 'onedir', name: 'tiny', root, executables: [] })
    const programs = [
      { name: 'tiny.exe', path: 'tiny.exe', windowed: false },
      { name: 'tiny-gui.exe', path: 'tiny-gui.exe', windowed: true }
    ]
    const cab = path.join(dir, 'app.cab')
    writeCab(
      cab,
      planMsi(meta(version), 'x64', entries, programs, '').files.map((f) => ({ name: f.key, source: f.source })),
      1_700_000_000,
      dir
    )
    const plan = planMsi(meta(version), 'x64', entries, programs, sha256Hex(cab))
    fs.mkdirSync(path.join(dir, 'tables'))
    for (const t of plan.tables) fs.writeFileSync(path.join(dir, 'tables', idtFile(t)), idtText(t), 'latin1')
    const msi = path.join(dir, `tiny-tool-${version}-windows-x64.msi`)
    for (const cmd of msiDatabaseCommands({ kind: 'msidb', program: 'msidb' }, z(msi), z(path.join(dir, 'tables')), plan.tables, z(cab)))
      expect(wine([cmd.program, ...cmd.args]).status).toBe(0)
    return msi
  }

  beforeAll(() => {
    prefix = tempDir('wineprefix')
    wine(['winecfg', '/v', 'win10'])
  }, TIMEOUT)

  it('installs per user, runs, is replaced by a newer version (one copy), and is removed by msiexec /x', () => {
    const home = path.join(prefix, 'drive_c', 'users', process.env.USER || 'root')
    const installDir = path.join(home, 'AppData', 'Local', 'Programs', 'tiny-tool')
    const shortcut = path.join(home, 'AppData', 'Roaming', 'Microsoft', 'Windows', 'Start Menu', 'Programs', 'tiny-gui.lnk')
    const userPath = (): string => wine(['reg', 'query', 'HKCU\\Environment', '/v', 'PATH']).out
    const products = (): string[] =>
      wine(['reg', 'query', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall', '/s'])
        .out.split('\n')
        .filter((l) => /DisplayName\s+REG_SZ\s+tiny-tool/.test(l))

    const v1 = make('1.0.0', 'one.txt')
    expect(wine(['msiexec', '/i', z(v1), '/qn']).status).toBe(0)
    expect(tree(installDir)).toEqual(['_internal', path.join('_internal', 'one.txt'), 'tiny-gui.exe', 'tiny.exe'])
    expect(fs.existsSync(shortcut)).toBe(true)
    expect(userPath()).toMatch(/PATH\s+REG_SZ\s+C:\\users\\[^\\]+\\AppData\\Local\\Programs\\tiny-tool\\/)
    const ran = wine([z(path.join(installDir, 'tiny.exe'))])
    expect(ran.status).toBe(0)
    expect(ran.out.trim()).toBe(wine(['hostname']).out.trim())

    const v2 = make('1.1.0', 'two.txt')
    expect(wine(['msiexec', '/i', z(v2), '/qn']).status).toBe(0)
    expect(tree(installDir)).toEqual(['_internal', path.join('_internal', 'two.txt'), 'tiny-gui.exe', 'tiny.exe'])
    expect(products()).toHaveLength(1)
    expect(userPath().match(/tiny-tool/g)).toHaveLength(1)
    // The older one refuses to replace the newer (the launch condition: exit 1603, which Wine's exit status cuts to 67).
    expect(wine(['msiexec', '/i', z(v1), '/qn']).status).not.toBe(0)
    expect(fs.existsSync(path.join(installDir, '_internal', 'two.txt'))).toBe(true)

    expect(wine(['msiexec', '/x', z(v2), '/qn']).status).toBe(0)
    expect(fs.existsSync(installDir)).toBe(false)
    expect(fs.existsSync(shortcut)).toBe(false)
    expect(products()).toEqual([])
    expect(userPath()).not.toContain('tiny-tool')
  })
})
