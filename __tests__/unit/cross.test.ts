/**
 * Building Windows executables on a Linux runner under Wine (target:
 * windows-x64): the target input's refusals, the Platform it gives, the
 * launcher's command lines, python.org's index, the summary's note.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { readTarget, targetsFor } from '../../src/inputs/target.js'
import { targetPath, wineTarget, platformFor } from '../../src/platform.js'
import { chooseRuntime, type IndexPage } from '../../src/cross/python.js'
import { windowsIndexUrl } from '../../src/cross/index.js'
import {
  aptInstall,
  isWindowsProgram,
  parseWineVersion,
  prefixPath,
  processesOf,
  runHelper,
  translateArg,
  wineLauncher,
  wineMissing
} from '../../src/cross/wine.js'
import { pathNeedles } from '../../src/inspect/shipped.js'
import { planSpec } from '../../src/freeze/spec.js'
import { assetsMarkdown } from '../../src/report.js'
import { DEFAULT_MANIFEST_URL } from '../../src/python-install.js'
import { NO_BUILDER_ARGS } from '../../src/config.js'

const linux = { os: 'linux', arch: 'x64' } as const
const reader = (values: Record<string, string>) => (name: string) => values[name] ?? ''
const inputError = (fn: () => unknown): InputError => {
  try {
    fn()
  } catch (e) {
    if (e instanceof InputError) return e
    throw e
  }
  throw new Error('no InputError')
}

describe('the target input', () => {
  it("defaults to the runner's own system", () => {
    expect(readTarget(reader({}), linux, 'pyinstaller')).toEqual({ os: 'linux', arch: 'x64' })
    expect(readTarget(reader({ target: 'Linux-X64' }), linux, 'pyinstaller')).toEqual({ os: 'linux', arch: 'x64' })
    expect(readTarget(reader({}), { os: 'windows', arch: 'x64' }, 'nuitka')).toEqual({ os: 'windows', arch: 'x64' })
  })

  it('builds windows-x64 on Linux x64 under Wine', () => {
    expect(readTarget(reader({ target: ' windows-x64 ' }), linux, 'pyinstaller')).toEqual({ os: 'windows', arch: 'x64', via: 'wine' })
    expect(targetsFor(linux)).toEqual(['linux-x64', 'windows-x64'])
    expect(targetsFor({ os: 'macos', arch: 'arm64' })).toEqual(['macos-arm64'])
  })

  it('refuses what is not a target, naming the input and what it takes', () => {
    for (const value of ['windows', 'win64', 'windows-x64-wine', 'freebsd-x64', 'windows-amd64']) {
      const e = inputError(() => readTarget(reader({ target: value }), linux, 'pyinstaller'))
      expect(e.input).toBe('target')
      expect(e.message).toContain(`'${value}' is not a target: write <system>-<architecture>`)
      expect(e.message).toContain('This linux-x64 runner builds linux-x64 and windows-x64')
    }
  })

  it('refuses a target this runner cannot build, saying which runner can', () => {
    const mac = inputError(() => readTarget(reader({ target: 'macos-arm64' }), linux, 'pyinstaller'))
    expect(mac.message).toBe(
      "Input 'target': macos-arm64 cannot be built on this linux-x64 runner: PyInstaller is not a cross-compiler, so a runner builds for its own system, and a Linux x64 runner for windows-x64 under Wine. Run this build on a macOS arm64 runner (runs-on), or set target to linux-x64 or windows-x64."
    )
    const fromWindows = inputError(() => readTarget(reader({ target: 'linux-x64' }), { os: 'windows', arch: 'x64' }, 'pyinstaller'))
    expect(fromWindows.message).toContain('linux-x64 cannot be built on this windows-x64 runner')
    expect(inputError(() => readTarget(reader({ target: 'windows-arm64' }), linux, 'pyinstaller')).message).toContain('windows-arm64 cannot be built')
  })

  it('refuses Nuitka under Wine, with the reason', () => {
    const e = inputError(() => readTarget(reader({ target: 'windows-x64' }), linux, 'nuitka'))
    expect(e.input).toBe('target')
    expect(e.message).toMatch(
      /windows-x64 is built under Wine on this runner, and Nuitka cannot build there: it compiles the program's C code with a Windows C compiler/
    )
    expect(e.message).toContain('Use builder: pyinstaller for windows-x64 on this runner, or run the Nuitka build on a Windows runner.')
  })
})

describe('the Platform of a Windows target under Wine', () => {
  it('names Windows files and keeps the host’s paths', () => {
    const p = wineTarget('x64')
    expect({ os: p.os, arch: p.arch, exe: p.exeSuffix, archive: p.archiveFormat, bin: p.venvBin, sep: p.pathDelimiter, via: p.via }).toEqual({
      os: 'windows',
      arch: 'x64',
      exe: '.exe',
      archive: 'zip',
      bin: 'Scripts',
      sep: ':',
      via: 'wine'
    })
    expect(p.path).toBe(path.posix)
    expect(platformFor('win32', 'x64').via).toBeUndefined()
  })

  it('gives a Windows program host paths on drive Z:', () => {
    expect(targetPath(wineTarget('x64'), '/home/runner/work/a b/x.py')).toBe('Z:\\home\\runner\\work\\a b\\x.py')
    expect(targetPath(platformFor('linux', 'x64'), '/home/x')).toBe('/home/x')
    expect(targetPath(platformFor('win32', 'x64'), 'C:\\x')).toBe('C:\\x')
  })

  it('writes the generated spec with the paths its Python sees', () => {
    const plan = planSpec(
      wineTarget('x64'),
      {
        entries: [{ name: 'app', target: { kind: 'function', module: 'app.cli', attr: 'main' }, windowed: false, source: 'entrypoint' }],
        projectDir: '/ws/proj',
        onefile: true,
        onedir: false,
        collectName: 'app',
        icon: '/ws/proj/app.ico',
        hiddenImports: [],
        collect: [],
        datas: [{ source: '/ws/proj/data/*.json', dest: 'data' }],
        excludes: [],
        upx: false,
        strip: false,
        facts: { version: '1.0.0', productName: 'app', company: 'app', description: 'app' },
        bundleIdPrefix: 'org.app',
        hooksDirs: ['/ws/proj/hooks'],
        runtimeHooks: ['/ws/proj/rt.py'],
        options: { ...NO_BUILDER_ARGS.spec, pathex: ['/ws/proj/src'], manifest: '/ws/proj/app.manifest', resources: ['/ws/proj/r.bin,RCDATA,1'] }
      },
      { specDir: '/rt/bs/spec', distDir: '/rt/bs/dist', onedirDir: '/rt/bs/onedir' }
    )
    const spec = plan.files.find((f) => f.path === plan.specPath)?.content ?? ''
    expect(plan.specPath).toBe('/rt/bs/spec/build-standalone.spec')
    expect(spec).toContain('Analysis(["Z:\\\\rt\\\\bs\\\\spec\\\\app-entry.py"]')
    expect(spec).toContain('icon="Z:\\\\ws\\\\proj\\\\app.ico"')
    expect(spec).toContain('version="Z:\\\\rt\\\\bs\\\\spec\\\\app.version.txt"')
    expect(spec).toContain('datas = [["Z:\\\\ws\\\\proj\\\\data\\\\*.json", "data"]]')
    expect(spec).toContain('pathex=["Z:\\\\ws\\\\proj\\\\src"]')
    expect(spec).toContain('hookspath=["Z:\\\\ws\\\\proj\\\\hooks"]')
    expect(spec).toContain('runtime_hooks=["Z:\\\\ws\\\\proj\\\\rt.py"]')
    expect(spec).toContain('manifest="Z:\\\\ws\\\\proj\\\\app.manifest"')
    expect(spec).toContain('resources=["Z:\\\\ws\\\\proj\\\\r.bin,RCDATA,1"]')
    expect(plan.builds[0]).toMatchObject({ name: 'app.exe', root: '/rt/bs/dist/app.exe' })
  })

  it('looks for the work folder in the builds as the builder saw it', () => {
    expect(pathNeedles(wineTarget('x64'), '/rt/bs')).toEqual(['Z:\\rt\\bs', 'Z:/rt/bs', '/rt/bs'])
  })
})

describe('the Wine launcher', () => {
  const roots = ['/rt', '/ws', '/tc']
  const launch = wineLauncher({ wine: '/usr/bin/wine', prefix: '/rt/bs/wine/prefix-10.0' }, roots)

  it('runs .exe programs under Wine, their shared paths on Z:', () => {
    expect(
      launch({
        program: '/rt/bs/venv/Scripts/python.exe',
        args: ['-m', 'pip', 'install', '/ws/proj[gui]', '-r', '/ws/proj/req.txt', '--target=/rt/bs/uv', 'uv==0.13.9'],
        cwd: '/ws/proj',
        env: { PIP_CACHE_DIR: '/rt/bs/cache/pip', PYTHONPATH: undefined, PYTHONHASHSEED: '0' }
      })
    ).toEqual({
      program: '/usr/bin/wine',
      args: [
        'Z:\\rt\\bs\\venv\\Scripts\\python.exe',
        '-m',
        'pip',
        'install',
        'Z:\\ws\\proj[gui]',
        '-r',
        'Z:\\ws\\proj\\req.txt',
        '--target=Z:\\rt\\bs\\uv',
        'uv==0.13.9'
      ],
      cwd: '/ws/proj',
      env: { PIP_CACHE_DIR: 'Z:\\rt\\bs\\cache\\pip', PYTHONPATH: undefined, PYTHONHASHSEED: '0', WINEPREFIX: '/rt/bs/wine/prefix-10.0', WINEDEBUG: '-all' }
    })
  })

  it('leaves arguments that are not shared paths as they are, and Linux programs alone', () => {
    const cmd = { program: '/tc/tool.EXE', args: ['/?', '/help', '--x=/etc/passwd', '/rtx/not-under', '-c', 'print("/rt")'] }
    expect(launch(cmd).args).toEqual(['Z:\\tc\\tool.EXE', ...cmd.args])
    // A PATH for Wine's own loader stays the host's, whatever it starts with.
    expect(launch({ program: '/ws/app.exe', args: [], env: { PATH: '/ws/bin:/usr/bin', LIST: '/ws/a:/ws/b' } }).env).toMatchObject({
      PATH: '/ws/bin:/usr/bin',
      LIST: '/ws/a:/ws/b'
    })
    const linuxProgram = { program: '/usr/bin/osslsigncode', args: ['sign', '-in', '/rt/bs/dist/app.exe'] }
    expect(launch(linuxProgram)).toBe(linuxProgram)
    expect(isWindowsProgram('uv.exe')).toBe(true)
    expect(isWindowsProgram('/usr/bin/git')).toBe(false)
  })

  it('translates one argument', () => {
    expect(translateArg('/rt', roots)).toBe('Z:\\rt')
    expect(translateArg('/rt/../etc/passwd', roots)).toBe('/rt/../etc/passwd')
    expect(translateArg('--distpath=/ws/d', roots)).toBe('--distpath=Z:\\ws\\d')
  })
})

describe('Wine facts', () => {
  it('reads the version wine --version prints', () => {
    expect(parseWineVersion('wine-10.0 (Debian 10.0~repack-6)\n')).toBe('10.0')
    expect(parseWineVersion('wine-8.0 (Debian 8.0~repack-4)')).toBe('8.0')
    expect(parseWineVersion('wine-9.0 (Ubuntu 9.0~repack-4build3)')).toBe('9.0')
    expect(parseWineVersion('command not found')).toBe('')
  })

  it('keeps one prefix per Wine version in the work folder', () => {
    expect(prefixPath('/rt/build-standalone', '10.0')).toBe('/rt/build-standalone/wine/prefix-10.0')
    expect(prefixPath('/rt/build-standalone', '')).toBe('/rt/build-standalone/wine/prefix-unknown')
  })

  it('installs Wine with apt-get as root, or with sudo only where it needs no password', async () => {
    if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) return
    expect(await aptInstall()).toEqual([
      { program: '/usr/bin/apt-get', args: ['update', '-qq'], env: { DEBIAN_FRONTEND: 'noninteractive' } },
      { program: '/usr/bin/apt-get', args: ['install', '-y', '-qq', '--no-install-recommends', 'wine64', 'wine'], env: { DEBIAN_FRONTEND: 'noninteractive' } }
    ])
  })

  it('names the package to install when Wine is missing', () => {
    const e = wineMissing('wine is not on PATH')
    expect(e.input).toBe('target')
    expect(e.message).toContain('sudo apt-get install wine64 wine')
  })

  it('finds a prefix’s processes by the WINEPREFIX in their environment', () => {
    const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'proc-'))
    const add = (pid: number, environ: string, cmdline: string): void => {
      fs.mkdirSync(path.join(proc, String(pid)))
      fs.writeFileSync(path.join(proc, String(pid), 'environ'), environ)
      fs.writeFileSync(path.join(proc, String(pid), 'cmdline'), cmdline)
    }
    add(10, 'HOME=/root\0WINEPREFIX=/p\0', 'Z:\\x\\app.exe\0hang\0')
    add(11, 'WINEPREFIX=/p2\0', 'other.exe\0')
    add(12, 'WINEPREFIX=/p\0', '')
    expect(processesOf('/p', proc)).toEqual([{ pid: 10, cmdline: 'Z:\\x\\app.exe hang' }])
    fs.rmSync(proc, { recursive: true })
  })

  it("starts Wine's helpers (and the wineserver that outlives them) with a build child's environment: no input, no runner token", async () => {
    const saved = { ...process.env }
    Object.assign(process.env, { 'INPUT_WINDOWS-CERTIFICATE-PASSWORD': 'hunter2', ACTIONS_RUNTIME_TOKEN: 'tok', WORKFLOW_SETTING: 'kept' })
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helper-'))
      const out = path.join(dir, 'env')
      // The helper's whole environment, NUL-separated, as /proc/<pid>/environ would show it.
      const code = await runHelper('/bin/sh', ['-c', `env -0 > '${out}'`], '/the/prefix')
      expect(code).toBe(0)
      const vars = fs.readFileSync(out, 'utf8').split('\0')
      expect(vars).toEqual(expect.arrayContaining(['WINEPREFIX=/the/prefix', 'WINEDEBUG=-all', 'WORKFLOW_SETTING=kept']))
      expect(vars.filter((v) => /^(INPUT_|ACTIONS_)/.test(v) || v.includes('hunter2'))).toEqual([])
      fs.rmSync(dir, { recursive: true })
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    }
  })
})

describe("python.org's index of Windows runtimes", () => {
  const entry = (id: string, version: string, url = `https://www.python.org/ftp/python/${version}/python-${version}-amd64.zip`, company = 'PythonCore') => ({
    id,
    company,
    'sort-version': version,
    url,
    hash: { sha256: 'a'.repeat(64) }
  })
  const pages: IndexPage[] = [
    {
      versions: [
        entry('pythoncore-3.14-64', '3.14.2'),
        entry('pythoncore-3.13t-64', '3.13.9'),
        entry('pythoncore-3.13-64', '3.13.9'),
        entry('pythoncore-3.13-arm64', '3.13.9'),
        entry('pythoncore-3.13-64', '3.13.10b1'),
        entry('pythonembed-3.12-64', '3.12.12', undefined, 'PythonEmbed')
      ],
      next: 'index-windows-legacy.json'
    },
    { versions: [entry('pythoncore-3.12-64', '3.12.10'), entry('pythoncore-3.9-64', '3.9.13', 'https://x/python.3.9.13.nupkg')] }
  ]

  it('picks the newest final CPython zip for the architecture', () => {
    expect(chooseRuntime(pages, '3.13', 'x64')?.id).toBe('pythoncore-3.13-64')
    expect(chooseRuntime(pages, '3.13', 'x64')?.['sort-version']).toBe('3.13.9')
    expect(chooseRuntime(pages, '3.x', 'x64')?.['sort-version']).toBe('3.14.2')
    expect(chooseRuntime(pages, '3.13', 'arm64')?.id).toBe('pythoncore-3.13-arm64')
    expect(chooseRuntime(pages, '>=3.10,<3.13', 'x64')?.['sort-version']).toBe('3.12.10')
  })

  it('takes no embeddable, free-threaded or pre-release build, nor a NuGet package', () => {
    expect(chooseRuntime(pages, '3.9', 'x64')).toBeUndefined()
    expect(chooseRuntime(pages, '3.12.12', 'x64')).toBeUndefined()
    expect(chooseRuntime(pages, '3.13.10', 'x64')).toBeUndefined()
  })

  it("uses python.org's index unless python-versions-manifest names another", () => {
    expect(windowsIndexUrl(DEFAULT_MANIFEST_URL)).toBe('https://www.python.org/ftp/python/index-windows.json')
    expect(windowsIndexUrl('')).toBe('https://www.python.org/ftp/python/index-windows.json')
    expect(windowsIndexUrl('https://mirror.example/index-windows.json')).toBe('https://mirror.example/index-windows.json')
  })
})

describe('the summary of a cross-built run', () => {
  const asset = (name: string, mode: string) => ({ name, mode, size: 1024, sha256: 'b'.repeat(64), path: `/out/${name}` })
  it('says on every asset where it was built and tested, and what Wine does not prove', () => {
    const lines = assetsMarkdown({
      via: 'Wine 10.0',
      smokeRuns: 3,
      assets: [asset('chatty-1.0.0-windows-x64.zip', 'onedir'), asset('chatty-1.0.0-windows-x64-SHA256SUMS.txt', 'checksums')]
    } as never)
    expect(lines[0]).toContain('Cross-built on Linux: built and smoke-tested under Wine 10.0, not on Windows.')
    expect(lines[0]).toContain('Defender and SmartScreen')
    expect(lines[0]).toContain('smoke-test a release once on a real Windows runner')
    expect(lines[4]).toMatch(/^\| `chatty-1\.0\.0-windows-x64\.zip` \| onedir \| .* \| built and smoke-tested under Wine 10\.0 \|$/)
  })

  it('is unchanged for a native run', () => {
    const lines = assetsMarkdown({ smokeRuns: 1, assets: [asset('a.tar.gz', 'onefile')] } as never)
    expect(lines).toEqual(['| asset | mode | size | sha256 |', '|---|---|---:|---|', `| \`a.tar.gz\` | onefile | 1.0 KiB | \`${'b'.repeat(64)}\` |`, ''])
  })
})
