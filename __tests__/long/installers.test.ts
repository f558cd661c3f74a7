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
 *
 * The MSI, made of a real Windows build by the action under Wine and
 * installed, upgraded and removed by msiexec, is msi.test.ts.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { expectExit, runAction, runBuilt, sample, tempDir, type ActionRun } from '../e2e/harness.js'
import { ensureTarball, missingForRootfs, mountsUnder, runActionInside, runInside, unpackRootfs } from './bullseye.js'
import { sha256Hex } from '../../src/installers/rpm.js'

const TIMEOUT = 1_800_000
const MAINTAINER = 'build-standalone tests <tests@example.org>'
const missingRootfs = missingForRootfs()
const hasRpm = spawnSync('rpm', ['--version']).status === 0
for (const [what, why] of [
  ['bullseye', missingRootfs],
  ['rpm', hasRpm ? '' : 'rpm is not installed']
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
