/**
 * macOS signing: a temporary keychain (random password, unlocked, key
 * partition list set, put on the search list), codesign with the hardened
 * runtime and a secure timestamp, inside-out for one-folder builds and .app
 * bundles, `codesign --verify --strict`, notarization with notarytool, and
 * stapling of .app bundles. Every function here plans; nothing runs.
 */
import type { Command } from '../exec.js'

export interface Keychain {
  readonly path: string
  readonly password: string
}

const SECURITY = '/usr/bin/security'
const CODESIGN = '/usr/bin/codesign'

export function keychainSetup(k: Keychain, p12: string, p12Password: string, searchList: readonly string[]): Command[] {
  return [
    { program: SECURITY, args: ['create-keychain', '-p', k.password, k.path], redact: [k.password] },
    { program: SECURITY, args: ['set-keychain-settings', '-lut', '21600', k.path] },
    { program: SECURITY, args: ['unlock-keychain', '-p', k.password, k.path], redact: [k.password] },
    { program: SECURITY, args: ['import', p12, '-k', k.path, '-P', p12Password, '-f', 'pkcs12', '-T', CODESIGN, '-T', SECURITY], redact: [p12Password] },
    { program: SECURITY, args: ['set-key-partition-list', '-S', 'apple-tool:,apple:,codesign:', '-s', '-k', k.password, k.path], redact: [k.password] },
    { program: SECURITY, args: ['list-keychains', '-d', 'user', '-s', k.path, ...searchList.filter((p) => p !== k.path)] }
  ]
}

/** Puts the search list and default keychain back as they were, and deletes the temporary keychain. */
export function keychainCleanup(keychain: string, searchList: readonly string[], defaultKeychain: string): Command[] {
  const original = searchList.filter((p) => p !== keychain)
  return [
    // An empty list would leave the user with no keychains: only restore a list that was read.
    ...(original.length ? [{ program: SECURITY, args: ['list-keychains', '-d', 'user', '-s', ...original] }] : []),
    ...(defaultKeychain ? [{ program: SECURITY, args: ['default-keychain', '-d', 'user', '-s', defaultKeychain] }] : []),
    { program: SECURITY, args: ['delete-keychain', keychain] }
  ]
}

export const listKeychainsCommand: Command = { program: SECURITY, args: ['list-keychains', '-d', 'user'] }
export const defaultKeychainCommand: Command = { program: SECURITY, args: ['default-keychain', '-d', 'user'] }

/** The quoted paths `security list-keychains` / `default-keychain` print, one a line. */
export function parseKeychainPaths(stdout: string): string[] {
  return [...stdout.matchAll(/^\s*"([^"]+)"\s*$/gm)].map((m) => m[1])
}

export const findIdentityCommand = (keychain: string): Command => ({ program: SECURITY, args: ['find-identity', '-v', '-p', 'codesigning', keychain] })

/** The first valid code-signing identity (its SHA-1) in `security find-identity` output. */
export function parseIdentity(stdout: string): string | undefined {
  return /^\s*\d+\)\s+([0-9A-F]{40})\s+"/m.exec(stdout)?.[1]
}

/**
 * The order to sign a build's code in, inside-out: nested code before what
 * contains it, as Apple requires ("sign each item separately, starting with
 * the most deeply nested executable, and working your way out", Apple,
 * "Creating distribution-signed code for macOS"; codesign(1) recommends
 * against --deep). `nested` are the code bundles inside the build that must
 * be sealed as bundles (the version folders of .framework bundles, see
 * frameworkSignTargets): each comes after every file inside it and before
 * whatever contains it. Then the main executables, and the .app last.
 */
export function signOrder(machO: readonly string[], executables: readonly string[], bundle?: string, nested: readonly string[] = []): string[] {
  const depth = (p: string): number => p.split('/').length
  const items = [...machO.filter((p) => !executables.includes(p)), ...nested.filter((p) => !machO.includes(p))]
  const inside = items.sort((a, b) => depth(b) - depth(a) || a.localeCompare(b))
  return [...inside, ...executables, ...(bundle ? [bundle] : [])]
}

