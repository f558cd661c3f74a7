import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, it, expect } from '@jest/globals'
import type { Build } from '../../src/freeze/index.js'
import {
  describeFailure,
  diagnose,
  NUITKA_REMEDIES,
  planSmoke,
  PYINSTALLER_REMEDIES,
  remediesFor,
  runReportingTraceback,
  smokeEnv,
  type SmokeRun
} from '../../src/smoke.js'
import { TRACEBACK_FILE_ENV, type SmokeCommand } from '../../src/config.js'

describe('smokeEnv', () => {
  it('removes the venv bin folder from PATH and keeps the rest in order', () => {
    const env = { PATH: '/rt/venv/bin:/usr/local/bin:/usr/bin:/rt/venv/bin/', HOME: '/home/runner' }
    expect(smokeEnv(env, '/rt/venv/bin', ':')).toEqual({
      PATH: '/usr/local/bin:/usr/bin',
      VIRTUAL_ENV: undefined,
      PYTHONHOME: undefined,
      PYTHONPATH: undefined
    })
  })

  it('removes the venv from a Windows PATH whatever its case, slashes or trailing separator (Windows paths are case-insensitive)', () => {
    const venvBin = 'D:\\a\\_temp\\build-standalone\\venv\\Scripts'
    for (const spelling of [
      'd:\\A\\_TEMP\\build-standalone\\venv\\scripts',
      'D:/a/_temp/build-standalone/venv/Scripts/',
      'D:\\a\\_temp\\build-standalone\\venv\\Scripts\\'
    ]) {
      const out = smokeEnv({ Path: `C:\\Windows\\system32;${spelling};C:\\tools` }, venvBin, ';')
      expect(out.Path).toBe('C:\\Windows\\system32;C:\\tools')
    }
  })

  it("keeps Windows' Path key and ; delimiter", () => {
    const venvBin = 'D:\\a\\_temp\\build-standalone\\venv\\Scripts'
    const env = {
      Path: `C:\\Windows\\system32;${venvBin};C:\\hostedtoolcache\\windows\\Python\\3.11.9\\x64`,
      VIRTUAL_ENV: 'D:\\a\\_temp\\build-standalone\\venv'
    }
    const out = smokeEnv(env, venvBin, ';')
    expect(out).toEqual({
      Path: 'C:\\Windows\\system32;C:\\hostedtoolcache\\windows\\Python\\3.11.9\\x64',
      VIRTUAL_ENV: undefined,
      PYTHONHOME: undefined,
      PYTHONPATH: undefined
    })
    expect(Object.keys(out)).not.toContain('PATH')
  })

  it('unsets VIRTUAL_ENV, PYTHONHOME and PYTHONPATH (present as keys with undefined values)', () => {
    const out = smokeEnv({ PATH: '/usr/bin', VIRTUAL_ENV: '/rt/venv', PYTHONHOME: '/x', PYTHONPATH: '/y' }, '/rt/venv/bin', ':')
    expect(Object.keys(out).sort()).toEqual(['PATH', 'PYTHONHOME', 'PYTHONPATH', 'VIRTUAL_ENV'])
    expect(out.VIRTUAL_ENV).toBeUndefined()
    expect(out.PYTHONHOME).toBeUndefined()
    expect(out.PYTHONPATH).toBeUndefined()
  })

  it('treats an equivalent spelling of the venv folder as the same folder', () => {
    expect(smokeEnv({ PATH: '/rt/venv/./bin:/usr/bin' }, path.join('/rt', 'venv', 'bin'), ':').PATH).toBe('/usr/bin')
  })

  it('drops empty PATH entries and copes with a missing PATH', () => {
    expect(smokeEnv({ PATH: ':/usr/bin::' }, '/rt/venv/bin', ':').PATH).toBe('/usr/bin')
    expect(smokeEnv({}, '/rt/venv/bin', ':').PATH).toBe('')
  })
})

const onefile: Build = { mode: 'onefile', name: 'chatty', root: '/rt/dist/chatty', executables: [{ name: 'chatty', path: '/rt/dist/chatty' }] }
const onedir: Build = {
  mode: 'onedir',
  name: 'suite',
  root: '/rt/dist/suite',
  executables: [
    { name: 'admin', path: '/rt/dist/suite/admin' },
    { name: 'worker', path: '/rt/dist/suite/worker' }
  ]
}
const help: SmokeCommand = { line: '--help', only: '', args: ['--help'] }
const say: SmokeCommand = { line: `say "hi there"`, only: '', args: ['say', 'hi there'] }

