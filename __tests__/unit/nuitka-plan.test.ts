import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, it, expect } from '@jest/globals'
import { nuitkaInput } from '../../__fixtures__/nuitka-input.js'
import { contentArgs, dataArg, multidistProblem, planNuitka, runGroups, type NuitkaInput, type NuitkaPaths } from '../../src/freeze/nuitka-plan.js'
import { applyStep, IMPORTABLE_SCRIPT, mergeInto, nuitkaCommand } from '../../src/freeze/nuitka.js'
import { wrapperScript } from '../../src/freeze/entrypoints.js'
import { StageError } from '../../src/errors.js'
import { platformFor } from '../../src/platform.js'
import { spawnSync } from 'node:child_process'
import type { EntryPoint } from '../../src/config.js'

const linux = platformFor('linux', 'x64')
const windows = platformFor('win32', 'x64')
const mac = platformFor('darwin', 'arm64')

const fn = (name: string, module: string, windowed = false): EntryPoint => ({
  name,
  target: { kind: 'function', module, attr: 'main' },
  windowed,
  source: `[project.scripts] ${name} in pyproject.toml`
})
const CHATTY = fn('chatty', 'chatty_commander.cli.cli')
const CHATTY_WEB = fn('chatty-web', 'chatty_commander.web.server')
const CHATTY_GUI = fn('chatty-gui', 'chatty_commander.gui', true)
const ENTRIES = [CHATTY, CHATTY_WEB, CHATTY_GUI]

const input = (over: Partial<NuitkaInput> = {}): NuitkaInput => nuitkaInput({ entries: ENTRIES, ...over })

const PATHS: NuitkaPaths = { specDir: '/rt/bs/spec', outDir: '/rt/bs/nuitka', distDir: '/rt/bs/dist', onedirDir: '/rt/bs/onedir' }
const WIN_PATHS: NuitkaPaths = { specDir: 'D:\\rt\\bs\\spec', outDir: 'D:\\rt\\bs\\nuitka', distDir: 'D:\\rt\\bs\\dist', onedirDir: 'D:\\rt\\bs\\onedir' }

