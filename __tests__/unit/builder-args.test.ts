import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { PYINSTALLER_GENERATED_OPTIONS, readBuilderArgs, splitOptionLine } from '../../src/inputs/builder-args.js'
import { NO_BUILDER_ARGS, type BuilderName } from '../../src/config.js'

let root: string
let projectDir: string

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-builder-args-'))
  projectDir = path.join(root, 'proj')
  for (const [rel, text] of Object.entries({
    'lib/mod.py': '',
    'win/version.txt': 'VSVersionInfo()\n',
    'win/app.manifest': '<assembly/>\n',
    'win/strings.res': 'x',
    'bin/libfast.so': 'ELF',
    'outside/secret.txt': 'host file\n'
  })) {
    const file = path.join(rel.startsWith('outside') ? root : projectDir, rel)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, text)
  }
  fs.symlinkSync(path.join(root, 'outside'), path.join(projectDir, 'escape'))
})

afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const read = (lines: string[], builder: BuilderName = 'pyinstaller', hasSpec = false) => readBuilderArgs(lines, builder, hasSpec, projectDir, fs.existsSync)

/** The InputError reading `lines` gives. */
function refusal(lines: string[], builder: BuilderName = 'pyinstaller'): InputError {
  try {
    read(lines, builder)
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).input).toBe('builder-args')
    return e as InputError
  }
  throw new Error(`accepted ${JSON.stringify(lines)}`)
}

describe('splitOptionLine', () => {
  it('keeps --opt=value as one argument and splits --opt value into two, the value with its spaces', () => {
    expect(splitOptionLine('--optimize=2')).toEqual({ line: '--optimize=2', option: '--optimize', value: '2', joined: true, args: ['--optimize=2'] })
    expect(splitOptionLine('  --python-option W ignore  ')).toEqual({
      line: '--python-option W ignore',
      option: '--python-option',
      value: 'W ignore',
      joined: false,
      args: ['--python-option', 'W ignore']
    })
    expect(splitOptionLine('--clean')).toEqual({ line: '--clean', option: '--clean', value: undefined, joined: false, args: ['--clean'] })
  })

  it('reads short options with the value after a space or right after it, and a line that is not an option as one argument', () => {
    expect(splitOptionLine('-p src')).toMatchObject({ option: '-p', value: 'src', args: ['-p', 'src'] })
    expect(splitOptionLine('-j4')).toMatchObject({ option: '-j', value: '4', joined: true, args: ['-j4'] })
    expect(splitOptionLine('nightly build')).toEqual({ line: 'nightly build', option: '', value: 'nightly build', joined: false, args: ['nightly build'] })
  })

  it('never splits like a shell: quotes, $() and ; stay in the value', () => {
    expect(splitOptionLine('--runtime-tmpdir "$(touch x)"; rm -rf ~').args).toEqual(['--runtime-tmpdir', '"$(touch x)"; rm -rf ~'])
  })
})

