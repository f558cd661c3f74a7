/**
 * A Debian 13 (trixie) root filesystem with Wine 10.0, for the Windows tests
 * that need what Debian 12's Wine 8.0 cannot run (Node 24, uv.exe): made
 * once with `debootstrap --variant=minbase` from the machine's Debian mirror
 * (as the bullseye one, ../long/bullseye.ts), Wine installed inside with
 * apt-get, and kept unpacked under /var/cache/build-standalone
 * (BUILD_STANDALONE_CACHE overrides it): Wine writes only its server socket
 * inside (/tmp/.wine-0), every prefix lives outside, so one copy serves every
 * test file.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { CACHE_DIR, check, debianMirror, HOST_CA } from '../long/bullseye.js'

export const TRIXIE = 'trixie'
export const TRIXIE_WINE_PACKAGES = ['wine', 'wine64']

/** The cached root filesystem's folder: named by suite and packages, so a change of either makes a new one. */
export function trixieRootfsPath(): string {
  const key = createHash('sha256')
    .update(`${TRIXIE} minbase ca-certificates; apt-get install --no-install-recommends ${TRIXIE_WINE_PACKAGES.join(',')}`)
    .digest('hex')
    .slice(0, 12)
  return path.join(CACHE_DIR, `${TRIXIE}-wine-${key}`)
}

/** Why the trixie root filesystem cannot be used here ('' when it can): root, unshare and chroot, debootstrap unless cached. */
export function missingForTrixie(): string {
  if (process.getuid?.() !== 0) return 'not root (chroot and mounts need it)'
  for (const tool of ['unshare', 'chroot', 'mount']) if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status !== 0) return `${tool} is not installed`
  if (!fs.existsSync(trixieRootfsPath()) && spawnSync('sh', ['-c', 'command -v debootstrap']).status !== 0)
    return 'debootstrap is not installed (and the trixie root filesystem is not cached)'
  return ''
}

/** Runs a command chrooted in `root` with /proc and /dev mounted, in a private mount namespace. */
const CHROOT = `set -u
root="$1"; shift
mount --make-rprivate /
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
exec chroot "$root" "$@"
`

/** The cached root filesystem, made (about a minute: debootstrap, then apt-get install wine) when missing; says how long that took. */
export function ensureTrixieRootfs(): string {
  const root = trixieRootfsPath()
  if (fs.existsSync(root)) return root
  const started = Date.now()
  fs.mkdirSync(CACHE_DIR, { recursive: true })
  const dir = fs.mkdtempSync(path.join(CACHE_DIR, `${TRIXIE}-making-`))
  try {
    check(
      spawnSync('debootstrap', ['--variant=minbase', '--include=ca-certificates', TRIXIE, dir, debianMirror()], { encoding: 'utf8', timeout: 900_000 }),
      'debootstrap of trixie'
    )
    fs.copyFileSync(HOST_CA, path.join(dir, 'etc', 'ssl', 'certs', 'host-ca-bundle.crt'))
    fs.rmSync(path.join(dir, 'etc', 'resolv.conf'), { force: true })
    if (fs.existsSync('/etc/resolv.conf')) fs.copyFileSync('/etc/resolv.conf', path.join(dir, 'etc', 'resolv.conf'))
    const install = `apt-get update -qq && apt-get install -y -qq --no-install-recommends ${TRIXIE_WINE_PACKAGES.join(' ')} && apt-get clean`
    check(
      spawnSync(
        'unshare',
        [
          '-m',
          '--propagation',
          'private',
          '/bin/sh',
          '-c',
          CHROOT,
          'chroot',
          dir,
          '/usr/bin/env',
          '-i',
          'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
          'HOME=/root',
          'DEBIAN_FRONTEND=noninteractive',
          '/bin/sh',
          '-c',
          install
        ],
        { encoding: 'utf8', timeout: 900_000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } }
      ),
      'apt-get install wine in trixie'
    )
    fs.rmSync(path.join(dir, 'var', 'lib', 'apt', 'lists'), { recursive: true, force: true })
    fs.renameSync(dir, root)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  process.stdout.write(`trixie: made ${root} (Wine ${TRIXIE_WINE_PACKAGES.join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  return root
}
