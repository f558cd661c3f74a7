import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import {
  bundleIdPart,
  optimizeLevel,
  planSpec,
  pyLiteral,
  pythonOptionsToc,
  specInput,
  stagingName,
  TRACEBACK_HOOK_NAME,
  windowedTracebackHook,
  withOwnData,
  wrapperFileName,
  type SpecInput,
  type SpecPaths,
  type SpecPlan
} from '../../src/freeze/spec.js'
import { CHECK_ENTRYPOINTS_SCRIPT } from '../../src/freeze/entrypoints.js'
import { reproducibleEnv } from '../../src/freeze/index.js'
import { checkEntrypointsCommand } from '../../src/freeze/checks.js'
import { parsePyproject } from '../../src/pyproject.js'
import { testConfig } from '../../__fixtures__/config.js'
import { NO_BUILDER_ARGS, TRACEBACK_FILE_ENV, type EntryPoint, type GeneratedSpecOptions } from '../../src/config.js'
import { platformFor, type Platform } from '../../src/platform.js'

const linux = platformFor('linux', 'x64')
const windows = platformFor('win32', 'x64')
const mac = platformFor('darwin', 'arm64')

const CHATTY: EntryPoint = {
  name: 'chatty',
  target: { kind: 'function', module: 'chatty.cli', attr: 'main' },
  windowed: false,
  source: '[project.scripts] chatty in pyproject.toml'
}
const CHATTY_GUI: EntryPoint = {
  name: 'chatty-gui',
  target: { kind: 'function', module: 'chatty.gui', attr: 'main' },
  windowed: true,
  source: '[project.gui-scripts] chatty-gui in pyproject.toml'
}
const CHATTY_WEB: EntryPoint = {
  name: 'chatty-web',
  target: { kind: 'function', module: 'chatty.web', attr: 'app.serve' },
  windowed: false,
  source: 'entrypoint `chatty-web = chatty.web:app.serve`'
}
const ENTRIES = [CHATTY, CHATTY_GUI, CHATTY_WEB]

interface Setup {
  readonly platform: Platform
  readonly projectDir: string
  readonly icon: string
  readonly paths: SpecPaths
}

const LINUX: Setup = {
  platform: linux,
  projectDir: '/ws/proj',
  icon: '/ws/proj/icons/app.png',
  paths: { specDir: '/rt/bs/spec', distDir: '/rt/bs/dist', onedirDir: '/rt/bs/onedir' }
}
const WINDOWS: Setup = {
  platform: windows,
  projectDir: 'D:\\a\\proj',
  icon: 'D:\\a\\proj\\icons\\app.ico',
  paths: { specDir: 'D:\\rt\\bs\\spec', distDir: 'D:\\rt\\bs\\dist', onedirDir: 'D:\\rt\\bs\\onedir' }
}
const MAC: Setup = {
  platform: mac,
  projectDir: '/Users/r/proj',
  icon: '/Users/r/proj/icons/app.icns',
  paths: { specDir: '/tmp/bs/spec', distDir: '/tmp/bs/dist', onedirDir: '/tmp/bs/onedir' }
}

function input(setup: Setup, over: Partial<SpecInput> = {}): SpecInput {
  const join = setup.platform.path.join
  return {
    entries: ENTRIES,
    projectDir: setup.projectDir,
    onefile: true,
    onedir: true,
    collectName: 'chatty-suite',
    icon: setup.icon,
    hiddenImports: ['chatty.plugins.extra'],
    collect: [
      { kind: 'all', package: 'rich' },
      { kind: 'submodules', package: 'chatty.plugins' },
      { kind: 'data', package: 'chatty' },
      { kind: 'all', package: 'pygments' },
      { kind: 'data', package: 'certifi' }
    ],
    datas: [
      { source: join(setup.projectDir, 'data'), dest: 'data' },
      { source: join(setup.projectDir, 'templates', '*.txt'), dest: 'templates' }
    ],
    excludes: ['tkinter', 'test'],
    upx: false,
    strip: true,
    hooksDirs: [],
    runtimeHooks: [],
    options: NO_BUILDER_ARGS.spec,
    facts: { version: '1.2.3rc1', productName: 'Chatty', company: 'Ada Lovelace', description: 'Chat from the terminal' },
    bundleIdPrefix: 'org.chatty',
    ...over
  }
}

const plan = (setup: Setup, over: Partial<SpecInput> = {}): SpecPlan => planSpec(setup.platform, input(setup, over), setup.paths)

function specText(p: SpecPlan): string {
  const file = p.files.find((f) => f.path === p.specPath)
  if (!file) throw new Error('the plan writes no spec')
  return file.content
}

const specLines = (p: SpecPlan): string[] => specText(p).split('\n')
const linesStarting = (p: SpecPlan, prefix: string): string[] => specLines(p).filter((l) => l.startsWith(prefix))

const EXE_TAIL =
  'upx_exclude=[], debug=False, bootloader_ignore_signals=False, disable_windowed_traceback=False, argv_emulation=False, target_arch=None, codesign_identity=None, entitlements_file=None'
const ANALYSIS_TAIL =
  'pathex=[], binaries=binaries, datas=datas, hiddenimports=hiddenimports, hookspath=[], hooksconfig={}, runtime_hooks=[], excludes=excludes, noarchive=False, optimize=0)'

describe('stagingName', () => {
  it('adds .onedir', () => {
    expect(stagingName('chatty-suite')).toBe('chatty-suite.onedir')
  })
})

