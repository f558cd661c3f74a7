/**
 * The bench's pure parts: PyInstaller's phases read from real logs (PyInstaller 6.22.3 building examples/heavy's
 * heavy-predict: one-file by hand, one-folder by hand, one-file inside the action's build stage), its command line,
 * and what it builds for a project without a spec.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { parseArgs } from '../../bench/options.js'
import { pyinstallerPhases } from '../../bench/phases.js'
import { benchTarget, plainBuildArgs } from '../../bench/target.js'

const LOGS = path.join(import.meta.dirname, '..', '..', '__fixtures__', 'pyinstaller-logs')
const log = (name: string): string => fs.readFileSync(path.join(LOGS, name), 'utf8')
const REPO = path.resolve(import.meta.dirname, '..', '..')
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-bench-test-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe('pyinstallerPhases', () => {
  it('reads a one-file build: analysis to the first PYZ, then PYZ, PKG (the payload) and EXE', () => {
    const p = pyinstallerPhases(log('onefile.log'))
    expect(p.analysis).toBeCloseTo(26.909, 3) // 335 ms "Running Analysis" → 27244 ms "Building PYZ (ZlibArchive)"
    expect(p.PYZ).toBeCloseTo(1.023, 3)
    expect(p.PKG).toBeCloseTo(24.87, 3)
    expect(p.EXE).toBeCloseTo(0.364, 3)
    expect(p.COLLECT).toBeUndefined()
    expect(p.total).toBeCloseTo(53.543, 3)
  })

  it('reads a one-folder build: a PKG of the scripts alone, and a COLLECT', () => {
    const p = pyinstallerPhases(log('onedir.log'))
    expect(p.analysis).toBeCloseTo(31.28, 3)
    expect(p.PYZ).toBeCloseTo(1.079, 3)
    expect(p.PKG).toBeCloseTo(0.017, 3)
    expect(p.EXE).toBeCloseTo(0.043, 3)
    expect(p.COLLECT).toBeCloseTo(0.241, 3)
    expect(p.total).toBeCloseTo(33.146, 3)
  })

  it("reads the build stage of the action's log, between its group markers and command lines", () => {
    const text = log('action-build-stage.log')
    expect(text).toMatch(/^::group::build$/m)
    const p = pyinstallerPhases(text)
    expect(p.analysis).toBeCloseTo(26.165, 3)
    expect(p.PYZ).toBeCloseTo(3.046, 3) // compression-level 9 also applies to the PYZ (PyInstaller's own default there: 6)
    expect(p.PKG).toBeCloseTo(24.914, 3)
    expect(p.EXE).toBeCloseTo(0.312, 3)
  })

  it('adds up the phases of several Analyses (one per entry point) and ignores what is not a log line', () => {
    const p = pyinstallerPhases(
      [
        '100 INFO: Running Analysis Analysis-00.toc',
        '[command]/usr/bin/something 1200 INFO: Building PYZ (ZlibArchive) x',
        '1100 INFO: Building PYZ because PYZ-00.toc is non existent',
        '1100 INFO: Building PYZ (ZlibArchive) /w/PYZ-00.pyz',
        '1300 INFO: Building PYZ (ZlibArchive) /w/PYZ-00.pyz completed successfully.',
        '1300 INFO: Building PKG (CArchive) one.pkg',
        '2300 INFO: Building PKG (CArchive) one.pkg completed successfully.',
        '2400 INFO: Running Analysis Analysis-01.toc',
        '2900 WARNING: Hidden import "x" not found!',
        '3400 INFO: Building PYZ (ZlibArchive) /w/PYZ-01.pyz',
        '3500 INFO: Building PYZ (ZlibArchive) /w/PYZ-01.pyz completed successfully.',
        '3500 INFO: Building PKG (CArchive) two.pkg',
        '4000 INFO: Building PKG (CArchive) two.pkg completed successfully.',
        '4100 INFO: Build complete! The results are available in: /w/dist'
      ].join('\n')
    )
    expect(p).toEqual({ analysis: 2, PYZ: 0.3, PKG: 1.5, total: 4.1 })
  })

  it('gives nothing for a log without PyInstaller lines', () => {
    expect(pyinstallerPhases('Traceback (most recent call last):\n  File "x"\nModuleNotFoundError: No module named PyInstaller\n')).toEqual({})
  })
})

describe('the command line', () => {
  let exit: jest.SpiedFunction<typeof process.exit>
  let errors: string[]
  beforeEach(() => {
    errors = []
    exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`)
    })
    jest.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)))
  })
  afterEach(() => {
    jest.restoreAllMocks()
  })

  it('builds examples/chatty from its spec with the dev extra by default', () => {
    expect(parseArgs([])).toMatchObject({
      project: 'examples/chatty',
      spec: 'packaging/chatty_cli.spec',
      entry: '',
      extras: ['dev'],
      runs: 3,
      smoke: '--help',
      startupRuns: 15
    })
  })

  it('builds another project from its entry points, with no extras, unless told', () => {
    expect(parseArgs(['--project', 'examples/heavy/', '--smoke=5.1 3.5 1.4 0.2', '--runs', '5'])).toMatchObject({
      project: 'examples/heavy',
      spec: '',
      extras: [],
      smoke: '5.1 3.5 1.4 0.2',
      runs: 5
    })
    expect(parseArgs(['--entry', 'chatty'])).toMatchObject({ project: 'examples/chatty', spec: '', entry: 'chatty', extras: ['dev'] })
  })

  it.each([
    [['--runs', '0'], /--runs must be a whole number ≥ 1, not '0'/],
    [['--startup-runs', '1.5'], /--startup-runs must be a whole number ≥ 1, not '1.5'/],
    [['--spec', 'a.spec', '--entry', 'x'], /--spec and --entry exclude each other/],
    [['--fast'], /unknown option --fast/],
    [['--project'], /--project needs a value/]
  ])('refuses %j with a usage error and exit code 2', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow('exit 2')
    expect(exit).toHaveBeenCalledWith(2)
    expect(errors.join('\n')).toMatch(message)
    expect(errors.join('\n')).toMatch(/^usage: npm run bench/m)
  })

  it('names the entry points a project has when --entry names none of them', () => {
    expect(() => benchTarget({ spec: '', entry: 'nope' }, path.join(REPO, 'examples', 'heavy'))).toThrow('exit 2')
    expect(errors.join('\n')).toMatch(/--entry nope: .*has no such \[project.scripts\] entry \(it has heavy-predict, heavy-serve\)/)
  })
})

describe('what the bench builds', () => {
  it("takes a project's first console script, and the action's own wrapper for it", () => {
    const t = benchTarget({ spec: '', entry: '' }, path.join(REPO, 'examples', 'heavy'))
    expect(t).toMatchObject({ kind: 'entry', name: 'heavy-predict', ref: 'heavy_app.predict:main', topPackage: 'heavy_app' })
    const dir = path.join(scratch, 'spec')
    const args = plainBuildArgs(t, dir)
    const script = path.join(dir, 'heavy-predict-entry.py')
    expect(args).toEqual(['--onefile', '--name', 'heavy-predict', '--collect-data', 'heavy_app', '--specpath', dir, script])
    expect(fs.readFileSync(script, 'utf8')).toContain('from heavy_app.predict import main\n')
  })

  it('builds the spec as it is when there is one', () => {
    const t = benchTarget({ spec: 'packaging/chatty_cli.spec', entry: '' }, path.join(REPO, 'examples', 'chatty'))
    expect(plainBuildArgs(t, path.join(scratch, 'unused'))).toEqual([path.join(REPO, 'examples', 'chatty', 'packaging', 'chatty_cli.spec')])
  })
})