describe('planNuitka on Linux', () => {
  const plan = planNuitka(linux, input({ collect: [{ kind: 'data', package: 'chatty_commander' }] }), PATHS)

  it('builds all three entry points as one program, once per mode', () => {
    expect(plan.runs.map((r) => [r.mode, r.entries])).toEqual([
      ['onefile', ['chatty', 'chatty-web', 'chatty-gui']],
      ['standalone', ['chatty', 'chatty-web', 'chatty-gui']]
    ])
  })

  it('passes exactly these arguments to the one-file run', () => {
    expect(plan.runs[0].args).toEqual([
      '--mode=onefile',
      '--assume-yes-for-downloads',
      '--remove-output',
      '--output-dir=/rt/bs/nuitka/run-0',
      '--output-filename=chatty',
      '--main=/rt/bs/spec/nuitka-0/chatty.py',
      '--main=/rt/bs/spec/nuitka-0/chatty-web.py',
      '--main=/rt/bs/spec/nuitka-0/chatty-gui.py',
      '--include-package-data=chatty_commander'
    ])
  })

  it("puts builder-args last in every run, after the action's own options (Nuitka: the last of a repeated option wins)", () => {
    const extra = planNuitka(linux, input({ extraArgs: ['--lto=yes', '--report=/rt/report.xml'] }), PATHS)
    for (const run of extra.runs) expect(run.args.slice(-2)).toEqual(['--lto=yes', '--report=/rt/report.xml'])
    expect(extra.runs).toHaveLength(2)
  })

  it('names the standalone folder after the first entry point', () => {
    expect(plan.runs[1].args.slice(0, 6)).toEqual([
      '--mode=standalone',
      '--assume-yes-for-downloads',
      '--remove-output',
      '--output-dir=/rt/bs/nuitka/run-1',
      '--output-filename=chatty',
      '--output-folder-name=chatty'
    ])
  })

  it('writes a wrapper named like each executable, for each run', () => {
    expect(plan.files.map((f) => f.path)).toEqual([
      '/rt/bs/spec/nuitka-0/chatty.py',
      '/rt/bs/spec/nuitka-0/chatty-web.py',
      '/rt/bs/spec/nuitka-0/chatty-gui.py',
      '/rt/bs/spec/nuitka-1/chatty.py',
      '/rt/bs/spec/nuitka-1/chatty-web.py',
      '/rt/bs/spec/nuitka-1/chatty-gui.py'
    ])
    expect(plan.files[1].content).toBe(wrapperScript({ kind: 'function', module: 'chatty_commander.web.server', attr: 'main' }))
  })

  it('copies the one-file program per name and hard-links the one-folder program', () => {
    expect(plan.steps).toEqual([
      { kind: 'move', from: '/rt/bs/nuitka/run-0/chatty', to: '/rt/bs/dist/chatty' },
      { kind: 'copy', from: '/rt/bs/dist/chatty', to: '/rt/bs/dist/chatty-web' },
      { kind: 'copy', from: '/rt/bs/dist/chatty', to: '/rt/bs/dist/chatty-gui' },
      { kind: 'move', from: '/rt/bs/nuitka/run-1/chatty.dist', to: '/rt/bs/onedir/chatty-commander' },
      { kind: 'link', from: '/rt/bs/onedir/chatty-commander/chatty', to: '/rt/bs/onedir/chatty-commander/chatty-web' },
      { kind: 'link', from: '/rt/bs/onedir/chatty-commander/chatty', to: '/rt/bs/onedir/chatty-commander/chatty-gui' }
    ])
  })

  it('expects the builds PyInstaller would make', () => {
    expect(plan.builds.map((b) => [b.mode, b.name, b.root, b.executables.map((e) => e.path)])).toEqual([
      ['onefile', 'chatty', '/rt/bs/dist/chatty', ['/rt/bs/dist/chatty']],
      ['onefile', 'chatty-web', '/rt/bs/dist/chatty-web', ['/rt/bs/dist/chatty-web']],
      ['onefile', 'chatty-gui', '/rt/bs/dist/chatty-gui', ['/rt/bs/dist/chatty-gui']],
      [
        'onedir',
        'chatty-commander',
        '/rt/bs/onedir/chatty-commander',
        ['/rt/bs/onedir/chatty-commander/chatty', '/rt/bs/onedir/chatty-commander/chatty-web', '/rt/bs/onedir/chatty-commander/chatty-gui']
      ]
    ])
  })

  it('builds only what mode asks for', () => {
    const onedir = planNuitka(linux, input({ onefile: false }), PATHS)
    expect(onedir.runs.map((r) => r.mode)).toEqual(['standalone'])
    expect(onedir.builds.map((b) => b.mode)).toEqual(['onedir'])
    const onefile = planNuitka(linux, input({ onedir: false }), PATHS)
    expect(onefile.runs.map((r) => r.mode)).toEqual(['onefile'])
  })

  it('gives a single entry point an -entry wrapper, so it never hides a module of its name', () => {
    const plan = planNuitka(linux, input({ entries: [fn('tiny_tool', 'tiny_tool.cli')], onedir: false }), PATHS)
    expect(plan.files.map((f) => f.path)).toEqual(['/rt/bs/spec/nuitka-0/tiny_tool-entry.py'])
    expect(plan.runs[0].args).toContain('--output-filename=tiny_tool')
  })

  it("compiles a script entry point from the project's own file", () => {
    const plan = planNuitka(
      linux,
      input({
        entries: [{ name: 'tool', target: { kind: 'script', path: 'scripts/tool.py' }, windowed: false, source: 'entrypoint `scripts/tool.py`' }],
        onedir: false
      }),
      PATHS
    )
    expect(plan.files).toEqual([])
    expect(plan.runs[0].args).toContain('--main=/ws/proj/scripts/tool.py')
  })

  it('builds an entry point named like an importable module in its own run, merged into the shared folder', () => {
    const plan = planNuitka(
      linux,
      input({ entries: [fn('tiny', 'tiny_tool.cli'), fn('tiny_tool', 'tiny_tool.cli')], importable: ['tiny_tool'], onefile: false }),
      PATHS
    )
    expect(plan.runs.map((r) => r.entries)).toEqual([['tiny'], ['tiny_tool']])
    expect(plan.steps).toEqual([
      { kind: 'move', from: '/rt/bs/nuitka/run-0/tiny.dist', to: '/rt/bs/onedir/chatty-commander' },
      { kind: 'merge', from: '/rt/bs/nuitka/run-1/tiny_tool.dist', to: '/rt/bs/onedir/chatty-commander' }
    ])
  })
})