/**
 * What to sign for one .framework bundle: each real version folder
 * (`Foo.framework/Versions/A`, never the `Current` symlink), as Apple's
 * TN2206 ("Signing Frameworks") asks: "make sure that you sign a specific
 * version as opposed to the whole framework". A framework without a
 * Versions folder (a shallow bundle) is signed as itself.
 */
export function frameworkSignTargets(framework: string, realVersions: readonly string[]): string[] {
  return realVersions.length ? [...realVersions].sort().map((v) => `${framework}/Versions/${v}`) : [framework]
}

/**
 * Whether a target gets the entitlements: only executables and the .app
 * bundle. Apple, "Hardened Runtime": "You add entitlements only to
 * executables. Shared libraries, frameworks, and in-process plug-ins inherit
 * the entitlements of their host executable"; and, for nested code, "Don't
 * include entitlements or profiles when signing frameworks. Including them
 * produces an invalid code signature."
 */
export const takesEntitlements = (target: string, executables: readonly string[], bundle?: string): boolean => executables.includes(target) || target === bundle

export function codesignCommand(identity: string, keychain: string, target: string, entitlements: string): Command {
  return {
    program: CODESIGN,
    args: [
      '--force',
      '--options',
      'runtime',
      '--timestamp',
      '--sign',
      identity,
      '--keychain',
      keychain,
      ...(entitlements ? ['--entitlements', entitlements] : []),
      target
    ]
  }
}

export const verifyCommand = (target: string): Command => ({ program: CODESIGN, args: ['--verify', '--strict', '--verbose=2', target] })

export type NotaryAuth =
  | { readonly kind: 'api-key'; readonly keyFile: string; readonly keyId: string; readonly issuer: string }
  | { readonly kind: 'apple-id'; readonly appleId: string; readonly password: string; readonly teamId: string }

function authArgs(auth: NotaryAuth): { args: string[]; redact: string[] } {
  return auth.kind === 'api-key'
    ? { args: ['--key', auth.keyFile, '--key-id', auth.keyId, '--issuer', auth.issuer], redact: [] }
    : { args: ['--apple-id', auth.appleId, '--password', auth.password, '--team-id', auth.teamId], redact: [auth.password] }
}

/** ditto zips what notarytool accepts; --keepParent keeps a .app a .app. */
export const zipCommand = (target: string, zip: string): Command => ({ program: '/usr/bin/ditto', args: ['-c', '-k', '--keepParent', target, zip] })

export function submitCommand(zip: string, auth: NotaryAuth, timeout: string): Command {
  const a = authArgs(auth)
  return {
    program: '/usr/bin/xcrun',
    args: ['notarytool', 'submit', zip, ...a.args, '--wait', '--timeout', timeout, '--output-format', 'json'],
    redact: a.redact
  }
}

export function notaryLogCommand(id: string, auth: NotaryAuth): Command {
  const a = authArgs(auth)
  return { program: '/usr/bin/xcrun', args: ['notarytool', 'log', id, ...a.args], redact: a.redact }
}

/** The submission id and status from `notarytool submit --output-format json`. */
export function parseSubmission(stdout: string): { id: string; status: string } | undefined {
  const json = stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1)
  try {
    const r = JSON.parse(json) as { id?: string; status?: string }
    return r.id ? { id: r.id, status: r.status ?? '' } : undefined
  } catch {
    return undefined
  }
}

/** The issues of a notary log, one message each: `path: message`. */
export function notaryIssues(logJson: string): string[] {
  try {
    if (!logJson.includes('{')) return ['the notary log could not be read']
    const log = JSON.parse(logJson.slice(logJson.indexOf('{'))) as {
      issues?: { path?: string; message?: string; severity?: string }[] | null
      statusSummary?: string
    }
    const issues = (log.issues ?? []).map((i) => `${i.path ? `${i.path}: ` : ''}${i.message ?? 'unknown issue'}`)
    return issues.length ? issues : [log.statusSummary ?? 'the notary log lists no issues']
  } catch {
    return ['the notary log could not be read']
  }
}

export const stapleCommand = (app: string): Command => ({ program: '/usr/bin/xcrun', args: ['stapler', 'staple', app] })

/** A notarytool timeout: a number with s, m or h. */
export const NOTARY_TIMEOUT = /^\d+[smh]$/
