import * as path from 'node:path'
import { describe, it, expect } from '@jest/globals'
import { reproducibleEnv } from '../../src/freeze/index.js'
import { buildPaths, classifyDist, type DistEntry } from '../../src/freeze/builds.js'
import { pyinstallerCommand } from '../../src/freeze/pyinstaller.js'
import { platformFor } from '../../src/platform.js'
import { testConfig } from '../../__fixtures__/config.js'
import { NO_BUILDER_ARGS } from '../../src/config.js'

const linux = platformFor('linux', 'x64')
const windows = platformFor('win32', 'x64')
const mac = platformFor('darwin', 'arm64')

const config = testConfig

describe('buildPaths', () => {
  it('puts every build folder under the work folder', () => {
    expect(buildPaths({ workDir: '/rt/build-standalone' })).toEqual({
      distDir: path.join('/rt/build-standalone', 'dist'),
      workPath: path.join('/rt/build-standalone', 'work'),
      specDir: path.join('/rt/build-standalone', 'spec'),
      onedirDir: path.join('/rt/build-standalone', 'onedir'),
      nuitkaDir: path.join('/rt/build-standalone', 'nuitka'),
      partsDir: path.join('/rt/build-standalone', 'parts')
    })
  })
})

describe('pyinstallerCommand', () => {
  it('runs PyInstaller on the spec with dist and work paths, from the project folder', () => {
    const paths = { distDir: '/rt/build-standalone/dist', workPath: '/rt/build-standalone/work' }
    expect(pyinstallerCommand('/rt/venv/bin/python', config().spec, paths, config().projectDir, reproducibleEnv('1700000000'))).toEqual({
      program: '/rt/venv/bin/python',
      args: [
        '-m',
        'PyInstaller',
        '--noconfirm',
        '--distpath',
        '/rt/build-standalone/dist',
        '--workpath',
        '/rt/build-standalone/work',
        '/ws/proj/packaging/app.spec'
      ],
      cwd: '/ws/proj',
      env: { PYTHONPATH: undefined, PYTHONHOME: undefined, PYTHONNOUSERSITE: '1', PYTHONHASHSEED: '0', SOURCE_DATE_EPOCH: '1700000000' }
    })
  })
})

describe('pyinstallerCommand with builder-args', () => {
  const paths = { distDir: '/rt/dist', workPath: '/rt/work' }

  it("puts PyInstaller's build options before the generated spec", () => {
    const args = { ...NO_BUILDER_ARGS, command: ['--clean', '--log-level', 'WARN'] }
    expect(pyinstallerCommand('/py', '/rt/spec/build-standalone.spec', paths, '/ws/proj', {}, args).args.slice(7)).toEqual([
      '--clean',
      '--log-level',
      'WARN',
      '/rt/spec/build-standalone.spec'
    ])
  })

  it("hands the lines for the project's spec over after --, as PyInstaller 6 passes them to it", () => {
    const args = { ...NO_BUILDER_ARGS, specArgs: ['--flavour', 'nightly'] }
    expect(pyinstallerCommand('/py', '/ws/proj/app.spec', paths, '/ws/proj', {}, args).args.slice(7)).toEqual([
      '/ws/proj/app.spec',
      '--',
      '--flavour',
      'nightly'
    ])
    expect(pyinstallerCommand('/py', '/ws/proj/app.spec', paths, '/ws/proj', {}).args.slice(7)).toEqual(['/ws/proj/app.spec'])
  })
})

describe('classifyDist on Linux', () => {
  const dist = '/rt/dist'

  it('finds a one-file executable', () => {
    expect(classifyDist(linux, dist, [{ name: 'chatty', isDir: false, executable: true }])).toEqual([
      { mode: 'onefile', name: 'chatty', root: '/rt/dist/chatty', executables: [{ name: 'chatty', path: '/rt/dist/chatty' }] }
    ])
  })

  it('ignores files that cannot be run, shared libraries and data files', () => {
    const entries: DistEntry[] = [
      { name: 'notes', isDir: false, executable: false },
      { name: 'README', isDir: false },
      { name: 'libfoo.so', isDir: false, executable: true },
      { name: 'libpython3.11.so.1.0', isDir: false, executable: true },
      { name: 'base_library.pkg', isDir: false, executable: true },
      { name: 'data.json', isDir: false, executable: true }
    ]
    expect(classifyDist(linux, dist, entries)).toEqual([])
  })

  it('finds a one-folder build with its program, ignoring shared libraries in it', () => {
    expect(classifyDist(linux, dist, [{ name: 'chatty', isDir: true, programs: ['libssl.so.3', 'chatty', 'libz.so.1.2.13'] }])).toEqual([
      { mode: 'onedir', name: 'chatty', root: '/rt/dist/chatty', executables: [{ name: 'chatty', path: '/rt/dist/chatty/chatty' }] }
    ])
  })

  it('ignores a folder without programs', () => {
    expect(
      classifyDist(linux, dist, [
        { name: 'empty', isDir: true, programs: [] },
        { name: 'nothing', isDir: true }
      ])
    ).toEqual([])
  })

  it('ignores hidden dot files and folders', () => {
    expect(
      classifyDist(linux, dist, [
        { name: '.hidden', isDir: false, executable: true },
        { name: '.cache', isDir: true, programs: ['run'] }
      ])
    ).toEqual([])
  })

  it('does not treat a .app folder as a bundle', () => {
    expect(classifyDist(linux, dist, [{ name: 'Tool.app', isDir: true, programs: ['Tool'] }])).toEqual([
      { mode: 'onedir', name: 'Tool.app', root: '/rt/dist/Tool.app', executables: [{ name: 'Tool', path: '/rt/dist/Tool.app/Tool' }] }
    ])
  })

  it('returns several builds sorted by name, programs sorted', () => {
    const builds = classifyDist(linux, dist, [
      { name: 'zeta', isDir: false, executable: true },
      { name: 'suite', isDir: true, programs: ['worker', 'admin'] },
      { name: 'alpha', isDir: false, executable: true }
    ])
    expect(builds.map((b) => [b.mode, b.name, b.executables.map((e) => e.path)])).toEqual([
      ['onefile', 'alpha', ['/rt/dist/alpha']],
      ['onedir', 'suite', ['/rt/dist/suite/admin', '/rt/dist/suite/worker']],
      ['onefile', 'zeta', ['/rt/dist/zeta']]
    ])
  })
})