describe('planSpec on Linux', () => {
  const p = plan(LINUX)

  it('plans a one-file executable per entry and one shared folder', () => {
    expect(p.builds).toEqual([
      { mode: 'onefile', name: 'chatty', root: '/rt/bs/dist/chatty', executables: [{ name: 'chatty', path: '/rt/bs/dist/chatty' }] },
      { mode: 'onefile', name: 'chatty-gui', root: '/rt/bs/dist/chatty-gui', executables: [{ name: 'chatty-gui', path: '/rt/bs/dist/chatty-gui' }] },
      { mode: 'onefile', name: 'chatty-web', root: '/rt/bs/dist/chatty-web', executables: [{ name: 'chatty-web', path: '/rt/bs/dist/chatty-web' }] },
      {
        mode: 'onedir',
        name: 'chatty-suite',
        root: '/rt/bs/onedir/chatty-suite',
        executables: [
          { name: 'chatty', path: '/rt/bs/onedir/chatty-suite/chatty' },
          { name: 'chatty-gui', path: '/rt/bs/onedir/chatty-suite/chatty-gui' },
          { name: 'chatty-web', path: '/rt/bs/onedir/chatty-suite/chatty-web' }
        ]
      }
    ])
  })

  it('moves the shared folder out of dist', () => {
    expect(p.moves).toEqual([{ from: '/rt/bs/dist/chatty-suite.onedir', to: '/rt/bs/onedir/chatty-suite' }])
  })

  it('writes a wrapper per entry and the spec, no version files', () => {
    expect(p.specPath).toBe('/rt/bs/spec/build-standalone.spec')
    expect(p.files.map((f) => f.path)).toEqual([
      '/rt/bs/spec/chatty-entry.py',
      '/rt/bs/spec/chatty-gui-entry.py',
      '/rt/bs/spec/chatty-web-entry.py',
      '/rt/bs/spec/build-standalone.spec'
    ])
    expect(p.files[0].content).toBe(
      "# Generated by build-standalone: runs chatty.cli:main\nimport sys\nfrom chatty.cli import main\n\nif __name__ == '__main__':\n    sys.exit(main())\n"
    )
    expect(p.files[2].content).toBe(
      "# Generated by build-standalone: runs chatty.web:app.serve\nimport sys\nfrom chatty.web import app\n\nif __name__ == '__main__':\n    sys.exit(app.serve())\n"
    )
  })

  it('writes the whole spec', () => {
    const exe = (name: string, console: boolean): string =>
      `name="${name}", console=${console ? 'True' : 'False'}, icon=None, version=None, upx=False, strip=True, ${EXE_TAIL}`
    expect(specText(p)).toBe(
      [
        "# Generated by build-standalone for linux-x64 from the action's inputs. Do not edit: change the inputs.",
        'from PyInstaller.utils.hooks import collect_all, collect_data_files, collect_submodules',
        '',
        'datas = [["/ws/proj/data", "data"], ["/ws/proj/templates/*.txt", "templates"]]',
        'binaries = []',
        'hiddenimports = ["chatty.plugins.extra"]',
        'for _package in ["rich", "pygments"]:',
        '    _d, _b, _h = collect_all(_package)',
        '    datas += _d',
        '    binaries += _b',
        '    hiddenimports += _h',
        'for _package in ["chatty.plugins"]:',
        '    hiddenimports += collect_submodules(_package)',
        'for _package in ["chatty", "certifi"]:',
        '    datas += collect_data_files(_package)',
        'excludes = ["tkinter", "test"]',
        '',
        '# chatty: [project.scripts] chatty in pyproject.toml',
        `a_0 = Analysis(["/rt/bs/spec/chatty-entry.py"], ${ANALYSIS_TAIL}`,
        'pyz_0 = PYZ(a_0.pure)',
        `onefile_0 = EXE(pyz_0, a_0.scripts, a_0.binaries, a_0.datas, [], ${exe('chatty', true)})`,
        `onedir_0 = EXE(pyz_0, a_0.scripts, [], exclude_binaries=True, ${exe('chatty', true)})`,
        '',
        '# chatty-gui: [project.gui-scripts] chatty-gui in pyproject.toml (windowed)',
        `a_1 = Analysis(["/rt/bs/spec/chatty-gui-entry.py"], ${ANALYSIS_TAIL}`,
        'pyz_1 = PYZ(a_1.pure)',
        `onefile_1 = EXE(pyz_1, a_1.scripts, a_1.binaries, a_1.datas, [], ${exe('chatty-gui', false)})`,
        `onedir_1 = EXE(pyz_1, a_1.scripts, [], exclude_binaries=True, ${exe('chatty-gui', false)})`,
        '',
        '# chatty-web: entrypoint `chatty-web = chatty.web:app.serve`',
        `a_2 = Analysis(["/rt/bs/spec/chatty-web-entry.py"], ${ANALYSIS_TAIL}`,
        'pyz_2 = PYZ(a_2.pure)',
        `onefile_2 = EXE(pyz_2, a_2.scripts, a_2.binaries, a_2.datas, [], ${exe('chatty-web', true)})`,
        `onedir_2 = EXE(pyz_2, a_2.scripts, [], exclude_binaries=True, ${exe('chatty-web', true)})`,
        '',
        'coll = COLLECT(onedir_0, a_0.binaries, a_0.datas, onedir_1, a_1.binaries, a_1.datas, onedir_2, a_2.binaries, a_2.datas, strip=True, upx=False, upx_exclude=[], name="chatty-suite.onedir")',
        ''
      ].join('\n')
    )
  })

  it('passes no icon and no BUNDLE on Linux', () => {
    expect(specText(p)).not.toContain('BUNDLE')
    expect(specText(p)).not.toContain('app.png')
  })

  it('writes upx and strip as Python booleans', () => {
    const q = plan(LINUX, { upx: true, strip: false, entries: [CHATTY] })
    expect(linesStarting(q, 'onefile_0 = ')).toEqual([
      `onefile_0 = EXE(pyz_0, a_0.scripts, a_0.binaries, a_0.datas, [], name="chatty", console=True, icon=None, version=None, upx=True, strip=False, ${EXE_TAIL})`
    ])
    expect(linesStarting(q, 'coll = ')).toEqual([
      'coll = COLLECT(onedir_0, a_0.binaries, a_0.datas, strip=False, upx=True, upx_exclude=[], name="chatty-suite.onedir")'
    ])
  })

  it('writes empty lists when nothing is collected, hidden, excluded or added', () => {
    const q = plan(LINUX, { hiddenImports: [], collect: [], datas: [], excludes: [] })
    expect(specLines(q).slice(3, 16)).toEqual([
      'datas = []',
      'binaries = []',
      'hiddenimports = []',
      'for _package in []:',
      '    _d, _b, _h = collect_all(_package)',
      '    datas += _d',
      '    binaries += _b',
      '    hiddenimports += _h',
      'for _package in []:',
      '    hiddenimports += collect_submodules(_package)',
      'for _package in []:',
      '    datas += collect_data_files(_package)',
      'excludes = []'
    ])
  })
})

