/**
 * A Debian 11 (bullseye, glibc 2.31) root filesystem for the long tests, as a
 * job `container:` would give: made once with `debootstrap --variant=minbase`
 * from the machine's configured Debian mirror, kept as a tarball under
 * /var/cache/build-standalone (BUILD_STANDALONE_CACHE overrides it), and
 * unpacked into the test file's scratch folder for each use.
 *
 * Commands run inside it in a private mount namespace (`unshare -m`), with
 * /proc and /dev mounted, chrooted, in a clean environment (`env -i`: the
 * host's PIP_* variables name host paths) whose pip and uv trust a copy of the
 * host's CA bundle; the mounts are removed afterwards.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { node24, parseOutputFile, REPO, SCRATCH } from '../e2e/harness.js'

export const SUITE = 'bullseye'
/**
 * What the tests need inside: Debian's Python 3.9 with venv, its shared libpython and binutils (PyInstaller needs
 * both on Linux: it looks dependencies up with objdump), CA certificates.
 */
export const PACKAGES = ['python3', 'python3-venv', 'libpython3.9', 'binutils', 'ca-certificates']
export const CACHE_DIR = process.env.BUILD_STANDALONE_CACHE || '/var/cache/build-standalone'
/** The host's CA bundle, copied in: the rootfs's own lacks the certificate this network needs. */
export const HOST_CA = '/etc/ssl/certs/ca-certificates.crt'
const CA_INSIDE = '/etc/ssl/certs/host-ca-bundle.crt'
export const PATH_INSIDE = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** Why the bullseye tests cannot run here ('' when they can): they need root, debootstrap (or the cached tarball), unshare and chroot. */
export function missingForRootfs(): string {
  if (process.platform !== 'linux') return 'not Linux'
  if (process.getuid?.() !== 0) return 'not root (chroot and mounts need it)'
  for (const tool of ['unshare', 'chroot', 'tar', 'mount'])
    if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status !== 0) return `${tool} is not installed`
  if (!fs.existsSync(tarballPath()) && spawnSync('sh', ['-c', 'command -v debootstrap']).status !== 0) return 'debootstrap is not installed'
  return ''
}

/** The Debian mirror apt is configured with (deb822 `URIs:` or a one-line `deb` entry), not the security one. */
export function debianMirror(): string {
  const files = [
    '/etc/apt/sources.list',
    ...(fs.existsSync('/etc/apt/sources.list.d') ? fs.readdirSync('/etc/apt/sources.list.d').map((f) => path.join('/etc/apt/sources.list.d', f)) : [])
  ]
  for (const file of files.filter((f) => /(\.list|\.sources)$/.test(f) && fs.existsSync(f))) {
    const text = fs.readFileSync(file, 'utf8')
    const uris = [...text.matchAll(/^URIs:\s*(\S+)/gm), ...text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/gm)].map((m) => m[1])
    const debian = uris.find((u) => /\/debian\/?$/.test(u))
    if (debian) return debian.replace(/\/$/, '')
  }
  return 'http://deb.debian.org/debian'
}

export function tarballPath(): string {
  const key = createHash('sha256')
    .update(`${SUITE} minbase ${PACKAGES.join(',')}`)
    .digest('hex')
    .slice(0, 12)
  return path.join(CACHE_DIR, `${SUITE}-minbase-${key}.tar`)
}