describe('planSmoke', () => {
  it('runs every test against every executable of every build', () => {
    const env = { PATH: '/usr/bin', VIRTUAL_ENV: undefined }
    const runs = planSmoke([onefile, onedir], [help, say], '/rt/smoke', env)
    expect(runs.map((r) => [r.build.name, r.executable.name, r.test.line])).toEqual([
      ['chatty', 'chatty', '--help'],
      ['chatty', 'chatty', 'say "hi there"'],
      ['suite', 'admin', '--help'],
      ['suite', 'admin', 'say "hi there"'],
      ['suite', 'worker', '--help'],
      ['suite', 'worker', 'say "hi there"']
    ])
    expect(runs[0].command).toEqual({ program: '/rt/dist/chatty', args: ['--help'], cwd: '/rt/smoke', env })
    expect(runs[5].command).toEqual({ program: '/rt/dist/suite/worker', args: ['say', 'hi there'], cwd: '/rt/smoke', env })
    expect(runs[3].build).toBe(onedir)
    expect(runs[3].executable).toBe(onedir.executables[0])
    expect(runs[3].test).toBe(say)
  })

  it('plans nothing without tests or builds', () => {
    expect(planSmoke([onefile], [], '/rt/smoke', undefined)).toEqual([])
    expect(planSmoke([], [help], '/rt/smoke', undefined)).toEqual([])
  })
})