describe('planSpec on Windows', () => {
  const p = plan(WINDOWS)

  it('plans .exe names in dist and the shared folder, windowed entries included', () => {
    expect(p.builds).toEqual([
      {
        mode: 'onefile',
        name: 'chatty.exe',
        root: 'D:\\rt\\bs\\dist\\chatty.exe',
        executables: [{ name: 'chatty.exe', path: 'D:\\rt\\bs\\dist\\chatty.exe' }]
      },
      {
        mode: 'onefile',
        name: 'chatty-gui.exe',
        root: 'D:\\rt\\bs\\dist\\chatty-gui.exe',
        executables: [{ name: 'chatty-gui.exe', path: 'D:\\rt\\bs\\dist\\chatty-gui.exe' }]
      },
      {
        mode: 'onefile',
        name: 'chatty-web.exe',
        root: 'D:\\rt\\bs\\dist\\chatty-web.exe',
        executables: [{ name: 'chatty-web.exe', path: 'D:\\rt\\bs\\dist\\chatty-web.exe' }]
      },
      {
        mode: 'onedir',
        name: 'chatty-suite',
        root: 'D:\\rt\\bs\\onedir\\chatty-suite',
        executables: [
          { name: 'chatty.exe', path: 'D:\\rt\\bs\\onedir\\chatty-suite\\chatty.exe' },
          { name: 'chatty-gui.exe', path: 'D:\\rt\\bs\\onedir\\chatty-suite\\chatty-gui.exe' },
          { name: 'chatty-web.exe', path: 'D:\\rt\\bs\\onedir\\chatty-suite\\chatty-web.exe' }
        ]
      }
    ])
    expect(p.moves).toEqual([{ from: 'D:\\rt\\bs\\dist\\chatty-suite.onedir', to: 'D:\\rt\\bs\\onedir\\chatty-suite' }])
  })

  it('writes a wrapper and a version file per entry', () => {
    expect(p.specPath).toBe('D:\\rt\\bs\\spec\\build-standalone.spec')
    expect(p.files.map((f) => f.path)).toEqual([
      'D:\\rt\\bs\\spec\\build-standalone-windowed-traceback.py',
      'D:\\rt\\bs\\spec\\chatty-entry.py',
      'D:\\rt\\bs\\spec\\chatty.version.txt',
      'D:\\rt\\bs\\spec\\chatty-gui-entry.py',
      'D:\\rt\\bs\\spec\\chatty-gui.version.txt',
      'D:\\rt\\bs\\spec\\chatty-web-entry.py',
      'D:\\rt\\bs\\spec\\chatty-web.version.txt',
      'D:\\rt\\bs\\spec\\build-standalone.spec'
    ])
  })

  it("puts the version, company, product and each entry's file name in its version file", () => {
    const gui = (p.files.find((f) => f.path === 'D:\\rt\\bs\\spec\\chatty-gui.version.txt') as { content: string }).content.split('\n')
    expect(gui).toContain('    filevers=(1, 2, 3, 0),')
    expect(gui).toContain('    prodvers=(1, 2, 3, 0),')
    expect(gui).toContain('      StringStruct("CompanyName", "Ada Lovelace"),')
    expect(gui).toContain('      StringStruct("FileDescription", "Chat from the terminal"),')
    expect(gui).toContain('      StringStruct("ProductName", "Chatty"),')
    expect(gui).toContain('      StringStruct("InternalName", "chatty-gui"),')
    expect(gui).toContain('      StringStruct("OriginalFilename", "chatty-gui.exe"),')
    expect(gui).toContain('      StringStruct("FileVersion", "1.2.3rc1"),')
    const cli = (p.files.find((f) => f.path === 'D:\\rt\\bs\\spec\\chatty.version.txt') as { content: string }).content
    expect(cli).toContain('StringStruct("OriginalFilename", "chatty.exe"),')
  })

  it('passes the icon and the version file to every EXE, console=False for windowed', () => {
    const tail = (name: string, console: string) =>
      `name="${name}", console=${console}, icon="D:\\\\a\\\\proj\\\\icons\\\\app.ico", version="D:\\\\rt\\\\bs\\\\spec\\\\${name}.version.txt", upx=False, strip=True, ${EXE_TAIL})`
    expect(linesStarting(p, 'onefile_')).toEqual([
      `onefile_0 = EXE(pyz_0, a_0.scripts, a_0.binaries, a_0.datas, [], ${tail('chatty', 'True')}`,
      `onefile_1 = EXE(pyz_1, a_1.scripts, a_1.binaries, a_1.datas, [], ${tail('chatty-gui', 'False')}`,
      `onefile_2 = EXE(pyz_2, a_2.scripts, a_2.binaries, a_2.datas, [], ${tail('chatty-web', 'True')}`
    ])
    expect(linesStarting(p, 'onedir_')).toEqual([
      `onedir_0 = EXE(pyz_0, a_0.scripts, [], exclude_binaries=True, ${tail('chatty', 'True')}`,
      `onedir_1 = EXE(pyz_1, a_1.scripts, [], exclude_binaries=True, ${tail('chatty-gui', 'False')}`,
      `onedir_2 = EXE(pyz_2, a_2.scripts, [], exclude_binaries=True, ${tail('chatty-web', 'True')}`
    ])
  })

  it('analyses the wrappers and escapes Windows paths', () => {
    expect(linesStarting(p, 'a_')).toEqual([
      `a_0 = Analysis(["D:\\\\rt\\\\bs\\\\spec\\\\chatty-entry.py"], ${ANALYSIS_TAIL}`,
      `a_1 = Analysis(["D:\\\\rt\\\\bs\\\\spec\\\\chatty-gui-entry.py"], ${ANALYSIS_TAIL.replace('runtime_hooks=[]', 'runtime_hooks=["D:\\\\rt\\\\bs\\\\spec\\\\build-standalone-windowed-traceback.py"]')}`,
      `a_2 = Analysis(["D:\\\\rt\\\\bs\\\\spec\\\\chatty-web-entry.py"], ${ANALYSIS_TAIL}`
    ])
    expect(linesStarting(p, 'datas = ')).toEqual(['datas = [["D:\\\\a\\\\proj\\\\data", "data"], ["D:\\\\a\\\\proj\\\\templates\\\\*.txt", "templates"]]'])
    expect(specLines(p)[0]).toBe("# Generated by build-standalone for windows-x64 from the action's inputs. Do not edit: change the inputs.")
  })

  it('collects every entry in one COLLECT and makes no BUNDLE', () => {
    expect(linesStarting(p, 'coll = ')).toEqual([
      'coll = COLLECT(onedir_0, a_0.binaries, a_0.datas, onedir_1, a_1.binaries, a_1.datas, onedir_2, a_2.binaries, a_2.datas, strip=True, upx=False, upx_exclude=[], name="chatty-suite.onedir")'
    ])
    expect(specText(p)).not.toContain('BUNDLE')
  })

  it('passes no icon when none is given', () => {
    const q = plan(WINDOWS, { icon: '', entries: [CHATTY] })
    expect(linesStarting(q, 'onefile_0 = ')).toEqual([
      `onefile_0 = EXE(pyz_0, a_0.scripts, a_0.binaries, a_0.datas, [], name="chatty", console=True, icon=None, version="D:\\\\rt\\\\bs\\\\spec\\\\chatty.version.txt", upx=False, strip=True, ${EXE_TAIL})`
    ])
  })
})

