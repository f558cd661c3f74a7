/**
 * What the tests of `target: windows-x64` (a Linux runner building Windows
 * executables under Wine, src/cross/) run against, with nothing downloaded
 * from anywhere but the registries:
 *
 * - python.org's index of Windows Pythons, served on 127.0.0.1: an
 *   index-windows.json whose `next` page lists a pythoncore-3.11-64 zip,
 *   made from the Maven Central CPython the harness uses (downloads.ts) and
 *   laid out as python.org's zip is (python.exe at the top, the stdlib and
 *   pip beside it), with its SHA-256 in the index. The Maven build has no
 *   venv launcher: its launchers are copies of python.exe, which find
 *   python311.dll only on the Windows PATH, so the runs get WINEPATH (real
 *   python.org zips carry real launchers, which need nothing).
 * - Wine 10 from the trixie root filesystem (trixie.ts), given to the action
 *   as WINE and WINESERVER (the variables winetricks reads too): two small
 *   scripts that run the root filesystem's wine chrooted, with the folders
 *   the tests share bound at their own paths. Debian 12's Wine 8 (the host's)
 *   runs pip but not uv.exe.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as path from 'node:path'
import { CACHE_DIR, check, HOST_CA } from '../long/bullseye.js'
import { REPO, SCRATCH } from '../e2e/harness.js'
import { windowsToolCache } from './downloads.js'
import { ensureTrixieRootfs } from './trixie.js'
import { ENTER, winPath } from './wine.js'

export const ZIP_LAYOUT = 1

/** The Maven CPython as python.org's runtime zip lays it out (cached); its version and SHA-256. */
export function pythonOrgStyleZip(): { zip: string; version: string; sha256: string } {
  const { pythonDir, version } = windowsToolCache()
  const zip = path.join(CACHE_DIR, `python-${version}-amd64-from-maven-${ZIP_LAYOUT}.zip`)
  if (!fs.existsSync(zip)) {
    const tmp = `${zip}.making-${process.pid}`
    // python.exe, pythonw.exe and the DLLs at the top, the stdlib (with pip and venv) in lib\, as Windows finds it case-blind.
    check(
      spawnSync('python3', ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2])', tmp, pythonDir], {
        encoding: 'utf8',
        timeout: 300_000
      }),
      'zipping the Windows CPython'
    )
    fs.renameSync(`${tmp}.zip`, zip)
  }
  return { zip, version, sha256: createHash('sha256').update(fs.readFileSync(zip)).digest('hex') }
}

export interface IndexServer {
  /** The index-windows.json URL (its `next` page lists the runtime). */
  readonly url: string
  readonly version: string
  readonly sha256: string
  /** How often the zip was downloaded. */
  readonly downloads: () => number
  close(): Promise<void>
}

/** python.org's index (two pages, as python.org splits it) and the runtime zip on 127.0.0.1; `badHash` lists a wrong SHA-256. */
export async function startIndexServer(opts: { badHash?: boolean } = {}): Promise<IndexServer> {
  const { zip, version, sha256 } = pythonOrgStyleZip()
  let downloads = 0
  const [major, minor] = version.split('.')
  const server = http.createServer((req, res) => {
    if (req.url === '/ftp/python/index-windows.json')
      res.end(
        JSON.stringify({
          versions: [{ id: 'pythonembed-3.11-64', company: 'PythonEmbed', 'sort-version': version, url: '/nothing.zip' }],
          next: 'index-windows-legacy.json'
        })
      )
    else if (req.url === '/ftp/python/index-windows-legacy.json')
      res.end(
        JSON.stringify({
          versions: [
            {
              schema: 1,
              id: `pythoncore-${major}.${minor}-64`,
              company: 'PythonCore',
              tag: `${major}.${minor}-64`,
              'sort-version': version,
              url: `${base}/ftp/python/${version}/python-${version}-amd64.zip`,
              hash: { sha256: opts.badHash ? '0'.repeat(64) : sha256 }
            }
          ]
        })
      )
    else if (req.url === `/ftp/python/${version}/python-${version}-amd64.zip`) {
      downloads++
      fs.createReadStream(zip).pipe(res)
    } else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return {
    url: `${base}/ftp/python/index-windows.json`,
    version,
    sha256,
    downloads: () => downloads,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/**
 * `wine` and `wineserver` scripts that run the trixie root filesystem's
 * Wine 10 with `shared` bound in (the repository, the scratch folder and the
 * download cache by default); the environment passes through.
 */
export function wine10Programs(shared: readonly string[] = [REPO, SCRATCH, CACHE_DIR]): { WINE: string; WINESERVER: string } {
  const root = ensureTrixieRootfs()
  const dir = fs.mkdtempSync(path.join(SCRATCH, 'wine10-'))
  fs.writeFileSync(path.join(dir, 'enter.sh'), ENTER)
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`
  for (const program of ['wine', 'wineserver'])
    fs.writeFileSync(
      path.join(dir, program),
      // From the caller's folder, and without TMPDIR: trixie's Wine 10 aborts in `winecfg` when TMPDIR names a folder bound in from the host.
      `#!/bin/sh\n# Wine 10 of ${root}, for the tests (__tests__/windows/cross.ts).\nexec unshare -m --propagation private /bin/sh ${quote(path.join(dir, 'enter.sh'))} ${quote(root)} ${shared.length} ${shared.map(quote).join(' ')} /usr/bin/env -u TMPDIR --chdir="$(pwd)" /usr/bin/${program} "$@"\n`,
      { mode: 0o755 }
    )
  return { WINE: path.join(dir, 'wine'), WINESERVER: path.join(dir, 'wineserver') }
}

/**
 * The environment of a cross-built run besides the runner's: the host CA for
 * pip and uv under Wine (this machine reaches PyPI through it), and WINEPATH
 * for the Maven CPython's stand-in launchers (see above). `toolCache` is the
 * run's RUNNER_TOOL_CACHE.
 */
export function crossEnv(toolCache: string, version: string): Record<string, string> {
  // Copied into the scratch folder: the trixie Wine sees the root filesystem's own /etc, not the host's.
  const copy = path.join(SCRATCH, 'host-ca-bundle.crt')
  if (!fs.existsSync(copy)) fs.copyFileSync(HOST_CA, copy)
  const ca = winPath(copy)
  return {
    RUNNER_TOOL_CACHE: toolCache,
    WINEPATH: winPath(path.join(toolCache, 'Python', version, 'x64')),
    PIP_CERT: ca,
    SSL_CERT_FILE: ca,
    REQUESTS_CA_BUNDLE: ca
  }
}