describe('diagnose', () => {
  const failed = (output: string, exitCode: number | null = 1, signal: string | null = null) => ({ exitCode, signal, timedOut: false, output })

  it('passes on exit code 0', () => {
    expect(diagnose({ exitCode: 0, signal: null, timedOut: false, output: "ModuleNotFoundError: No module named 'x'" }, 60)).toBe('')
  })

  it('names smoke-timeout on a timeout', () => {
    expect(diagnose({ exitCode: null, signal: 'SIGKILL', timedOut: true, output: '' }, 15)).toBe(
      'it did not finish within 15 s and was stopped. A command that waits for input or starts a server never ends: use one that exits (such as --help), or raise smoke-timeout.'
    )
  })

  it('names the processes that outlived every stop step, and that the run stopped waiting for them (issue 23, defect 1)', () => {
    expect(diagnose({ exitCode: null, signal: null, timedOut: true, output: '', survivors: [3323] }, 5)).toBe(
      'it did not finish within 5 s, and process 3323 of it still ran after every way of stopping it had been tried: the run stopped waiting for it, and it may still be running on this machine. A command that waits for input or starts a server never ends: use one that exits (such as --help), or raise smoke-timeout.'
    )
    expect(diagnose({ exitCode: null, signal: null, timedOut: true, output: '', survivors: [10, 11] }, 5)).toContain(
      'process 10, 11 of it still ran after every way of stopping it had been tried: the run stopped waiting for them, and they may still be running'
    )
    expect(diagnose({ exitCode: null, signal: 'SIGKILL', timedOut: true, output: '', survivors: [] }, 15)).toBe(
      'it did not finish within 15 s and was stopped. A command that waits for input or starts a server never ends: use one that exits (such as --help), or raise smoke-timeout.'
    )
  })

  it('names the missing module and hiddenimports', () => {
    const reason = diagnose(
      failed(
        `Traceback (most recent call last):\n  File "cli.py", line 3\nModuleNotFoundError: No module named 'chatty_commander.plugins.voice'\n[PYI-1234:ERROR] Failed to execute script 'cli'`
      ),
      60
    )
    expect(reason).toContain("missing hidden import: the executable does not contain the module 'chatty_commander.plugins.voice'")
    expect(reason).toContain("Add 'chatty_commander.plugins.voice' to hiddenimports in the .spec file")
  })

  it('names the name and module of an ImportError: cannot import name', () => {
    expect(
      diagnose(failed(`ImportError: cannot import name 'Voice' from 'chatty_commander.plugins' (/tmp/_MEIxyz/chatty_commander/plugins/__init__.pyc)`), 60)
    ).toBe(
      "import error: 'Voice' could not be imported from 'chatty_commander.plugins'. A submodule is probably missing from the build: add 'chatty_commander.plugins' with its submodules to hiddenimports in the .spec file (or to the hidden-imports input)."
    )
  })

  it("points a Nuitka build's missing module at hidden-imports (--include-module)", () => {
    expect(diagnose(failed(`ModuleNotFoundError: No module named 'tiny_tool.plugins.extra'`), 60, NUITKA_REMEDIES)).toBe(
      "missing hidden import: the executable does not contain the module 'tiny_tool.plugins.extra', which is imported at run time in a way Nuitka cannot see. Add 'tiny_tool.plugins.extra' to the hidden-imports input (Nuitka's --include-module)."
    )
    expect(remediesFor({ builder: 'nuitka' })).toBe(NUITKA_REMEDIES)
    expect(remediesFor({ builder: 'pyinstaller' })).toBe(PYINSTALLER_REMEDIES)
  })

  it.each([['/tmp/onefile_4242_1764000000_123456/chatty_commander/data/commands.json'], ['/rt/onedir/chatty-commander.dist/chatty_commander/data/x.json']])(
    'names a data file missing from a Nuitka build: %s',
    (file) => {
      expect(diagnose(failed(`FileNotFoundError: [Errno 2] No such file or directory: '${file}'`), 60, NUITKA_REMEDIES)).toBe(
        `missing data file: '${file}' is not in the build. Add it to the add-data input (or collect data:package for the data of a package).`
      )
    }
  )

  it('names a data file missing under _MEI and datas', () => {
    const reason = diagnose(failed(`FileNotFoundError: [Errno 2] No such file or directory: '/tmp/_MEIa1b2c3/chatty_commander/data/commands.json'`), 60)
    expect(reason).toContain("missing data file: '/tmp/_MEIa1b2c3/chatty_commander/data/commands.json' is not in the build. Add it to datas in the .spec file")
  })

  it('names a data file missing under _internal of a one-folder build', () => {
    const reason = diagnose(failed(`FileNotFoundError: [Errno 2] No such file or directory: '/rt/dist/suite/_internal/tiny_tool/data.txt'`), 60)
    expect(reason).toContain("missing data file: '/rt/dist/suite/_internal/tiny_tool/data.txt' is not in the build.")
  })

  it('does not call a missing file outside the bundle a missing data file', () => {
    expect(diagnose(failed(`FileNotFoundError: [Errno 2] No such file or directory: 'config.yaml'`, 2), 60)).toBe('it exited with code 2.')
  })

  it('names a missing shared library', () => {
    expect(
      diagnose(failed('./chatty: error while loading shared libraries: libz.so.1: cannot open shared object file: No such file or directory', 127), 60)
    ).toBe("missing shared library 'libz.so.1' on this machine or in the build.")
  })

  it('names a data file missing from a Nuitka folder build or a Windows path, whatever the slashes', () => {
    // Python's repr of a Windows path doubles the backslashes.
    for (const file of [
      'C:\\\\a\\\\onedir\\\\chatty.dist\\\\data\\\\commands.json',
      'C:\\\\Users\\\\RUNNER~1\\\\AppData\\\\Local\\\\Temp\\\\_MEI52962\\\\chatty\\\\data.json',
      '/rt/onedir/chatty.dist/data/commands.json'
    ])
      expect(diagnose(failed(`FileNotFoundError: [Errno 2] No such file or directory: '${file}'`), 60)).toContain(`missing data file: '${file}'`)
  })

  it('names the library macOS dyld could not load', () => {
    const out = [
      'dyld[4242]: Library not loaded: @rpath/libcrypto.3.dylib',
      '  Referenced from: <6A1F0C4E-1B39-3D49-9F5D-0C2B5E1A2B3C> /private/var/folders/x/T/_MEIq1w2e3/lib-dynload/_hashlib.cpython-312-darwin.so',
      "  Reason: tried: '/private/var/folders/x/T/_MEIq1w2e3/libcrypto.3.dylib' (no such file)"
    ].join('\n')
    expect(diagnose(failed(out, null, 'SIGABRT'), 60)).toBe("missing shared library '@rpath/libcrypto.3.dylib' on this machine or in the build.")
  })

  it.each([
    // PyInstaller manual, "macOS binary code signing"
    '/tmp/_MEIx/libssl.3.dylib: code signature in (/tmp/_MEIx/libssl.3.dylib) not valid for use in process using Library Validation: mapped file has no Team ID and is not a platform binary (signed with custom identity or adhoc?)',
    // dlopen's wording on macOS 13 and later
    "ImportError: dlopen(/tmp/_MEIx/libssl.3.dylib, 0x0002): tried: '/tmp/_MEIx/libssl.3.dylib' (code signature in <8C2E7A1B-0000-3A4B-9C8D-111213141516> '/tmp/_MEIx/libssl.3.dylib' not valid for use in process: mapped file has no Team ID and is not a platform binary (signed with custom identity or adhoc?))"
  ])('names a library the hardened runtime refused, and the entitlement that allows it: %s', (out) => {
    const reason = diagnose(failed(out), 60)
    expect(reason).toContain("refused to load '/tmp/_MEIx/libssl.3.dylib'")
    expect(reason).toContain('com.apple.security.cs.disable-library-validation')
  })

  it.each([
    [3221225781, '0xC0000135'],
    [-1073741515, '0xC0000135'],
    [3221225595, '0xC000007B']
  ])('names the Windows loader status in exit code %d (%s)', (code, status) => {
    expect(diagnose(failed('', code), 60)).toContain(status)
  })

  it('names the signal that killed it', () => {
    expect(diagnose(failed('', null, 'SIGSEGV'), 60)).toBe('it was killed by signal SIGSEGV.')
  })

  it('says when it could not be started', () => {
    expect(diagnose(failed('spawn /rt/dist/chatty EACCES', null, null), 60)).toBe('it could not be started.')
  })

  it('gives the plain exit code otherwise', () => {
    expect(diagnose(failed('usage: chatty [-h]\nchatty: error: unrecognized arguments: --nope', 2), 60)).toBe('it exited with code 2.')
  })
})