describe('planSpec on macOS', () => {
  const p = plan(MAC)
  const plist =
    '{"CFBundleName": "chatty-gui", "CFBundleDisplayName": "Chatty", "CFBundleShortVersionString": "1.2.3", "CFBundleVersion": "1.2.3", "NSHumanReadableCopyright": "Ada Lovelace", "NSHighResolutionCapable": True}'

  it('makes the windowed entry a .app outside the shared folder', () => {
    expect(p.builds).toEqual([
      { mode: 'onefile', name: 'chatty', root: '/tmp/bs/dist/chatty', executables: [{ name: 'chatty', path: '/tmp/bs/dist/chatty' }] },
      { mode: 'onefile', name: 'chatty-gui', root: '/tmp/bs/dist/chatty-gui', executables: [{ name: 'chatty-gui', path: '/tmp/bs/dist/chatty-gui' }] },
      {
        mode: 'app',
        name: 'chatty-gui.app',
        root: '/tmp/bs/dist/chatty-gui.app',
        executables: [{ name: 'chatty-gui', path: '/tmp/bs/dist/chatty-gui.app/Contents/MacOS/chatty-gui' }]
      },
      { mode: 'onefile', name: 'chatty-web', root: '/tmp/bs/dist/chatty-web', executables: [{ name: 'chatty-web', path: '/tmp/bs/dist/chatty-web' }] },
      {
        mode: 'onedir',
        name: 'chatty-suite',
        root: '/tmp/bs/onedir/chatty-suite',
        executables: [
          { name: 'chatty', path: '/tmp/bs/onedir/chatty-suite/chatty' },
          { name: 'chatty-web', path: '/tmp/bs/onedir/chatty-suite/chatty-web' }
        ]
      }
    ])
    expect(p.moves).toEqual([{ from: '/tmp/bs/dist/chatty-suite.onedir', to: '/tmp/bs/onedir/chatty-suite' }])
  })

  it('writes wrappers and no version files', () => {
    expect(p.files.map((f) => f.path)).toEqual([
      '/tmp/bs/spec/build-standalone-windowed-traceback.py',
      '/tmp/bs/spec/chatty-entry.py',
      '/tmp/bs/spec/chatty-gui-entry.py',
      '/tmp/bs/spec/chatty-web-entry.py',
      '/tmp/bs/spec/build-standalone.spec'
    ])
  })

  it('bundles the windowed entry with the icon, bundle identifier and Info.plist', () => {
    expect(linesStarting(p, 'app_')).toEqual([
      `app_1 = BUNDLE(onedir_1, a_1.binaries, a_1.datas, name="chatty-gui.app", icon="/Users/r/proj/icons/app.icns", bundle_identifier="org.chatty.chatty-gui", version="1.2.3", info_plist=${plist})`
    ])
  })

  it('gives the EXEs no icon and no version file', () => {
    expect(linesStarting(p, 'onedir_1 = ')).toEqual([
      `onedir_1 = EXE(pyz_1, a_1.scripts, [], exclude_binaries=True, name="chatty-gui", console=False, icon=None, version=None, upx=False, strip=True, ${EXE_TAIL})`
    ])
    expect(linesStarting(p, 'onefile_0 = ')).toEqual([
      `onefile_0 = EXE(pyz_0, a_0.scripts, a_0.binaries, a_0.datas, [], name="chatty", console=True, icon=None, version=None, upx=False, strip=True, ${EXE_TAIL})`
    ])
  })

  it('leaves the windowed entry out of the COLLECT', () => {
    expect(linesStarting(p, 'coll = ')).toEqual([
      'coll = COLLECT(onedir_0, a_0.binaries, a_0.datas, onedir_2, a_2.binaries, a_2.datas, strip=True, upx=False, upx_exclude=[], name="chatty-suite.onedir")'
    ])
  })

  it('passes icon=None to BUNDLE when no icon is given', () => {
    expect(linesStarting(plan(MAC, { icon: '' }), 'app_1 = ')).toEqual([
      `app_1 = BUNDLE(onedir_1, a_1.binaries, a_1.datas, name="chatty-gui.app", icon=None, bundle_identifier="org.chatty.chatty-gui", version="1.2.3", info_plist=${plist})`
    ])
  })

  it('makes no COLLECT and no move when every entry is windowed', () => {
    const q = plan(MAC, { entries: [CHATTY_GUI], onefile: false })
    expect(q.builds).toEqual([
      {
        mode: 'app',
        name: 'chatty-gui.app',
        root: '/tmp/bs/dist/chatty-gui.app',
        executables: [{ name: 'chatty-gui', path: '/tmp/bs/dist/chatty-gui.app/Contents/MacOS/chatty-gui' }]
      }
    ])
    expect(q.moves).toEqual([])
    expect(specText(q)).not.toContain('COLLECT(')
  })

  it('makes no .app for a one-file-only build', () => {
    const q = plan(MAC, { onedir: false })
    expect(q.builds.map((b) => [b.mode, b.name])).toEqual([
      ['onefile', 'chatty'],
      ['onefile', 'chatty-gui'],
      ['onefile', 'chatty-web']
    ])
    expect(specText(q)).not.toContain('BUNDLE(')
  })
})

