/**
 * Smoke tests: every command against every built executable, with a time
 * limit, from an empty folder and with the build venv off PATH, so that a
 * pass means the executable runs without Python. Failures are diagnosed.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import type { Build, Executable } from './freeze/index.js'
import { display, runWithTimeout, tail, type Command, type TimedResult } from './exec.js'
import { InputError, StageError } from './errors.js'
import { BUILDER_TITLES, TRACEBACK_FILE_ENV, type BuilderName, type Config, type SmokeCommand } from './config.js'

export interface SmokeRun {
  readonly build: Build
  readonly executable: Executable
  readonly test: SmokeCommand
  readonly command: Command
}

/**
 * Whether two PATH entries name the same folder. Windows (';' between
 * entries) compares case-insensitively, as its file systems and PATH lookup
 * do (Microsoft, "Naming Files, Paths, and Namespaces": "do not assume case
 * sensitivity ... NTFS ... case-insensitive"), and with its own separators.
 */
export function samePathEntry(a: string, b: string, delimiter: string): boolean {
  if (delimiter === ';') return path.win32.resolve(a).toLowerCase() === path.win32.resolve(b).toLowerCase()
  return path.resolve(a) === path.resolve(b)
}

/** The variables that would let a build lean on the build venv, removed; PATH without the venv. */
export function smokeEnv(env: Readonly<Record<string, string | undefined>>, venvBinDir: string, delimiter: string): Record<string, string | undefined> {
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH'
  const entries = (env[pathKey] ?? '').split(delimiter).filter((p) => p && !samePathEntry(p, venvBinDir, delimiter))
  return { [pathKey]: entries.join(delimiter), VIRTUAL_ENV: undefined, PYTHONHOME: undefined, PYTHONPATH: undefined }
}

/** Every test against every executable of every build; a `[name]` test only against executables of that name. */
export function planSmoke(builds: readonly Build[], tests: readonly SmokeCommand[], cwd: string, env: Command['env']): SmokeRun[] {
  const names = new Set(builds.flatMap((b) => b.executables.map(executableName)))
  const unknown = tests.find((t) => t.only && !names.has(t.only))
  if (unknown)
    throw new InputError(
      'smoke-test',
      `the line \`${unknown.line}\` names the executable '${unknown.only}', but the build made ${[...names].join(', ')}.`,
      'Use one of those names in the brackets.'
    )
  return builds.flatMap((build) =>
    build.executables.flatMap((executable) =>
      tests
        .filter((t) => !t.only || t.only === executableName(executable))
        .map((test) => ({ build, executable, test, command: { program: executable.path, args: test.args, cwd, env } }))
    )
  )
}

/** An executable's name without `.exe`, as `[name]` in a smoke-test line gives it. */
export const executableName = (e: Executable): string => e.name.replace(/\.exe$/i, '')

/** Where the fixes a diagnosis suggests go, for the builder used. */
export interface Remedies {
  readonly builder: string
  readonly hiddenImport: string
  readonly dataFile: string
}

export const PYINSTALLER_REMEDIES: Remedies = {
  builder: BUILDER_TITLES.pyinstaller,
  hiddenImport: 'hiddenimports in the .spec file (or to the hidden-imports input)',
  dataFile: 'datas in the .spec file (or to the add-data input)'
}

export const NUITKA_REMEDIES: Remedies = {
  builder: BUILDER_TITLES.nuitka,
  hiddenImport: "the hidden-imports input (Nuitka's --include-module)",
  dataFile: 'the add-data input (or collect data:package for the data of a package)'
}

const REMEDIES: Readonly<Record<BuilderName, Remedies>> = { pyinstaller: PYINSTALLER_REMEDIES, nuitka: NUITKA_REMEDIES }

export const remediesFor = (config: Pick<Config, 'builder'>): Remedies => REMEDIES[config.builder]