describe('describeFailure', () => {
  const run: SmokeRun = {
    build: onedir,
    executable: onedir.executables[1],
    test: say,
    command: { program: '/rt/dist/suite/worker', args: ['say', 'hi there'] }
  }

  it('names the build, the command line, the reason and the output tail', () => {
    expect(describeFailure({ run, reason: 'it exited with code 3.', output: 'line one\n\nline two\r\n' })).toBe(
      'onedir build suite: `worker say "hi there"` failed: it exited with code 3.\n  Last lines of its output:\n    line one\n    line two'
    )
  })

  it('keeps only the last 15 non-empty lines of output', () => {
    const output = Array.from({ length: 30 }, (_, i) => `out ${i + 1}`).join('\n')
    const text = describeFailure({ run, reason: 'it exited with code 1.', output })
    expect(text.split('\n').slice(2)).toEqual(Array.from({ length: 15 }, (_, i) => `    out ${i + 16}`))
  })

  it('has no output section when there was no output', () => {
    expect(describeFailure({ run, reason: 'it was killed by signal SIGKILL.', output: '\n \n' })).toBe(
      'onedir build suite: `worker say "hi there"` failed: it was killed by signal SIGKILL.'
    )
  })
})

describe('runReportingTraceback: a windowed program that failed', () => {
  it("adds the traceback the program wrote to TRACEBACK_FILE_ENV's file to its output, so the diagnosis names the missing module", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-smoke-tb-'))
    try {
      // Like a windowed Windows build with the traceback hook: nothing on stdout/stderr, the traceback in the file, exit code 1.
      const program = path.join(dir, 'chatty-gui')
      fs.writeFileSync(
        program,
        `#!/bin/sh\n[ -n "$${TRACEBACK_FILE_ENV}" ] || { sleep 30; exit 0; }\nprintf 'Traceback (most recent call last):\\n  File "chatty_gui.py", line 1, in <module>\\nModuleNotFoundError: No module named %s\\n' "'chatty_backend'" > "$${TRACEBACK_FILE_ENV}"\nexit 1\n`,
        { mode: 0o755 }
      )
      const started = Date.now()
      const result = await runReportingTraceback({ program, args: ['--help'], env: { PATH: process.env.PATH } }, 20_000, dir)
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(result.exitCode).toBe(1)
      expect(diagnose(result, 20)).toContain("missing hidden import: the executable does not contain the module 'chatty_backend'")
      // The file is removed after the run.
      expect(fs.readdirSync(dir)).toEqual(['chatty-gui'])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