describe('planSpec modes', () => {
  it('onefile only: no one-folder EXE, no COLLECT, no move', () => {
    const q = plan(LINUX, { onedir: false })
    expect(q.builds.map((b) => [b.mode, b.name, b.root])).toEqual([
      ['onefile', 'chatty', '/rt/bs/dist/chatty'],
      ['onefile', 'chatty-gui', '/rt/bs/dist/chatty-gui'],
      ['onefile', 'chatty-web', '/rt/bs/dist/chatty-web']
    ])
    expect(q.moves).toEqual([])
    expect(linesStarting(q, 'onedir_')).toEqual([])
    expect(linesStarting(q, 'onefile_').map((l) => l.slice(0, 12))).toEqual(['onefile_0 = ', 'onefile_1 = ', 'onefile_2 = '])
    expect(specText(q)).not.toContain('COLLECT(')
  })

  it('onedir only: no one-file EXE', () => {
    const q = plan(WINDOWS, { onefile: false })
    expect(q.builds).toEqual([
      {
        mode: 'onedir',
        name: 'chatty-suite',
        root: 'D:\\rt\\bs\\onedir\\chatty-suite',
        executables: [
          { name: 'chatty.exe', path: 'D:\\rt\\bs\\onedir\\chatty-suite\\chatty.exe' },
          { name: 'chatty-gui.exe', path: 'D:\\rt\\bs\\onedir\\chatty-suite\\chatty-gui.exe' },
          { name: 'chatty-web.exe', path: 'D:\\rt\\bs\\onedir\\chatty-suite\\chatty-web.exe' }
        ]
      }
    ])
    expect(linesStarting(q, 'onefile_')).toEqual([])
    expect(linesStarting(q, 'onedir_').map((l) => l.slice(0, 11))).toEqual(['onedir_0 = ', 'onedir_1 = ', 'onedir_2 = '])
    expect(q.moves).toEqual([{ from: 'D:\\rt\\bs\\dist\\chatty-suite.onedir', to: 'D:\\rt\\bs\\onedir\\chatty-suite' }])
  })

  it('onedir only on macOS: the .app and the shared folder without it', () => {
    const q = plan(MAC, { onefile: false })
    expect(q.builds.map((b) => [b.mode, b.name, b.executables.map((e) => e.path)])).toEqual([
      ['app', 'chatty-gui.app', ['/tmp/bs/dist/chatty-gui.app/Contents/MacOS/chatty-gui']],
      ['onedir', 'chatty-suite', ['/tmp/bs/onedir/chatty-suite/chatty', '/tmp/bs/onedir/chatty-suite/chatty-web']]
    ])
  })
})

describe('planSpec with a script entry', () => {
  const SERVE: EntryPoint = {
    name: 'serve',
    target: { kind: 'script', path: 'tools/serve.py' },
    windowed: false,
    source: 'entrypoint `serve = tools/serve.py`'
  }

  it('analyses the script resolved against the project and writes no wrapper (Linux)', () => {
    const q = plan(LINUX, { entries: [SERVE, CHATTY], collectName: 'suite' })
    expect(q.files.map((f) => f.path)).toEqual(['/rt/bs/spec/chatty-entry.py', '/rt/bs/spec/build-standalone.spec'])
    expect(linesStarting(q, 'a_')).toEqual([
      `a_0 = Analysis(["/ws/proj/tools/serve.py"], ${ANALYSIS_TAIL}`,
      `a_1 = Analysis(["/rt/bs/spec/chatty-entry.py"], ${ANALYSIS_TAIL}`
    ])
    expect(linesStarting(q, '# serve')).toEqual(['# serve: entrypoint `serve = tools/serve.py`'])
  })

  it('resolves the script with Windows paths, and still writes its version file', () => {
    const q = plan(WINDOWS, { entries: [SERVE], collectName: 'serve' })
    expect(q.files.map((f) => f.path)).toEqual(['D:\\rt\\bs\\spec\\serve.version.txt', 'D:\\rt\\bs\\spec\\build-standalone.spec'])
    expect(linesStarting(q, 'a_')).toEqual([`a_0 = Analysis(["D:\\\\a\\\\proj\\\\tools\\\\serve.py"], ${ANALYSIS_TAIL}`])
    expect(q.builds.map((b) => [b.mode, b.name, b.root])).toEqual([
      ['onefile', 'serve.exe', 'D:\\rt\\bs\\dist\\serve.exe'],
      ['onedir', 'serve', 'D:\\rt\\bs\\onedir\\serve']
    ])
    expect(q.moves).toEqual([{ from: 'D:\\rt\\bs\\dist\\serve.onedir', to: 'D:\\rt\\bs\\onedir\\serve' }])
  })

  it('keeps an absolute script path', () => {
    const q = plan(LINUX, { entries: [{ ...SERVE, target: { kind: 'script', path: '/opt/tools/serve.py' } }] })
    expect(linesStarting(q, 'a_0 = ')).toEqual([`a_0 = Analysis(["/opt/tools/serve.py"], ${ANALYSIS_TAIL}`])
  })
})

describe('pyLiteral', () => {
  it('writes strings as double-quoted literals with escapes', () => {
    expect(pyLiteral('plain')).toBe('"plain"')
    expect(pyLiteral('say "hi"')).toBe('"say \\"hi\\""')
    expect(pyLiteral('C:\\dir\\file.py')).toBe('"C:\\\\dir\\\\file.py"')
    expect(pyLiteral("it's")).toBe('"it\'s"')
    expect(pyLiteral('a\nb\tc')).toBe('"a\\nb\\tc"')
    expect(pyLiteral('Grüße ✓')).toBe('"Grüße ✓"')
    expect(pyLiteral('')).toBe('""')
  })

  it('writes booleans, None and numbers', () => {
    expect(pyLiteral(true)).toBe('True')
    expect(pyLiteral(false)).toBe('False')
    expect(pyLiteral(null)).toBe('None')
    expect(pyLiteral(undefined)).toBe('None')
    expect(pyLiteral(0)).toBe('0')
    expect(pyLiteral(42)).toBe('42')
    expect(pyLiteral(-1.5)).toBe('-1.5')
  })

  it('writes nested lists and dicts', () => {
    expect(pyLiteral([])).toBe('[]')
    expect(pyLiteral({})).toBe('{}')
    expect(pyLiteral(['a', ['b', null], { k: [true, false] }])).toBe('["a", ["b", None], {"k": [True, False]}]')
    expect(pyLiteral({ 'key "q"': { inner: ['x\\y'] }, n: 1 })).toBe('{"key \\"q\\"": {"inner": ["x\\\\y"]}, "n": 1}')
  })

  it('is read back by Python as the same value', () => {
    const values: unknown[] = [
      'quotes " and \' and \\ backslash',
      'control \u0000 \u0001 \b \f \n \r \t',
      'unicode é ü 中文 😀 \u2028 \u2029',
      ['nested', ['list', true, false, null], { dict: { deeper: [1, 2.5, -3] } }],
      { 'C:\\path': 'D:\\other' }
    ]
    const program = 'import ast, json, sys\nprint(json.dumps([ast.literal_eval(x) for x in json.loads(sys.stdin.read())]))'
    const r = spawnSync('python3', ['-c', program], {
      input: JSON.stringify(values.map(pyLiteral)),
      encoding: 'utf8',
      env: { ...process.env, PYTHONIOENCODING: 'utf-8' }
    })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual(values)
  })
})