/** Why a smoke run failed, and what fixes it. '' when it passed. */
export function diagnose(
  result: Pick<TimedResult, 'exitCode' | 'signal' | 'timedOut' | 'output'> & Partial<Pick<TimedResult, 'survivors'>>,
  timeoutSeconds: number,
  remedies: Remedies = PYINSTALLER_REMEDIES
): string {
  const advice = 'A command that waits for input or starts a server never ends: use one that exits (such as --help), or raise smoke-timeout.'
  const survivors = result.survivors ?? []
  if (result.timedOut && survivors.length)
    return `it did not finish within ${timeoutSeconds} s, and process ${survivors.join(', ')} of it still ran after every way of stopping it had been tried: the run stopped waiting for ${survivors.length === 1 ? 'it' : 'them'}, and ${survivors.length === 1 ? 'it' : 'they'} may still be running on this machine. ${advice}`
  if (result.timedOut) return `it did not finish within ${timeoutSeconds} s and was stopped. ${advice}`
  if (result.exitCode === 0) return ''
  const out = result.output
  const missing = /ModuleNotFoundError: No module named '([^']+)'/.exec(out)
  if (missing)
    return `missing hidden import: the executable does not contain the module '${missing[1]}', which is imported at run time in a way ${remedies.builder} cannot see. Add '${missing[1]}' to ${remedies.hiddenImport}.`
  const importName = /ImportError: cannot import name '([^']+)' from '([^']+)'/.exec(out)
  if (importName)
    return `import error: '${importName[1]}' could not be imported from '${importName[2]}'. A submodule is probably missing from the build: add '${importName[2]}' with its submodules to ${remedies.hiddenImport}.`
  const data = /(?:FileNotFoundError|No such file or directory)[^\n]*?'([^'\n]*(?:_MEI|_internal|onefile_\d|\.dist[\\/])[^'\n]*)'/.exec(out)
  if (data) return `missing data file: '${data[1]}' is not in the build. Add it to ${remedies.dataFile}.`
  return libraryProblem(out, result.exitCode) ?? fallback(result)
}

/**
 * A shared library that could not be loaded, in the words of each system's
 * loader: glibc's ld.so ("error while loading shared libraries: X: cannot
 * open shared object file"), macOS dyld ("Library not loaded: X"; and the
 * hardened runtime's library validation, "code signature in (X) not valid for use in
 * process using Library Validation", PyInstaller manual, "macOS binary code signing"), and
 * Windows, which ends the process with an NTSTATUS exit code (Microsoft,
 * [MS-ERREF] 2.3.1: 0xC0000135 STATUS_DLL_NOT_FOUND, 0xC000007B
 * STATUS_INVALID_IMAGE_FORMAT).
 */
export function libraryProblem(out: string, exitCode: number | null): string | undefined {
  const validation = /code signature in[^\n]*?(?:'([^'\n]+)'|\(([^)\n]+)\))[^\n]*?not valid for use in process/.exec(out)
  if (validation)
    return `the hardened runtime refused to load '${validation[1] ?? validation[2]}' (library validation: it is not signed by the same team as the executable). Sign with the entitlement com.apple.security.cs.disable-library-validation (in the default entitlements when macos-entitlements is empty).`
  const lib = /error while loading shared libraries: ([^:\s]+)/.exec(out) ?? /Library not loaded: ([^\s]+)/.exec(out)
  if (lib) return `missing shared library '${lib[1]}' on this machine or in the build.`
  const status = exitCode === null ? undefined : exitCode >>> 0
  if (status === 0xc0000135)
    return 'a DLL it needs was not found (exit code 0xC0000135, STATUS_DLL_NOT_FOUND): a DLL the build does not contain and this machine does not have, such as a Visual C++ runtime.'
  if (status === 0xc000007b)
    return 'Windows could not load one of its DLLs (exit code 0xC000007B, STATUS_INVALID_IMAGE_FORMAT): usually a DLL for another architecture (32-bit and 64-bit mixed).'
  return undefined
}

function fallback(result: Pick<TimedResult, 'exitCode' | 'signal'>): string {
  if (result.exitCode === null) return result.signal ? `it was killed by signal ${result.signal}.` : 'it could not be started.'
  return `it exited with code ${result.exitCode}.`
}

