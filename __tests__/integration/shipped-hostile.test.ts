/**
 * The helper that reads what a build ships (src/inspect/shipped-script.ts),
 * run with a real interpreter against a real venv holding hostile wheels
 * (issue 22, defects 1, 3 and 6): License-File entries that climb out of the
 * distribution or name /dev/zero, a license text over the limit, a license
 * file swapped for a symbolic link to a host file and one swapped for a
 * FIFO, and a METADATA in Latin-1. The wheels are written by
 * __tests__/fixtures/hostile_wheels.py and installed with pip, offline; the
 * "build" is a one-folder layout of their modules, which is all the helper
 * needs to map files to distributions.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { REPO, tempDir } from '../e2e/harness.js'
import { SHIPPED_SCRIPT } from '../../src/inspect/shipped-script.js'
import { LIMITS, parseShippedReport, type ShippedReport } from '../../src/inspect/shipped.js'

const MARKER = 'HOSTILE-ENVIRON-MARKER-7731'
const HUGE_MB = 3

describe('the shipped helper against hostile metadata', () => {
  let report: ShippedReport
  let run: { status: number | null; stderr: string; ms: number }
  let hostname = ''
  let runs = 0
  let helper: (limits: typeof LIMITS) => { run: typeof run; report: ShippedReport }

  beforeAll(() => {
    const dir = tempDir('shipped-hostile')
    const wheels = path.join(dir, 'wheels')
    const make = spawnSync('python3', [path.join(REPO, '__tests__', 'fixtures', 'hostile_wheels.py'), wheels, String(HUGE_MB)], { encoding: 'utf8' })
    if (make.status !== 0) throw new Error(make.stderr)
    const venv = path.join(dir, 'venv')
    const python = path.join(venv, 'bin', 'python')
    const sh = (program: string, args: string[]): string => {
      const r = spawnSync(program, args, { encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`${program} ${args.join(' ')}: ${r.stderr}`)
      return r.stdout
    }
    sh('python3', ['-m', 'venv', venv])
    const all = fs.readdirSync(wheels).map((w) => path.join(wheels, w))
    // pip refuses a METADATA that is not UTF-8 (uv, the default installer, installs it): that one is unpacked as an installer would.
    sh(python, ['-m', 'pip', 'install', '-q', '--no-index', '--no-deps', ...all.filter((w) => !w.includes('latin_meta'))])
    const site = sh(python, ['-c', 'import sysconfig;print(sysconfig.get_paths()["purelib"])']).trim()
    sh(python, ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', all.find((w) => w.includes('latin_meta'))!, site])
    // What a hostile source build or a tampered venv could leave: a license file that is a link out, and a FIFO.
    const licenses = path.join(site, 'evil_license-1.0.dist-info', 'licenses')
    fs.rmSync(path.join(licenses, 'LINKED'))
    fs.symlinkSync('/etc/hostname', path.join(licenses, 'LINKED'))
    fs.rmSync(path.join(licenses, 'PIPE'))
    expect(spawnSync('mkfifo', [path.join(licenses, 'PIPE')]).status).toBe(0)
    hostname = fs.existsSync('/etc/hostname') ? fs.readFileSync('/etc/hostname', 'utf8').trim() : ''
    // The build: each module where a one-folder build puts it.
    const root = path.join(dir, 'build', 'app')
    for (const m of ['evil_license', 'latin_meta', 'gpl_later', 'odd_license']) {
      fs.mkdirSync(path.join(root, m), { recursive: true })
      fs.copyFileSync(path.join(site, m, '__init__.py'), path.join(root, m, '__init__.py'))
    }
    const script = path.join(dir, 'shipped.py')
    fs.writeFileSync(script, SHIPPED_SCRIPT)
    helper = (limits) => {
      const out = path.join(dir, `shipped-${++runs}.json`)
      const started = Date.now()
      const r = spawnSync(python, [script, JSON.stringify({ root, mode: 'onedir', executables: [], needles: [], out, limits })], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8', HOSTILE_MARKER: MARKER },
        encoding: 'utf8',
        timeout: 60_000
      })
      return {
        run: { status: r.status, stderr: r.stderr, ms: Date.now() - started },
        report: parseShippedReport(fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '{}')
      }
    }
    ;({ run, report } = helper({ ...LIMITS, licenseText: 1024 * 1024 }))
  }, 120_000)

  it('finishes without a traceback, in seconds', () => {
    expect(run.stderr).not.toContain('Traceback')
    expect(run.status).toBe(0)
    expect(run.ms).toBeLessThan(30_000)
  })

  it('names the distribution whose METADATA is not UTF-8, and still reads it', () => {
    expect(report.problems).toEqual([
      {
        distribution: 'latin-meta 1.0 (latin_meta-1.0.dist-info)',
        problem: 'its METADATA is not UTF-8 (byte 0xe9 at offset 64): read with that byte replaced'
      }
    ])
    expect(report.distributions.map((d) => d.name)).toEqual(['evil-license', 'gpl-later', 'latin-meta', 'odd-license'])
    expect(report.distributions.find((d) => d.name === 'latin-meta')?.license).toBe('GNU GPL v3')
  })

  it('reads only the license file inside the distribution, and names each one it refused, with the reason', () => {
    const evil = report.distributions.find((d) => d.name === 'evil-license')!
    expect(evil.licenseTexts).toEqual([{ file: 'LICENSE', text: 'MIT License\n\nCopyright (c) the evil-license authors\n' }])
    const up = '../'.repeat(20)
    expect(evil.skippedTexts).toEqual([
      { file: `${up}proc/self/environ`, reason: "climbs out of the distribution's folders (..)" },
      { file: `${up}etc/hostname`, reason: "climbs out of the distribution's folders (..)" },
      { file: '/etc/hostname', reason: 'is an absolute path' },
      { file: `${up}dev/zero`, reason: "climbs out of the distribution's folders (..)" },
      { file: '/dev/zero', reason: 'is an absolute path' },
      { file: 'HUGE.txt', reason: `is ${HUGE_MB * 1024 * 1024} bytes, more than the 1048576 a license text may have` },
      { file: 'LINKED', reason: 'goes through a symbolic link' },
      { file: 'PIPE', reason: 'is not a regular file' }
    ])
  })

  it('puts nothing of the host into the report: not its environment, not /etc/hostname', () => {
    const text = JSON.stringify(report)
    expect(text).not.toContain(MARKER)
    expect(text).not.toContain('HOSTILE_MARKER')
    if (hostname) expect(text).not.toContain(`"text":"${hostname}`)
  })

  it('stops at the notices limit: a text past it is named, not read', () => {
    const small = helper({ ...LIMITS, notices: 10 })
    expect(small.run.status).toBe(0)
    const evil = small.report.distributions.find((d) => d.name === 'evil-license')!
    expect(evil.licenseTexts).toEqual([])
    expect(evil.skippedTexts).toContainEqual({ file: 'LICENSE', reason: 'would take the notices file past its 10 bytes' })
  })
})