describe('windowed Windows programs report an unhandled exception to the smoke test, not in a dialog', () => {
  /** The runtime hooks each entry's Analysis gets, by entry name (the spec names each entry in a comment before its Analysis). */
  function hooksOf(q: SpecPlan): Record<string, string> {
    const out: Record<string, string> = {}
    let entry = ''
    for (const line of specLines(q)) {
      const named = /^# ([^:\s]+): /.exec(line)
      if (named) entry = named[1]
      else if (entry && /^a_\d+ = Analysis\(/.test(line)) out[entry] = /runtime_hooks=(\[[^\]]*\])/.exec(line)?.[1] ?? 'none'
    }
    return out
  }

  it('gives the hook to the windowed entries on Windows and macOS (no console there), and writes it beside the spec', () => {
    for (const [setup, hook] of [
      [WINDOWS, `D:\\rt\\bs\\spec\\${TRACEBACK_HOOK_NAME}`],
      [MAC, `${MAC.paths.specDir}/${TRACEBACK_HOOK_NAME}`]
    ] as const) {
      const q = plan(setup)
      expect(q.files.find((f) => f.path === hook)?.content).toBe(windowedTracebackHook())
      const hooks = hooksOf(q)
      for (const e of ENTRIES) expect({ entry: e.name, hooks: hooks[e.name] }).toEqual({ entry: e.name, hooks: e.windowed ? pyLiteral([hook]) : '[]' })
      expect(plan(setup, { entries: ENTRIES.filter((e) => !e.windowed) }).files.some((f) => f.path.endsWith(TRACEBACK_HOOK_NAME))).toBe(false)
    }
    expect(ENTRIES.some((e) => e.windowed)).toBe(true)
    const linux = plan(LINUX)
    expect(linux.files.some((f) => f.path.endsWith(TRACEBACK_HOOK_NAME))).toBe(false)
    for (const h of Object.values(hooksOf(linux))) expect(h).toBe('[]')
  })

  describe('the hook, run by Python', () => {
    let dir: string
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-hook-'))
      fs.writeFileSync(path.join(dir, 'hook.py'), windowedTracebackHook())
    })
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

    /**
     * What PyInstaller's windowed bootloader does after the entry point raised
     * (pyi_launch.c): PyErr_Print(), which calls sys.excepthook (Python C API,
     * "Exception Handling": PyErr_PrintEx "will call sys.excepthook"), then the
     * modal dialog. The dialog is a print here; the hook must end the process
     * before it.
     */
    const bootloader = [
      'import runpy, sys',
      'runpy.run_path(sys.argv[1])  # PyInstaller runs the runtime hooks before the entry point',
      'try:',
      '    import chatty_gui_backend_that_is_missing',
      'except ImportError as e:',
      '    sys.excepthook(type(e), e, e.__traceback__)',
      "    print('DIALOG: Unhandled exception in script')",
      '    sys.exit(1)'
    ].join('\n')

    it('with the variable set: writes the traceback to the file and exits with code 1 before the dialog', () => {
      const file = path.join(dir, 'traceback.txt')
      const r = spawnSync('python3', ['-c', bootloader, path.join(dir, 'hook.py')], { encoding: 'utf8', env: { ...process.env, [TRACEBACK_FILE_ENV]: file } })
      expect(r.stdout).not.toContain('DIALOG')
      expect(r.status).toBe(1)
      expect(fs.readFileSync(file, 'utf8')).toContain("ModuleNotFoundError: No module named 'chatty_gui_backend_that_is_missing'")
    })

    it('without it (outside a smoke test): does nothing, the program behaves as PyInstaller made it', () => {
      const env = { ...process.env }
      delete env[TRACEBACK_FILE_ENV]
      const r = spawnSync('python3', ['-c', bootloader, path.join(dir, 'hook.py')], { encoding: 'utf8', env })
      expect(r.stdout).toContain('DIALOG')
      expect(r.stderr).toContain("ModuleNotFoundError: No module named 'chatty_gui_backend_that_is_missing'")
    })
  })
})

