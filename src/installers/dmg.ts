/**
 * The macOS disk image (.dmg): a staging folder holding the .app (or the
 * one-folder build, or the one-file executable) copied with ditto (which
 * keeps links, modes and signatures) and a link to /Applications to drag it
 * onto, made into a compressed UDIF image (UDZO) on HFS+ by hdiutil and
 * verified; then, when the macOS signing inputs are set, the image is signed
 * (codesign signs a disk image's own signature, no hardened runtime or
 * entitlements: those belong to the code inside), notarized and stapled
 * (Apple, "Customizing the notarization workflow": a signed disk image is
 * submitted as it is, and `stapler staple` attaches the ticket to it).
 * Pure: the commands run on macOS runners only.
 */
import type { Command } from '../exec.js'
import type { Build } from '../freeze/builds.js'
import type { Platform } from '../platform.js'
import { type NotaryAuth, stapleCommand, submitCommand, verifyCommand } from '../sign/macos.js'
import type { PackageMeta } from './meta.js'

const HDIUTIL = '/usr/bin/hdiutil'
const DITTO = '/usr/bin/ditto'
const CODESIGN = '/usr/bin/codesign'

/** `{name}-{version}-macos-{arch}.dmg`. */
export const dmgFileName = (meta: Pick<PackageMeta, 'name' | 'version'>, platform: Pick<Platform, 'arch'>): string =>
  `${meta.name}-${meta.version}-macos-${platform.arch}.dmg`

export interface DmgSigning {
  readonly identity: string
  readonly keychain: string
  /** Set when notarize is on. */
  readonly notary?: { readonly auth: NotaryAuth; readonly timeout: string }
}

export interface DmgPlan {
  /** The folder that becomes the image's contents (emptied first). */
  readonly staging: string
  /** The link the image holds beside the build: Applications → /Applications. */
  readonly link: { readonly path: string; readonly target: string }
  /** Copy, then make and verify the image; then sign, verify, notarize, staple and validate when asked. */
  readonly commands: readonly Command[]
  /** The index of the notarytool submit command in `commands` (its JSON answer is read), -1 without notarization. */
  readonly submitAt: number
}

/** The image's volume name: the package's name and version (what Finder shows when it is opened). */
export const volumeName = (meta: Pick<PackageMeta, 'name' | 'version'>): string => `${meta.name} ${meta.version}`.slice(0, 27)

export function planDmg(meta: PackageMeta, platform: Platform, build: Build, dmg: string, workDir: string, signing?: DmgSigning): DmgPlan {
  const join = platform.path.join
  const staging = join(workDir, 'installers', 'dmg', meta.name)
  const inside = join(staging, platform.path.basename(build.root))
  const commands: Command[] = [
    { program: DITTO, args: [build.root, inside] },
    {
      program: HDIUTIL,
      args: ['create', '-volname', volumeName(meta), '-srcfolder', staging, '-fs', 'HFS+', '-format', 'UDZO', '-imagekey', 'zlib-level=9', '-ov', dmg]
    },
    { program: HDIUTIL, args: ['verify', dmg] }
  ]
  let submitAt = -1
  if (signing) {
    commands.push({ program: CODESIGN, args: ['--force', '--timestamp', '--sign', signing.identity, '--keychain', signing.keychain, dmg] }, verifyCommand(dmg))
    if (signing.notary) {
      submitAt = commands.length
      commands.push(submitCommand(dmg, signing.notary.auth, signing.notary.timeout), stapleCommand(dmg), {
        program: '/usr/bin/xcrun',
        args: ['stapler', 'validate', dmg]
      })
    }
  }
  return { staging, link: { path: join(staging, 'Applications'), target: '/Applications' }, commands, submitAt }
}