describe('readBuilderArgs', () => {
  it('is NO_BUILDER_ARGS when empty', () => {
    expect(read([])).toBe(NO_BUILDER_ARGS)
  })

  it('with spec, hands every line to the spec, options the action sets included', () => {
    const args = read(['--flavour nightly', '--onefile', 'plain words'], 'pyinstaller', true)
    expect(args.specArgs).toEqual(['--flavour', 'nightly', '--onefile', 'plain words'])
    expect(args.command).toEqual([])
    expect(args.spec).toEqual(NO_BUILDER_ARGS.spec)
  })

  describe('for PyInstaller from entry points', () => {
    it.each([
      ['--onefile', '`--onefile`: the mode input sets it. Set mode: onefile (or both) instead.'],
      ['-F', '`-F` (-F is --onefile): the mode input sets it. Set mode: onefile (or both) instead.'],
      ['-D', '`-D` (-D is --onedir): the mode input sets it. Set mode: onedir (or both) instead.'],
      ['--name app', '`--name app`: the name input sets it.'],
      ['--add-data a:b', '`--add-data a:b`: the add-data input sets it.'],
      ['--hiddenimport x', '`--hiddenimport x` (--hiddenimport is --hidden-import): the hidden-imports input sets it.'],
      ['--collect-all rich', '`--collect-all rich`: the collect input sets it.'],
      ['--collect-datas x', '`--collect-datas x` (--collect-datas is --collect-data): the collect input sets it.'],
      ['--exclude-module tkinter', '`--exclude-module tkinter`: the exclude-modules input sets it.'],
      ['--additional-hooks-dir hooks', '`--additional-hooks-dir hooks`: the hooks-dir input sets it.'],
      ['--runtime-hook rt.py', '`--runtime-hook rt.py`: the runtime-hooks input sets it.'],
      ['--icon app.ico', '`--icon app.ico`: the icon input sets it.'],
      ['-s', '`-s` (-s is --strip): the strip input sets it.'],
      ['--noupx', '`--noupx`: the upx input sets it.'],
      ['-w', '`-w` (-w is --windowed): the entrypoint input sets it.'],
      ['--noconsole', '`--noconsole` (--noconsole is --windowed): the entrypoint input sets it.'],
      ['--codesign-identity X', '`--codesign-identity X`: the macos-signing-identity input sets it.'],
      ['--osx-entitlements-file e.plist', '`--osx-entitlements-file e.plist`: the macos-entitlements input sets it.'],
      ['--distpath /tmp/out', '`--distpath /tmp/out`: the action sets it (it builds in its work folder, then packs the archives into output-dir).'],
      ['--workpath w', "`--workpath w`: the action sets it (its work folder under RUNNER_TEMP, kept between a run's steps)."],
      ['--specpath s', '`--specpath s`: the action sets it (it writes the spec it generates into its work folder).'],
      ['-y', '`-y` (-y is --noconfirm): the action always passes it.'],
      ['--splash s.png', '`--splash s.png`: a splash screen is not something the action can add to the spec it generates.'],
      ['--version', '`--version`: it prints PyInstaller’s version and builds nothing.']
    ])('refuses %s, naming what sets it', (line, start) => {
      expect(refusal([line]).message.startsWith(`Input 'builder-args': ${start}`)).toBe(true)
    })

    it('refuses an option it does not apply, and lists those it does', () => {
      const e = refusal(['--hidden'])
      expect(e.message).toContain('`--hidden`: --hidden is not a PyInstaller option the action applies when it generates the spec from entry points.')
      expect(e.message).toContain(PYINSTALLER_GENERATED_OPTIONS.join(', '))
    })

    it('refuses a line that is not an option, a flag with a value, a missing value, a value outside the choices', () => {
      expect(refusal(['script.py']).message).toContain("`script.py` is not an option (PyInstaller's options start with -).")
      expect(refusal(['--clean yes']).message).toContain('`--clean yes`: --clean takes no value.')
      expect(refusal(['--optimize']).message).toContain('`--optimize`: --optimize needs a value.')
      expect(refusal(['--optimize 3']).message).toContain("`--optimize 3`: '3' is not one of -1, 0, 1, 2.")
      expect(refusal(['--log-level=LOUD']).message).toContain("'LOUD' is not one of TRACE, DEBUG, INFO, WARN, DEPRECATION, ERROR, FATAL.")
      expect(refusal(['--collect-binaries not-a-module']).message).toContain("'not-a-module' is not a package name.")
      expect(refusal(['--upx-exclude ../lib.so']).message).toContain("'../lib.so' is not a file or folder name, without / or \\.")
    })

    it('puts the build options on the command line, in order', () => {
      expect(read(['--clean', '--log-level WARN', '--upx-dir=/opt/upx']).command).toEqual(['--clean', '--log-level', 'WARN', '--upx-dir=/opt/upx'])
    })

    it('reads the options it writes into the spec', () => {
      const { spec, command } = read([
        '--paths lib',
        '--add-binary bin/libfast.so:.',
        '--collect-binaries numpy',
        '--copy-metadata rich',
        '--recursive-copy-metadata requests',
        '--debug all',
        '--optimize 1',
        '--python-option W ignore',
        '--upx-exclude vcruntime140.dll',
        '--hide-console hide-early',
        '--disable-windowed-traceback',
        '--version-file win/version.txt',
        '--manifest win/app.manifest',
        '-r win/strings.res,14,1,0',
        '--uac-admin',
        '--uac-uiaccess',
        '--argv-emulation',
        '--target-arch universal2',
        '--runtime-tmpdir /var/tmp',
        '--bootloader-ignore-signals',
        '--contents-directory lib'
      ])
      expect(command).toEqual([])
      expect(spec).toEqual({
        pathex: [path.join(projectDir, 'lib')],
        binaries: [{ source: path.join(projectDir, 'bin', 'libfast.so'), dest: '.' }],
        collectBinaries: ['numpy'],
        copyMetadata: [
          { distribution: 'rich', recursive: false },
          { distribution: 'requests', recursive: true }
        ],
        debugBootloader: true,
        noarchive: true,
        pythonOptions: ['v', 'W ignore'],
        optimize: 1,
        upxExclude: ['vcruntime140.dll'],
        hideConsole: 'hide-early',
        disableWindowedTraceback: true,
        versionFile: path.join(projectDir, 'win', 'version.txt'),
        manifest: path.join(projectDir, 'win', 'app.manifest'),
        resources: [`${path.join(projectDir, 'win', 'strings.res')},14,1,0`],
        uacAdmin: true,
        uacUiaccess: true,
        argvEmulation: true,
        targetArch: 'universal2',
        runtimeTmpdir: '/var/tmp',
        bootloaderIgnoreSignals: true,
        contentsDirectory: 'lib'
      })
    })

    it('takes a manifest given as XML as it is', () => {
      expect(read(['--manifest <assembly xmlns="urn:schemas-microsoft-com:asm.v1"/>']).spec.manifest).toBe(
        '<assembly xmlns="urn:schemas-microsoft-com:asm.v1"/>'
      )
    })

    it('keeps paths inside the project, as add-data does, unless the line says (outside-project)', () => {
      expect(refusal(['--paths ../outside']).message).toContain('leads outside the project')
      expect(refusal(['--paths escape']).message).toContain('leads outside the project')
      expect(refusal(['--paths escape']).message).toContain('through a symbolic link')
      expect(refusal(['--version-file /etc/passwd']).message).toContain('leads outside the project')
      expect(refusal(['--add-binary ../outside/secret.txt:.']).message).toContain(
        'so a file of the machine that builds would be shipped inside the executables'
      )
      expect(refusal(['--resource escape/secret.txt,14,1']).message).toContain('leads outside the project')
      expect(read(['--paths ../outside (outside-project)']).spec.pathex).toEqual([path.join(root, 'outside')])
      expect(refusal(['--version-file missing.txt']).message).toContain('missing.txt does not exist')
      expect(refusal(['--paths win/version.txt']).message).toContain('is a file')
    })
  })

  describe('for Nuitka', () => {
    it('passes options on after the action’s, a value after a space joined with = (never a second main script)', () => {
      expect(read(['--lto=yes', '--jobs 2', '--enable-plugins=pyside6', '-j 4', '--report=/tmp/r.xml'], 'nuitka').command).toEqual([
        '--lto=yes',
        '--jobs=2',
        '--enable-plugins=pyside6',
        '-j4',
        '--report=/tmp/r.xml'
      ])
    })

    it.each([
      ['--output-dir=/tmp/x', '`--output-dir=/tmp/x`: the action sets it (it builds in its work folder, then packs the archives into output-dir).'],
      ['--mode=app', '`--mode=app`: the mode input sets it.'],
      ['--onefile', '`--onefile`: the mode input sets it.'],
      ['--main=x.py', '`--main=x.py`: the entrypoint input sets it.'],
      ['-o app', '`-o app`: the entrypoint input sets it.'],
      ['--include-module=x', '`--include-module=x`: the hidden-imports input sets it.'],
      ['--include-package-data=x', '`--include-package-data=x`: the collect input sets it.'],
      ['--include-data-dir=/etc=etc', '`--include-data-dir=/etc=etc`: the add-data input sets it.'],
      ['--nofollow-import-to=x', '`--nofollow-import-to=x`: the exclude-modules input sets it.'],
      ['--windows-console-mode=disable', '`--windows-console-mode=disable`: the entrypoint input sets it.'],
      ['--windows-icon-from-ico=a.ico', '`--windows-icon-from-ico=a.ico`: the icon input sets it.'],
      ['--file-version=1.0', '`--file-version=1.0`: the version input sets it.'],
      ['--onefile-no-compression', '`--onefile-no-compression`: the compression-level input sets it.'],
      ['--enable-plugins=pyside6,upx', '`--enable-plugins=pyside6,upx`: the upx input sets it.'],
      ['--run', '`--run`: the smoke-test input sets it.'],
      ['--macos-sign-identity=X', '`--macos-sign-identity=X`: the macos-signing-identity input sets it.']
    ])('refuses %s, naming what sets it', (line, start) => {
      expect(refusal([line], 'nuitka').message.startsWith(`Input 'builder-args': ${start}`)).toBe(true)
    })

    it('refuses the abbreviation of an option it sets, as Nuitka would read it as that option', () => {
      expect(refusal(['--output-d=/tmp/x'], 'nuitka').message).toContain('`--output-d=/tmp/x` (--output-d is --output-dir): the action sets it')
      expect(refusal(['--include-data-fi=a=b'], 'nuitka').message).toContain('the add-data input sets it')
    })

    it('refuses a line that is not an option', () => {
      expect(refusal(['other_main.py'], 'nuitka').message).toBe(
        "Input 'builder-args': `other_main.py` is not an option (Nuitka's options start with -). Write one option a line, such as `--lto=yes`; the action gives Nuitka the entry points itself."
      )
    })
  })
})