describe('planSpec with builder-args, hooks-dir and runtime-hooks', () => {
  const options: GeneratedSpecOptions = {
    ...NO_BUILDER_ARGS.spec,
    pathex: ['/ws/proj/lib'],
    binaries: [{ source: '/ws/proj/bin/libfast.so', dest: '.' }],
    collectBinaries: ['numpy'],
    copyMetadata: [
      { distribution: 'rich', recursive: false },
      { distribution: 'requests', recursive: true }
    ],
    debugBootloader: true,
    noarchive: true,
    pythonOptions: ['v', 'W ignore'],
    optimize: 2,
    upxExclude: ['vcruntime140.dll'],
    hideConsole: 'hide-early',
    disableWindowedTraceback: true,
    versionFile: 'D:\\a\\proj\\win\\version.txt',
    manifest: '<assembly/>',
    resources: ['D:\\a\\proj\\strings.res,14,1,0'],
    uacAdmin: true,
    uacUiaccess: true,
    argvEmulation: true,
    targetArch: 'universal2',
    runtimeTmpdir: '/var/tmp',
    bootloaderIgnoreSignals: true,
    contentsDirectory: 'lib'
  }
  const q = plan(LINUX, { entries: [CHATTY], options, hooksDirs: ['/ws/proj/hooks'], runtimeHooks: ['/ws/proj/rthooks/env.py'] })

  it('gives every Analysis the hooks, the runtime hooks, the search path, noarchive and the optimization level', () => {
    expect(linesStarting(q, 'a_0 = ')).toEqual([
      'a_0 = Analysis(["/rt/bs/spec/chatty-entry.py"], pathex=["/ws/proj/lib"], binaries=binaries, datas=datas, hiddenimports=hiddenimports, hookspath=["/ws/proj/hooks"], hooksconfig={}, runtime_hooks=["/ws/proj/rthooks/env.py"], excludes=excludes, noarchive=True, optimize=2)'
    ])
  })

  it('collects the binaries and metadata asked for, after the collect rules', () => {
    const lines = specLines(q)
    expect(lines[4]).toBe('binaries = [["/ws/proj/bin/libfast.so", "."]]')
    expect(lines.slice(lines.indexOf('excludes = ["tkinter", "test"]') - 6, lines.indexOf('excludes = ["tkinter", "test"]'))).toEqual([
      'from PyInstaller.utils.hooks import collect_dynamic_libs',
      'for _package in ["numpy"]:',
      '    binaries += collect_dynamic_libs(_package)',
      'from PyInstaller.utils.hooks import copy_metadata',
      'datas += copy_metadata("rich")',
      'datas += copy_metadata("requests", recursive=True)'
    ])
  })

  it("gives each EXE the interpreter options (an O per optimization level) and the options PyInstaller's makespec would", () => {
    const toc = '[("v", None, "OPTION"), ("W ignore", None, "OPTION"), ("O", None, "OPTION"), ("O", None, "OPTION")]'
    const tail =
      'upx_exclude=["vcruntime140.dll"], debug=True, bootloader_ignore_signals=True, disable_windowed_traceback=True, argv_emulation=True, target_arch="universal2", codesign_identity=None, entitlements_file=None, uac_admin=True, uac_uiaccess=True, manifest="<assembly/>", resources=["D:\\\\a\\\\proj\\\\strings.res,14,1,0"], hide_console="hide-early", runtime_tmpdir="/var/tmp", contents_directory="lib"'
    expect(linesStarting(q, 'onefile_0 = ')).toEqual([
      `onefile_0 = EXE(pyz_0, a_0.scripts, a_0.binaries, a_0.datas, ${toc}, name="chatty", console=True, icon=None, version=None, upx=False, strip=True, ${tail})`
    ])
    expect(linesStarting(q, 'onedir_0 = ')).toEqual([
      `onedir_0 = EXE(pyz_0, a_0.scripts, ${toc}, exclude_binaries=True, name="chatty", console=True, icon=None, version=None, upx=False, strip=True, ${tail})`
    ])
    expect(linesStarting(q, 'coll = ')).toEqual([
      'coll = COLLECT(onedir_0, a_0.binaries, a_0.datas, strip=True, upx=False, upx_exclude=["vcruntime140.dll"], name="chatty-suite.onedir")'
    ])
  })

  it('counts the O of --python-option toward --optimize, as makespec does', () => {
    expect(pythonOptionsToc({ ...NO_BUILDER_ARGS.spec, pythonOptions: ['O'], optimize: 2 })).toBe('[("O", None, "OPTION"), ("O", None, "OPTION")]')
    expect(pythonOptionsToc({ ...NO_BUILDER_ARGS.spec, pythonOptions: ['O', 'O'] })).toBe('[("O", None, "OPTION"), ("O", None, "OPTION")]')
    expect(optimizeLevel({ ...NO_BUILDER_ARGS.spec, pythonOptions: ['O', 'O', 'O'] })).toBe(2)
    expect(optimizeLevel(NO_BUILDER_ARGS.spec)).toBe(0)
    expect(pythonOptionsToc(NO_BUILDER_ARGS.spec)).toBe('[]')
  })

  it("puts the project's runtime hooks before the action's windowed-traceback hook", () => {
    const w = plan(WINDOWS, { entries: [CHATTY_GUI], runtimeHooks: ['D:\\a\\proj\\rt.py'] })
    expect(specText(w)).toContain(`runtime_hooks=["D:\\\\a\\\\proj\\\\rt.py", "D:\\\\rt\\\\bs\\\\spec\\\\${TRACEBACK_HOOK_NAME}"]`)
  })

  it("uses the project's version file on Windows instead of writing one, and passes no version file elsewhere", () => {
    const w = plan(WINDOWS, { entries: [CHATTY], options })
    expect(w.files.some((f) => f.path.endsWith('.version.txt'))).toBe(false)
    expect(linesStarting(w, 'onefile_0 = ')[0]).toContain('version="D:\\\\a\\\\proj\\\\win\\\\version.txt"')
    expect(linesStarting(plan(WINDOWS, { entries: [CHATTY] }), 'onefile_0 = ')[0]).toContain('version="D:\\\\rt\\\\bs\\\\spec\\\\chatty.version.txt"')
  })
})

describe('the generated spec is valid Python', () => {
  let dir: string
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-spec-'))
  })
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it.each([
    ['linux', LINUX],
    ['windows', WINDOWS],
    ['macos', MAC]
  ])('on %s, with every file it writes', (os, setup) => {
    const q = plan(setup, {
      options: {
        ...NO_BUILDER_ARGS.spec,
        pythonOptions: ['W ignore', "X 'quoted'"],
        copyMetadata: [{ distribution: 'rich', recursive: true }],
        manifest: '<a "x"/>'
      },
      facts: { version: '1.0', productName: 'Chatty "quoted"', company: 'Ada \\ Co', description: 'Grüße' },
      excludes: ['tkinter'],
      entries: [
        ...ENTRIES,
        { name: 'serve', target: { kind: 'script', path: 'tools/serve.py' }, windowed: true, source: 'entrypoint `serve = tools/serve.py (windowed)`' }
      ]
    })
    const written = q.files.map((f, i) => {
      const file = path.join(dir, `${os}-${i}.py`)
      fs.writeFileSync(file, f.content)
      return file
    })
    expect(written).toHaveLength(os === 'windows' ? 9 : os === 'macos' ? 5 : 4)
    const r = spawnSync(
      'python3',
      ['-c', 'import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, encoding="utf-8").read(), f)\nprint("ok", len(sys.argv) - 1)', ...written],
      {
        encoding: 'utf8'
      }
    )
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe(`ok ${written.length}\n`)
  })
})