describe('planNuitka on Windows', () => {
  const plan = planNuitka(windows, input({ icon: 'D:\\a\\proj\\app.ico', projectDir: 'D:\\a\\proj' }), WIN_PATHS)

  it('builds the console and the windowed entry points in separate runs', () => {
    expect(plan.runs.map((r) => [r.mode, r.entries])).toEqual([
      ['onefile', ['chatty', 'chatty-web']],
      ['onefile', ['chatty-gui']],
      ['standalone', ['chatty', 'chatty-web']],
      ['standalone', ['chatty-gui']]
    ])
  })

  it('compiles the console mode, icon and version resource in', () => {
    expect(plan.runs[1].args).toEqual([
      '--mode=onefile',
      '--assume-yes-for-downloads',
      '--remove-output',
      '--output-dir=D:\\rt\\bs\\nuitka\\run-1',
      '--output-filename=chatty-gui.exe',
      '--main=D:\\rt\\bs\\spec\\nuitka-1\\chatty-gui-entry.py',
      '--windows-console-mode=disable',
      '--windows-icon-from-ico=D:\\a\\proj\\app.ico',
      '--company-name=Chatty Team',
      '--product-name=chatty-commander',
      '--file-version=0.3.1.0',
      '--product-version=0.3.1.0',
      '--file-description=Voice commands'
    ])
    expect(plan.runs[0].args).not.toContain('--windows-console-mode=disable')
  })

  it('copies (Windows zips do not keep hard links) and merges the windowed folder into the console one', () => {
    expect(plan.steps.slice(3)).toEqual([
      { kind: 'move', from: 'D:\\rt\\bs\\nuitka\\run-2\\chatty.dist', to: 'D:\\rt\\bs\\onedir\\chatty-commander' },
      { kind: 'copy', from: 'D:\\rt\\bs\\onedir\\chatty-commander\\chatty.exe', to: 'D:\\rt\\bs\\onedir\\chatty-commander\\chatty-web.exe' },
      { kind: 'merge', from: 'D:\\rt\\bs\\nuitka\\run-3\\chatty-gui.dist', to: 'D:\\rt\\bs\\onedir\\chatty-commander' }
    ])
    expect(plan.builds.at(-1)?.executables.map((e) => e.name)).toEqual(['chatty.exe', 'chatty-web.exe', 'chatty-gui.exe'])
  })
})

/**
 * The values Nuitka 4.3.3 accepts for --mode, from its own option parser
 * (nuitka/options/OptionParsing.py, `choices=` of "--mode"): "app-dist is
 * standalone except on macOS where it creates an app bundle"
 * (nuitka/options/Options.py sets macos_create_bundle for it on macOS, and an
 * app bundle implies standalone, not onefile).
 */
const NUITKA_4_3_MODES = ['app', 'app-dist', 'onefile', 'standalone', 'accelerated', 'module', 'package', 'dll']

describe('planNuitka against Nuitka 4.3.3', () => {
  it('uses only --mode values Nuitka 4.3 accepts, and a folder (not one-file) mode for the .app bundle', () => {
    for (const p of [linux, windows, mac])
      for (const run of planNuitka(p, input(), p === windows ? WIN_PATHS : PATHS).runs) {
        const mode = run.args.find((a) => a.startsWith('--mode='))?.slice('--mode='.length)
        expect(NUITKA_4_3_MODES).toContain(mode)
        expect(mode).toBe(run.mode)
      }
    const app = planNuitka(mac, input(), PATHS).runs.find((r) => r.entries.includes('chatty-gui') && r.args.some((a) => a.startsWith('--macos-app-name')))
    expect(app?.mode).toBe('app-dist')
  })

  it.each(['1.2.3rc1', '2.0.post1', '0.3.1', '3'])(
    'gives --macos-app-version three integers for version %s (Nuitka writes it as CFBundleVersion and CFBundleShortVersionString)',
    (version) => {
      const app = planNuitka(mac, input({ facts: { ...input().facts, version } }), PATHS).runs.find((r) => r.mode === 'app-dist')
      const value = app?.args.find((a) => a.startsWith('--macos-app-version='))?.split('=')[1]
      expect(value).toMatch(/^\d+\.\d+\.\d+$/)
    }
  )
})