export function check(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-4000)}`)
  return r
}

/** The cached tarball of the rootfs, made with debootstrap when it is missing; says how long that took (0 when cached). */
export function ensureTarball(): { tarball: string; seconds: number } {
  const tarball = tarballPath()
  if (fs.existsSync(tarball)) return { tarball, seconds: 0 }
  const started = Date.now()
  fs.mkdirSync(CACHE_DIR, { recursive: true })
  const dir = fs.mkdtempSync(path.join(CACHE_DIR, `${SUITE}-making-`))
  try {
    check(
      spawnSync('debootstrap', ['--variant=minbase', `--include=${PACKAGES.join(',')}`, SUITE, dir, debianMirror()], { encoding: 'utf8', timeout: 900_000 }),
      'debootstrap'
    )
    // apt's downloaded packages are not needed inside.
    fs.rmSync(path.join(dir, 'var', 'cache', 'apt', 'archives'), { recursive: true, force: true })
    check(spawnSync('tar', ['-C', dir, '-cf', `${tarball}.part`, '.'], { encoding: 'utf8' }), 'tar of the rootfs')
    fs.renameSync(`${tarball}.part`, tarball)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
    fs.rmSync(`${tarball}.part`, { force: true })
  }
  return { tarball, seconds: (Date.now() - started) / 1000 }
}

/** A fresh copy of the rootfs in the test file's scratch folder, with the host's CA bundle and resolver configuration. */
export function unpackRootfs(name = SUITE): string {
  const { tarball } = ensureTarball()
  const root = fs.mkdtempSync(path.join(SCRATCH, `${name}-`))
  check(spawnSync('tar', ['-C', root, '-xf', tarball], { encoding: 'utf8' }), 'unpacking the rootfs')
  fs.copyFileSync(HOST_CA, path.join(root, CA_INSIDE))
  fs.rmSync(path.join(root, 'etc', 'resolv.conf'), { force: true })
  if (fs.existsSync('/etc/resolv.conf')) fs.copyFileSync('/etc/resolv.conf', path.join(root, 'etc', 'resolv.conf'))
  return root
}

/**
 * Mounts /proc and /dev, runs the command chrooted with the given environment
 * (nothing else of the host's), then unmounts, whatever the command did. The
 * script gets every value as an argument, never as text to interpret.
 */
const ENTER = `set -u
root="$1"; shift
mount --make-rprivate /
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
chroot "$root" "$@"
status=$?
umount -R "$root/dev" || umount -l "$root/dev"
umount "$root/proc" || umount -l "$root/proc"
exit $status
`

export interface InsideResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** The environment every command inside gets: PATH, HOME, a UTF-8 locale, and the copied CA bundle for pip, uv and Python's ssl. */
export function insideEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: PATH_INSIDE,
    HOME: '/root',
    LANG: 'C.UTF-8',
    SSL_CERT_FILE: CA_INSIDE,
    PIP_CERT: CA_INSIDE,
    REQUESTS_CA_BUNDLE: CA_INSIDE,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    ...extra
  }
}

/** Runs `argv` inside the rootfs at `root` (paths as seen inside). */
export function runInside(root: string, argv: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): InsideResult {
  const env = Object.entries(insideEnv(opts.env)).map(([k, v]) => `${k}=${v}`)
  // env itself changes the folder (--chdir): a shell in between would drop variables such as INPUT_PROJECT-PATH, whose names are no shell names.
  const command = ['/usr/bin/env', '-i', ...(opts.cwd ? [`--chdir=${opts.cwd}`] : []), ...env, ...argv]
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', '/bin/sh', '-c', ENTER, 'enter', root, ...command], {
    encoding: 'utf8',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 256 * 1024 * 1024
  })
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` }
}

/** Whether anything is still mounted under `root` (after runInside, nothing should be). */
export function mountsUnder(root: string): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m) => m && (m === root || m.startsWith(`${root}/`)))
}

/**
 * Runs the bundled action inside the rootfs at `root` as in a job
 * `container:`: Node 24 and dist/ copied in, `project` (a folder of this
 * repository) copied as the workspace's `project`, the runner's files under
 * /runner; `inputs` as INPUT_* (Debian's Python 3.9, pip, no cache, no upload
 * by default). Returns the result and the outputs.
 */
export function runActionInside(
  root: string,
  project: string,
  inputs: Record<string, string>,
  timeoutMs = 1_200_000
): InsideResult & { outputs: Record<string, string> } {
  const workspace = '/github/workspace'
  fs.mkdirSync(path.join(root, 'opt', 'node', 'bin'), { recursive: true })
  fs.copyFileSync(node24(), path.join(root, 'opt', 'node', 'bin', 'node'))
  fs.chmodSync(path.join(root, 'opt', 'node', 'bin', 'node'), 0o755)
  fs.rmSync(path.join(root, 'action'), { recursive: true, force: true })
  fs.cpSync(path.join(REPO, 'dist'), path.join(root, 'action', 'dist'), { recursive: true })
  const copy = path.join(root, workspace.slice(1), 'project')
  fs.rmSync(copy, { recursive: true, force: true })
  fs.cpSync(path.join(REPO, project), copy, { recursive: true, filter: (src) => !/(^|\/)(build|__pycache__|[^/]*\.egg-info)$/.test(src) })
  for (const dir of ['/runner/temp', '/runner/toolcache', '/runner/files']) {
    fs.rmSync(path.join(root, dir.slice(1)), { recursive: true, force: true })
    fs.mkdirSync(path.join(root, dir.slice(1)), { recursive: true })
  }
  const files = {
    GITHUB_OUTPUT: '/runner/files/output',
    GITHUB_STEP_SUMMARY: '/runner/files/summary.md',
    GITHUB_STATE: '/runner/files/state',
    GITHUB_ENV: '/runner/files/env'
  }
  for (const f of Object.values(files)) fs.writeFileSync(path.join(root, f.slice(1)), '')
  const env: Record<string, string> = {
    ...files,
    RUNNER_TEMP: '/runner/temp',
    RUNNER_TOOL_CACHE: '/runner/toolcache',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    TMPDIR: '/tmp',
    'INPUT_PROJECT-PATH': 'project',
    'INPUT_PYTHON-VERSION': '3.9',
    INPUT_INSTALLER: 'pip',
    INPUT_UPLOAD: 'never',
    'INPUT_PYTHON-VERSIONS-MANIFEST': 'http://127.0.0.1:9/no-manifest-in-tests.json',
    INPUT_CACHE: 'false',
    'INPUT_OUTPUT-DIR': '/runner/temp/out'
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const result = runInside(root, ['/opt/node/bin/node', '/action/dist/index.js'], { env, cwd: workspace, timeoutMs })
  return { ...result, outputs: parseOutputFile(fs.readFileSync(path.join(root, files.GITHUB_OUTPUT.slice(1)), 'utf8')) }
}