describe('specInput', () => {
  const project = parsePyproject(
    '[project]\nname = "Chatty_App.Pro"\nversion = "1.0"\ndescription = "Chat from the terminal"\nauthors = [{name = "Ada Lovelace", email = "ada@example.org"}, {name = "Bob"}]\n'
  )

  it('takes everything from the config, with the own package data collected', () => {
    const config = testConfig({
      spec: '',
      project,
      entrypoints: [CHATTY, CHATTY_GUI],
      onefile: false,
      onedir: true,
      icon: '/ws/proj/icons/app.png',
      hiddenImports: ['chatty.plugins.extra'],
      collect: [{ kind: 'submodules', package: 'chatty.plugins' }],
      addData: [{ source: '/ws/proj/data', dest: 'data' }],
      excludeModules: ['tkinter'],
      upx: true,
      strip: true,
      hooksDirs: ['/ws/proj/hooks'],
      runtimeHooks: ['/ws/proj/rthooks/env.py']
    })
    expect(specInput(config, '2.0.1')).toEqual({
      entries: [CHATTY, CHATTY_GUI],
      projectDir: '/ws/proj',
      onefile: false,
      onedir: true,
      collectName: 'Chatty_App.Pro',
      icon: '/ws/proj/icons/app.png',
      hiddenImports: ['chatty.plugins.extra'],
      collect: [
        { kind: 'submodules', package: 'chatty.plugins' },
        { kind: 'data', package: 'chatty' }
      ],
      datas: [{ source: '/ws/proj/data', dest: 'data' }],
      excludes: ['tkinter'],
      upx: true,
      strip: true,
      hooksDirs: ['/ws/proj/hooks'],
      runtimeHooks: ['/ws/proj/rthooks/env.py'],
      options: NO_BUILDER_ARGS.spec,
      facts: { version: '2.0.1', productName: 'Chatty_App.Pro', company: 'Ada Lovelace', description: 'Chat from the terminal' },
      bundleIdPrefix: 'org.chatty-app-pro'
    })
  })

  it('names the shared folder after a single entry, else the name input, else the project, else the first entry', () => {
    expect(specInput(testConfig({ project, entrypoints: [CHATTY_WEB], name: 'suite' }), '1').collectName).toBe('chatty-web')
    expect(specInput(testConfig({ project, entrypoints: ENTRIES, name: 'suite' }), '1').collectName).toBe('suite')
    expect(specInput(testConfig({ project, entrypoints: ENTRIES }), '1').collectName).toBe('Chatty_App.Pro')
    expect(specInput(testConfig({ entrypoints: [CHATTY_WEB, CHATTY] }), '1').collectName).toBe('chatty-web')
  })

  it('falls back to the product name for company and description, and to the first entry for the product', () => {
    const s = specInput(testConfig({ entrypoints: [CHATTY_GUI, CHATTY] }), '0.1')
    expect(s.facts).toEqual({ version: '0.1', productName: 'chatty-gui', company: 'chatty-gui', description: 'chatty-gui' })
    expect(s.bundleIdPrefix).toBe('org.chatty-gui')
    const bare = parsePyproject('[project]\nname = "demo"\nversion = "1"\n')
    expect(specInput(testConfig({ project: bare, entrypoints: [CHATTY] }), '1').facts).toEqual({
      version: '1',
      productName: 'demo',
      company: 'demo',
      description: 'demo'
    })
  })

  it("names the product 'app' with neither a project name nor entries", () => {
    const s = specInput(testConfig({ entrypoints: [] }), '1')
    expect(s.facts.productName).toBe('app')
    expect(s.bundleIdPrefix).toBe('org.app')
  })
})

describe('withOwnData', () => {
  const SERVE: EntryPoint = {
    name: 'serve',
    target: { kind: 'script', path: 'tools/serve.py' },
    windowed: false,
    source: 'entrypoint `serve = tools/serve.py`'
  }
  const OTHER: EntryPoint = { name: 'other', target: { kind: 'function', module: 'other', attr: 'main' }, windowed: false, source: 'entrypoint `other:main`' }

  it('adds data:<top package> once per package of the function entries, not for scripts', () => {
    expect(withOwnData([], [CHATTY, SERVE, CHATTY_GUI, OTHER, CHATTY_WEB])).toEqual([
      { kind: 'data', package: 'chatty' },
      { kind: 'data', package: 'other' }
    ])
    expect(withOwnData([], [SERVE])).toEqual([])
  })

  it('keeps the rules given, in order, without changing them', () => {
    const collect = Object.freeze([{ kind: 'submodules', package: 'chatty' } as const, { kind: 'all', package: 'rich' } as const])
    expect(withOwnData(collect, [CHATTY])).toEqual([
      { kind: 'submodules', package: 'chatty' },
      { kind: 'all', package: 'rich' },
      { kind: 'data', package: 'chatty' }
    ])
    expect(collect).toHaveLength(2)
  })

  it('adds nothing for a package already collected as data or all', () => {
    expect(withOwnData([{ kind: 'data', package: 'chatty' }], [CHATTY, CHATTY_GUI])).toEqual([{ kind: 'data', package: 'chatty' }])
    expect(withOwnData([{ kind: 'all', package: 'chatty' }], [CHATTY])).toEqual([{ kind: 'all', package: 'chatty' }])
    expect(withOwnData([{ kind: 'data', package: 'chatty.cli' }], [CHATTY])).toEqual([
      { kind: 'data', package: 'chatty.cli' },
      { kind: 'data', package: 'chatty' }
    ])
  })
})

describe('checkEntrypointsCommand', () => {
  const SERVE: EntryPoint = {
    name: 'serve',
    target: { kind: 'script', path: 'tools/serve.py' },
    windowed: false,
    source: 'entrypoint `serve = tools/serve.py`'
  }

  it('checks the refs of the function entries only, in the venv Python, from the given folder', () => {
    expect(checkEntrypointsCommand('/rt/venv/bin/python', [CHATTY, SERVE, CHATTY_WEB], '/rt/bs/check')).toEqual({
      program: '/rt/venv/bin/python',
      args: ['-c', CHECK_ENTRYPOINTS_SCRIPT, 'chatty.cli:main', 'chatty.web:app.serve'],
      cwd: '/rt/bs/check',
      env: { PYTHONPATH: undefined, PYTHONHOME: undefined, PYTHONNOUSERSITE: '1' }
    })
  })

  it('is undefined without function entries', () => {
    expect(checkEntrypointsCommand('/rt/venv/bin/python', [SERVE], '/rt/bs/check')).toBeUndefined()
    expect(checkEntrypointsCommand('/rt/venv/bin/python', [], '/rt/bs/check')).toBeUndefined()
  })
})

describe('reproducibleEnv', () => {
  it('fixes the hash seed and passes a known SOURCE_DATE_EPOCH', () => {
    expect(reproducibleEnv('1700000000')).toEqual({ PYTHONHASHSEED: '0', SOURCE_DATE_EPOCH: '1700000000' })
    expect(reproducibleEnv('')).toEqual({ PYTHONHASHSEED: '0' })
  })
})

describe('wrapper names and bundle ids', () => {
  it('names wrappers so they cannot be imported in place of a package of the same name', () => {
    expect(wrapperFileName('chatty')).toBe('chatty-entry.py')
    expect(/^[A-Za-z_][A-Za-z0-9_]*\.py$/.test(wrapperFileName('chatty'))).toBe(false)
  })

  it('keeps bundle id parts to letters, digits, hyphens and dots', () => {
    expect(bundleIdPart('chatty_gui')).toBe('chatty-gui')
    expect(bundleIdPart('Chatty.Gui-2')).toBe('Chatty.Gui-2')
  })
})