describe('planNuitka on macOS', () => {
  const plan = planNuitka(mac, input({ icon: '/Users/r/proj/app.icns' }), PATHS)

  it('makes one one-file program, and a .app bundle for the windowed one-folder entry point', () => {
    expect(plan.runs.map((r) => [r.mode, r.entries])).toEqual([
      ['onefile', ['chatty', 'chatty-web', 'chatty-gui']],
      ['standalone', ['chatty', 'chatty-web']],
      ['app-dist', ['chatty-gui']]
    ])
    expect(plan.runs[2].args.slice(-4)).toEqual([
      '--macos-app-icon=/Users/r/proj/app.icns',
      '--macos-app-name=chatty-gui',
      '--macos-app-version=0.3.1',
      '--macos-signed-app-name=org.chatty-commander.chatty-gui'
    ])
    expect(plan.builds.find((b) => b.mode === 'app')).toEqual({
      mode: 'app',
      name: 'chatty-gui.app',
      root: '/rt/bs/dist/chatty-gui.app',
      executables: [{ name: 'chatty-gui', path: '/rt/bs/dist/chatty-gui.app/Contents/MacOS/chatty-gui' }]
    })
    expect(plan.builds.find((b) => b.mode === 'onedir')?.executables.map((e) => e.name)).toEqual(['chatty', 'chatty-web'])
  })
})

describe('multidistProblem and runGroups', () => {
  it.each([
    ['tiny_tool (importable) on Linux', linux, fn('tiny_tool', 'tiny_tool.cli'), ['tiny_tool'], 'a module named tiny_tool is importable'],
    ['MyTool on Windows', windows, fn('MyTool', 'my.cli'), [], 'the name has capitals'],
    ['MyTool on Linux', linux, fn('MyTool', 'my.cli'), [], ''],
    ['numpy', linux, fn('numpy', 'x.cli'), [], 'the name ends in "py"'],
    ['chatty from bin/run.py', linux, { ...CHATTY, target: { kind: 'script', path: 'bin/run.py' } } as EntryPoint, [], 'its script is named otherwise'],
    ['chatty from bin/chatty.py', linux, { ...CHATTY, target: { kind: 'script', path: 'bin/chatty.py' } } as EntryPoint, [], ''],
    ['chatty', linux, CHATTY, [], '']
  ])('%s', (_label, platform, entry, importable, problem) => {
    expect(multidistProblem(platform, entry, importable)).toBe(problem)
  })

  it('keeps console and windowed programs together where the console mode means nothing', () => {
    expect(runGroups(linux, ENTRIES, 'onedir', []).map((g) => g.map((e) => e.name))).toEqual([['chatty', 'chatty-web', 'chatty-gui']])
    expect(runGroups(mac, ENTRIES, 'onefile', []).map((g) => g.map((e) => e.name))).toEqual([['chatty', 'chatty-web', 'chatty-gui']])
  })
})

describe('contentArgs and dataArg', () => {
  it('maps hidden imports, collect rules, data, excludes and upx to Nuitka options', () => {
    const args = contentArgs(
      linux,
      input({
        hiddenImports: ['uvicorn.logging'],
        collect: [
          { kind: 'all', package: 'certifi' },
          { kind: 'submodules', package: 'uvicorn' },
          { kind: 'data', package: 'chatty_commander' }
        ],
        datas: [{ source: '/ws/proj/assets', dest: 'assets' }],
        excludes: ['tkinter'],
        upx: true,
        dataKind: () => 'dir'
      })
    )
    expect(args).toEqual([
      '--include-module=uvicorn.logging',
      '--include-package=certifi',
      '--include-package-data=certifi',
      '--include-package=uvicorn',
      '--include-package-data=chatty_commander',
      '--include-data-dir=/ws/proj/assets=assets',
      '--nofollow-import-to=tkinter',
      '--enable-plugins=upx'
    ])
  })

  it.each([
    [{ source: '/p/data/commands.json', dest: 'data' }, 'file', '--include-data-files=/p/data/commands.json=data/commands.json'],
    [{ source: '/p/README.md', dest: '.' }, 'file', '--include-data-files=/p/README.md=README.md'],
    [{ source: '/p/templates', dest: 'web/templates/' }, 'dir', '--include-data-dir=/p/templates=web/templates'],
    [{ source: '/p/locale/*.mo', dest: 'locale' }, 'glob', '--include-data-files=/p/locale/*.mo=locale/'],
    [{ source: '/p/*.txt', dest: '.' }, 'glob', '--include-data-files=/p/*.txt=./']
  ] as const)('%j (%s) → %s', (rule, kind, arg) => {
    expect(dataArg(linux, rule, kind)).toBe(arg)
  })
})