export interface SmokeFailure {
  readonly run: SmokeRun
  readonly reason: string
  readonly output: string
}

export function describeFailure(f: SmokeFailure): string {
  const last = tail(f.output, 15, 2048)
  return `${f.run.build.mode} build ${f.run.build.name}: \`${f.run.executable.name} ${f.run.test.only ? f.run.test.line.replace(/^\[[^\]]*\]\s*/, '') : f.run.test.line}\` failed: ${f.reason}${last ? `\n  Last lines of its output:\n${last.replace(/^/gm, '    ')}` : ''}`
}

/** How many failures the final message shows with the last lines of their output (the log has every one). */
export const MAX_FAILURES_WITH_OUTPUT = 10

/**
 * Runs one smoke command with TRACEBACK_FILE_ENV set to a fresh file, and
 * adds what the program wrote there to its output: a windowed Windows build
 * has no console to print an unhandled exception to, and writes it there
 * instead of opening a dialog (freeze/spec.ts, windowedTracebackHook), so
 * that the diagnosis can name the missing module.
 */
export async function runReportingTraceback(command: Command, timeoutMs: number, dir: string): Promise<TimedResult> {
  const file = fs.mkdtempSync(path.join(dir, 'traceback-')) + path.sep + 'traceback.txt'
  try {
    const result = await runWithTimeout({ ...command, env: { ...command.env, [TRACEBACK_FILE_ENV]: file } }, timeoutMs)
    const traceback = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : ''
    return traceback ? { ...result, output: `${result.output}${result.output.endsWith('\n') || !result.output ? '' : '\n'}${traceback}\n` } : result
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true })
  }
}

/** Runs every smoke test; throws one StageError listing every failure. */
/** How long one smoke command ran against one executable: the executable's start-up plus the command's work. */
export interface SmokeTiming {
  readonly build: string
  readonly mode: Build['mode']
  readonly executable: string
  readonly args: readonly string[]
  readonly ms: number
}

/** Runs every smoke command against every executable; returns how long each passing run took. */
export async function smokeTest(config: Config, builds: readonly Build[], venvBinDir: string, delimiter: string): Promise<SmokeTiming[]> {
  if (!config.smokeTests.length) {
    core.notice('No smoke-test commands are set, so the executables were built but not run. Add smoke-test lines such as --help.')
    return []
  }
  const timings: SmokeTiming[] = []
  const cwd = path.join(config.workDir, 'smoke')
  fs.mkdirSync(cwd, { recursive: true })
  const runs = planSmoke(builds, config.smokeTests, cwd, smokeEnv(process.env, venvBinDir, delimiter))
  const failures: SmokeFailure[] = []
  for (const run of runs) {
    core.info(`$ ${display({ program: run.executable.name, args: run.test.args })}   [${run.build.mode}: ${run.executable.path}]`)
    const result = await runReportingTraceback(run.command, config.smokeTimeoutSeconds * 1000, cwd)
    const reason = diagnose(result, config.smokeTimeoutSeconds, remediesFor(config))
    // The output is logged once, bounded; the error annotation and the final message repeat only its last lines.
    core.info(tail(result.output, 40, 8192).replace(/^/gm, '  '))
    if (reason) {
      // Said once here, as a log line: the stage's error (the run's one annotation) names every failure again.
      failures.push({ run, reason, output: result.output })
      core.info(`  failed in ${(result.ms / 1000).toFixed(1)} s: ${reason}`)
    } else {
      core.info(`  passed in ${(result.ms / 1000).toFixed(1)} s`)
      timings.push({ build: run.build.name, mode: run.build.mode, executable: run.executable.name, args: run.test.args, ms: result.ms })
    }
  }
  if (failures.length) {
    // Every failure is named; the output of the first few only, so that the message stays readable and bounded.
    const shown = failures.map((f, i) => describeFailure(i < MAX_FAILURES_WITH_OUTPUT ? f : { ...f, output: '' }))
    throw new StageError('smoke', `${failures.length} of ${runs.length} smoke test${runs.length === 1 ? '' : 's'} failed:\n${shown.join('\n')}`)
  }
  return timings
}