describe('classifyDist on Windows', () => {
  const dist = 'D:\\a\\_temp\\build-standalone\\dist'

  it('finds .exe files only, whatever their executable flag', () => {
    expect(
      classifyDist(windows, dist, [
        { name: 'chatty.exe', isDir: false, executable: false },
        { name: 'chatty', isDir: false, executable: true },
        { name: 'python311.dll', isDir: false, executable: true },
        { name: 'LICENSE.txt', isDir: false, executable: true }
      ])
    ).toEqual([{ mode: 'onefile', name: 'chatty.exe', root: `${dist}\\chatty.exe`, executables: [{ name: 'chatty.exe', path: `${dist}\\chatty.exe` }] }])
  })

  it('accepts an upper-case .EXE', () => {
    expect(classifyDist(windows, dist, [{ name: 'TOOL.EXE', isDir: false }]).map((b) => b.name)).toEqual(['TOOL.EXE'])
  })

  it('finds a one-folder build with several .exe programs', () => {
    expect(
      classifyDist(windows, dist, [{ name: 'suite', isDir: true, programs: ['worker.exe', 'python311.dll', 'admin.exe', 'base_library.zip', 'run'] }])
    ).toEqual([
      {
        mode: 'onedir',
        name: 'suite',
        root: `${dist}\\suite`,
        executables: [
          { name: 'admin.exe', path: `${dist}\\suite\\admin.exe` },
          { name: 'worker.exe', path: `${dist}\\suite\\worker.exe` }
        ]
      }
    ])
  })

  it('ignores a folder without .exe programs', () => {
    expect(classifyDist(windows, dist, [{ name: 'libs', isDir: true, programs: ['a.dll', 'b.pyd'] }])).toEqual([])
  })
})

describe('classifyDist on macOS', () => {
  const dist = '/Users/runner/work/_temp/build-standalone/dist'

  it('finds a .app bundle, its programs in Contents/MacOS', () => {
    expect(classifyDist(mac, dist, [{ name: 'Chatty.app', isDir: true, programs: ['Chatty'] }])).toEqual([
      { mode: 'app', name: 'Chatty.app', root: `${dist}/Chatty.app`, executables: [{ name: 'Chatty', path: `${dist}/Chatty.app/Contents/MacOS/Chatty` }] }
    ])
  })

  it('finds a plain one-folder build and a one-file executable next to the bundle', () => {
    const builds = classifyDist(mac, dist, [
      { name: 'Chatty.app', isDir: true, programs: ['Chatty'] },
      { name: 'Chatty', isDir: true, programs: ['Chatty', 'libpython3.11.dylib'] },
      { name: 'helper', isDir: false, executable: true },
      { name: '.DS_Store', isDir: false, executable: false }
    ])
    expect(builds).toEqual([
      { mode: 'onedir', name: 'Chatty', root: `${dist}/Chatty`, executables: [{ name: 'Chatty', path: `${dist}/Chatty/Chatty` }] },
      { mode: 'app', name: 'Chatty.app', root: `${dist}/Chatty.app`, executables: [{ name: 'Chatty', path: `${dist}/Chatty.app/Contents/MacOS/Chatty` }] },
      { mode: 'onefile', name: 'helper', root: `${dist}/helper`, executables: [{ name: 'helper', path: `${dist}/helper` }] }
    ])
  })

  it('ignores a bundle without programs', () => {
    expect(classifyDist(mac, dist, [{ name: 'Empty.app', isDir: true, programs: [] }])).toEqual([])
  })
})

describe('reproducibleEnv', () => {
  it('fixes the hash seed, and sets SOURCE_DATE_EPOCH only when known', () => {
    expect(reproducibleEnv('1700000000')).toEqual({ PYTHONHASHSEED: '0', SOURCE_DATE_EPOCH: '1700000000' })
    expect(reproducibleEnv('')).toEqual({ PYTHONHASHSEED: '0' })
  })
})