describe('nuitkaCommand', () => {
  it('runs Nuitka as a module of the venv, with no PYTHONPATH leaking in', () => {
    const run = planNuitka(linux, input({ onedir: false }), PATHS).runs[0]
    expect(nuitkaCommand('/v/bin/python', run, '/ws/proj', { NUITKA_CACHE_DIR: '/c/nuitka', PATH: '/v/bin:/usr/bin' })).toEqual({
      program: '/v/bin/python',
      args: ['-m', 'nuitka', ...run.args],
      cwd: '/ws/proj',
      env: { PYTHONPATH: undefined, PYTHONHOME: undefined, PYTHONNOUSERSITE: '1', NUITKA_CACHE_DIR: '/c/nuitka', PATH: '/v/bin:/usr/bin' }
    })
  })
})

describe('IMPORTABLE_SCRIPT', () => {
  it('names exactly the importable identifiers', () => {
    const r = spawnSync('python3', ['-c', IMPORTABLE_SCRIPT, 'json', 'chatty-web', 'no_such_module_here', 'os'], { encoding: 'utf8', cwd: os.tmpdir() })
    expect(JSON.parse(r.stdout)).toEqual(['json', 'os'])
  })
})

describe('layout steps on real folders', () => {
  const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'bs-nuitka-'))
  const write = (file: string, content: string): void => {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, content)
  }

  it('merges a second run into the folder, keeping files both hold when they are the same', () => {
    const root = tmp()
    write(path.join(root, 'a', 'chatty'), 'console program')
    write(path.join(root, 'a', 'libpython.so'), 'runtime')
    write(path.join(root, 'a', 'pkg', 'data.json'), '{}')
    write(path.join(root, 'b', 'chatty-gui'), 'windowed program')
    write(path.join(root, 'b', 'libpython.so'), 'runtime')
    write(path.join(root, 'b', 'pkg', 'more.json'), '[]')
    mergeInto(path.join(root, 'b'), path.join(root, 'a'))
    const listing = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    expect(listing(path.join(root, 'a'))).toEqual(['chatty', 'chatty-gui', 'libpython.so', 'pkg', 'pkg/data.json', 'pkg/more.json'])
    expect(fs.readFileSync(path.join(root, 'a', 'chatty-gui'), 'utf8')).toBe('windowed program')
  })

  it('refuses to merge two different files of one name, and names the file', () => {
    const root = tmp()
    write(path.join(root, 'a', 'lib', 'ext.so'), 'one')
    write(path.join(root, 'b', 'lib', 'ext.so'), 'two')
    const error = (() => {
      try {
        mergeInto(path.join(root, 'b'), path.join(root, 'a'))
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(StageError)
    expect((error as Error).message).toContain("two of Nuitka's runs made different files named lib/ext.so")
  })

  it('moves, copies and hard-links programs, keeping them runnable', () => {
    const root = tmp()
    write(path.join(root, 'out', 'chatty'), '#!/bin/sh\necho hi\n')
    fs.chmodSync(path.join(root, 'out', 'chatty'), 0o755)
    applyStep({ kind: 'move', from: path.join(root, 'out', 'chatty'), to: path.join(root, 'dist', 'chatty') })
    applyStep({ kind: 'copy', from: path.join(root, 'dist', 'chatty'), to: path.join(root, 'dist', 'chatty-web') })
    applyStep({ kind: 'link', from: path.join(root, 'dist', 'chatty'), to: path.join(root, 'dist', 'chatty-gui') })
    expect(fs.existsSync(path.join(root, 'out', 'chatty'))).toBe(false)
    expect(fs.statSync(path.join(root, 'dist', 'chatty-web')).mode & 0o777).toBe(0o755)
    expect(fs.statSync(path.join(root, 'dist', 'chatty-web')).nlink).toBe(1)
    expect(fs.statSync(path.join(root, 'dist', 'chatty-gui')).nlink).toBe(2)
    expect(spawnSync(path.join(root, 'dist', 'chatty-gui'), { encoding: 'utf8' }).stdout).toBe('hi\n')
  })
})
