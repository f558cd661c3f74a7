/**
 * The sign stage: Windows Authenticode and macOS codesign + notarization +
 * stapling, each only when its inputs are set. Runs before the smoke tests and
 * packaging, so what is tested and shipped is what was signed. The commands
 * come from the planners in windows.ts and macos.ts; `run` executes them
 * (injected, so the macOS flow is testable on any machine).
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import * as io from '@actions/io'
import type { Build } from '../freeze/index.js'
import { InputError, StageError } from '../errors.js'
import { display, runCommand, tail, type Command, type Result } from '../exec.js'
import type { Platform } from '../platform.js'
import { readHead } from '../files.js'
import { decodeInput, mask, writeSecret } from './secrets.js'
import * as mac from './macos.js'
import { DEFAULT_ENTITLEMENT_KEYS, DEFAULT_ENTITLEMENTS, DEFAULT_ENTITLEMENTS_FILE } from './entitlements.js'
import type { MacSigning, SigningConfig, WindowsSigning } from '../config.js'
import { extractCertsCommand, isPE, osslsigncodeCommands, peFilesToSign, signtoolCandidates, signtoolCommands, type AuthenticodeOptions } from './windows.js'

export type Runner = (cmd: Command) => Promise<Result>

/** State the post step needs to undo the macOS keychain changes. */
export const KEYCHAIN_STATE = { path: 'keychain', searchList: 'keychain-search-list', default: 'keychain-default' } as const

export interface SignReport {
  readonly signed: readonly string[]
  readonly notes: readonly string[]
  /** macOS: the identity and temporary keychain that signed (and the notary's credentials), for the disk image signed later. */
  readonly mac?: { readonly identity: string; readonly keychain: string; readonly notary?: { readonly auth: mac.NotaryAuth; readonly timeout: string } }
}

/**
 * A runner that starts every signing program with the essentials of the
 * environment only (exec.ts, scope `tool`): no workflow variable, no input.
 * Each program's own secret reaches it as it reads one: osslsigncode and
 * openssl from the 0600 password file, signtool, security and notarytool as
 * an argument (they read no file), shown as *** in the log.
 */
export const asTool =
  (run: Runner): Runner =>
  (cmd) =>
    run({ ...cmd, scope: 'tool' })

async function checked(run: Runner, cmd: Command, what: string): Promise<Result> {
  const r = await run(cmd)
  if (r.exitCode !== 0) throw new StageError('sign', `${what}: \`${display(cmd)}\` exited with code ${r.exitCode}.\n${tail(`${r.stdout}\n${r.stderr}`, 15)}`)
  return r
}

/** Every executable file of the builds, plus what `list` finds inside one-folder builds (other PE files). */
export function filesToSign(builds: readonly Build[], list: (root: string) => string[]): string[] {
  const out: string[] = []
  for (const b of builds) {
    for (const e of b.executables) if (!out.includes(e.path)) out.push(e.path)
    if (b.mode !== 'onefile') for (const f of list(b.root)) if (!out.includes(f)) out.push(f)
  }
  return out
}

const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]))

/** Signs Windows PE files with signtool (Windows) or osslsigncode, then verifies each. */
export async function signWindowsFiles(
  files: readonly string[],
  w: WindowsSigning,
  platform: Platform,
  workDir: string,
  runAny: Runner = runCommand
): Promise<string[]> {
  const run = asTool(runAny)
  const pfx = decodeInput(w.certificate, 'windows-certificate', 'Give the PFX file encoded as base64 (base64 -w0 cert.pfx), usually from a secret.')
  const o: AuthenticodeOptions = {
    pfx: writeSecret(workDir, 'authenticode.pfx', pfx),
    password: w.password,
    passwordFile: writeSecret(workDir, 'authenticode.pass', w.password),
    timestampUrl: w.timestampUrl,
    description: w.description,
    url: w.url
  }
  if (!o.timestampUrl) core.warning('timestamp-url is none: the signatures carry no timestamp and stop being valid when the certificate expires.')
  const wrongPassword = (r: Result): boolean => /wrong password|mac verify failure|password is not correct|PKCS12_parse/i.test(`${r.stdout}${r.stderr}`)
  const refuse = (): InputError =>
    new InputError(
      'windows-certificate-password',
      'does not open windows-certificate (the PFX file).',
      'Check that the password secret belongs to this certificate.'
    )
  // signtool on a Windows runner; osslsigncode elsewhere, also for Windows programs built under Wine.
  const signtool = platform.os === 'windows' && !platform.via ? findSigntool(platform) : undefined
  if (signtool) {
    for (const file of files) {
      const [signCmd, verifyCmd] = signtoolCommands(signtool, file, o)
      const r = await run(signCmd)
      if (r.exitCode !== 0 && wrongPassword(r)) throw refuse()
      if (r.exitCode !== 0) throw new StageError('sign', `signtool could not sign ${file} (exit code ${r.exitCode}).\n${tail(`${r.stdout}\n${r.stderr}`, 15)}`)
      await checked(run, verifyCmd, `the signature of ${file} did not verify`)
    }
    return [...files]
  }
  const osslsigncode = await io.which('osslsigncode', false)
  if (!osslsigncode)
    throw new StageError(
      'sign',
      `neither signtool (Windows SDK) nor osslsigncode is available on this ${platform.os} runner. Install osslsigncode (apt-get install osslsigncode, brew install osslsigncode).`
    )
  const openssl = await io.which('openssl', true)
  const certs = path.join(path.dirname(o.pfx), 'authenticode-certs.pem')
  const extract = await run(extractCertsCommand(openssl, o.pfx, o.passwordFile, certs))
  if (extract.exitCode !== 0) {
    if (wrongPassword(extract) || /mac verify|invalid password|password/i.test(extract.stderr)) throw refuse()
    throw new StageError('sign', `windows-certificate could not be read as a PFX file.\n${tail(extract.stderr, 5)}`)
  }
  const system = ['/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/cert.pem'].find((f) => fs.existsSync(f))
  const bundle = writeSecret(workDir, 'authenticode-ca.pem', `${system ? fs.readFileSync(system, 'utf8') : ''}\n${fs.readFileSync(certs, 'utf8')}`)
  for (const file of files) {
    const signed = `${file}.signed`
    const { sign, verify } = osslsigncodeCommands(osslsigncode, file, signed, bundle, o)
    fs.rmSync(signed, { force: true })
    const r = await run(sign)
    if (r.exitCode !== 0 && wrongPassword(r)) throw refuse()
    if (r.exitCode !== 0)
      throw new StageError('sign', `osslsigncode could not sign ${file} (exit code ${r.exitCode}).\n${tail(`${r.stdout}\n${r.stderr}`, 15)}`)
    fs.renameSync(signed, file)
    await checked(run, verify, `the signature of ${file} did not verify`)
  }
  return [...files]
}

function findSigntool(platform: Platform): string | undefined {
  const kits = path.join(process.env['ProgramFiles(x86)'] || 'C:\\Program Files (x86)', 'Windows Kits', '10')
  const bin = path.join(kits, 'bin')
  const versions = fs.existsSync(bin) ? fs.readdirSync(bin) : []
  return signtoolCandidates(platform, kits, versions).find((p) => fs.existsSync(p))
}

export interface MacContext {
  readonly workDir: string
  readonly run: Runner
  readonly saveState: (name: string, value: string) => void
  readonly isMachO: (file: string) => boolean
  /** Every file under a folder, symbolic links left out (codesign signs what a link points to, under the link's name). */
  readonly listFiles: (root: string) => string[]
  /** What to sign of each .framework bundle under a folder (frameworkSignTargets). */
  readonly listFrameworks: (root: string) => string[]
}

/** Writes the default entitlements (entitlements.ts) into the work folder; returns the file. */
function writeDefaultEntitlements(workDir: string): string {
  const file = path.join(workDir, DEFAULT_ENTITLEMENTS_FILE)
  fs.mkdirSync(workDir, { recursive: true })
  fs.writeFileSync(file, DEFAULT_ENTITLEMENTS)
  return file
}

/** Every regular file under `dir`, symbolic links and what they point to left out. */
export const regularFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name)
    return d.isDirectory() ? regularFiles(p) : d.isFile() ? [p] : []
  })

/**
 * The sign targets of every .framework bundle under `dir` (a folder named
 * *.framework with a Resources entry, Apple's mark of a framework, "Anatomy
 * of Framework Bundles"): its real version folders, nested frameworks too.
 */
export function frameworkTargets(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (!d.isDirectory()) return []
    const p = path.join(dir, d.name)
    const own =
      d.name.endsWith('.framework') && fs.existsSync(path.join(p, 'Resources'))
        ? mac.frameworkSignTargets(
            p,
            fs.existsSync(path.join(p, 'Versions'))
              ? fs
                  .readdirSync(path.join(p, 'Versions'), { withFileTypes: true })
                  .filter((v) => v.isDirectory())
                  .map((v) => v.name)
              : []
          )
        : []
    return [...own, ...frameworkTargets(p)]
  })
}

/** The macOS flow; state for the post step is saved before the keychain is created. */
export async function signMac(builds: readonly Build[], m: MacSigning, ctx: MacContext): Promise<SignReport> {
  const notes: string[] = []
  const p12 = decodeInput(m.certificate, 'macos-certificate', 'Give the .p12 file encoded as base64 (base64 -i cert.p12), usually from a secret.')
  const p12File = writeSecret(ctx.workDir, 'codesign.p12', p12)
  const keychain: mac.Keychain = {
    path: path.join(ctx.workDir, 'secrets', `build-standalone-${randomBytes(6).toString('hex')}.keychain-db`),
    password: randomBytes(24).toString('hex')
  }
  mask(keychain.password)
  const searchList = mac.parseKeychainPaths((await checked(ctx.run, mac.listKeychainsCommand, 'could not read the keychain search list')).stdout)
  const defaultKeychain = mac.parseKeychainPaths((await ctx.run(mac.defaultKeychainCommand)).stdout)[0] ?? ''
  ctx.saveState(KEYCHAIN_STATE.path, keychain.path)
  ctx.saveState(KEYCHAIN_STATE.searchList, JSON.stringify(searchList))
  ctx.saveState(KEYCHAIN_STATE.default, defaultKeychain)
  for (const cmd of mac.keychainSetup(keychain, p12File, m.password, searchList)) {
    const r = await ctx.run(cmd)
    if (r.exitCode !== 0 && cmd.args[0] === 'import')
      throw new InputError(
        'macos-certificate-password',
        'does not open macos-certificate (the .p12 file), or the file is not a .p12.',
        'Check that the password secret belongs to this certificate.'
      )
    if (r.exitCode !== 0) throw new StageError('sign', `\`${display(cmd)}\` exited with code ${r.exitCode}.`)
  }
  const identity = m.identity || mac.parseIdentity((await checked(ctx.run, mac.findIdentityCommand(keychain.path), 'could not list signing identities')).stdout)
  if (!identity)
    throw new InputError(
      'macos-signing-identity',
      'is empty, and macos-certificate holds no valid code-signing identity.',
      'Give the identity, e.g. "Developer ID Application: Name (TEAMID)".'
    )
  const entitlements = m.entitlements || writeDefaultEntitlements(ctx.workDir)
  if (!m.entitlements) core.info(`macos-entitlements is not set: signing the executables with ${DEFAULT_ENTITLEMENT_KEYS.join(', ')} (${entitlements}).`)
  const signed: string[] = []
  for (const b of builds) {
    const bundle = b.mode === 'app' ? b.root : undefined
    const executables = b.executables.map((e) => e.path)
    const order = b.mode === 'onefile' ? [b.root] : mac.signOrder(ctx.listFiles(b.root).filter(ctx.isMachO), executables, bundle, ctx.listFrameworks(b.root))
    for (const target of order) {
      const withEntitlements = mac.takesEntitlements(target, executables, bundle)
      await checked(ctx.run, mac.codesignCommand(identity, keychain.path, target, withEntitlements ? entitlements : ''), `could not sign ${target}`)
    }
    const top = bundle ?? (b.mode === 'onefile' ? b.root : undefined)
    for (const target of top ? [top] : executables) await checked(ctx.run, mac.verifyCommand(target), `the signature of ${target} did not verify`)
    signed.push(...order)
    if (m.notarize && m.auth) notes.push(...(await notarize(b, m, ctx)))
  }
  const notary = m.notarize && m.auth ? { auth: notaryAuth(m, ctx.workDir), timeout: m.timeout } : undefined
  return { signed, notes, mac: { identity, keychain: keychain.path, notary } }
}

/** The notary service's credentials from the inputs (an API key is written owner-only under the work folder). */
function notaryAuth(m: MacSigning, workDir: string): mac.NotaryAuth {
  return m.auth!.kind === 'api-key'
    ? {
        kind: 'api-key',
        keyFile: writeSecret(workDir, 'AuthKey.p8', decodeInput(m.auth!.key, 'apple-api-key', 'Give the .p8 key encoded as base64, usually from a secret.')),
        keyId: m.auth!.keyId,
        issuer: m.auth!.issuer
      }
    : { kind: 'apple-id', appleId: m.auth!.appleId, password: m.auth!.password, teamId: m.auth!.teamId }
}

async function notarize(b: Build, m: MacSigning, ctx: MacContext): Promise<string[]> {
  const auth = notaryAuth(m, ctx.workDir)
  const zip = path.join(ctx.workDir, 'notarize', `${path.basename(b.root)}.zip`)
  fs.mkdirSync(path.dirname(zip), { recursive: true })
  await checked(ctx.run, mac.zipCommand(b.root, zip), `could not zip ${b.root} for notarization`)
  const submit = await ctx.run(mac.submitCommand(zip, auth, m.timeout))
  const result = mac.parseSubmission(submit.stdout)
  if (!result)
    throw new StageError(
      'sign',
      `notarytool gave no submission result for ${b.name} (exit code ${submit.exitCode}).\n${tail(`${submit.stdout}\n${submit.stderr}`, 10)}`
    )
  if (result.status !== 'Accepted') {
    const log = await ctx.run(mac.notaryLogCommand(result.id, auth))
    const issues = mac.notaryIssues(log.stdout)
    for (const issue of issues) core.error(`notarization of ${b.name}: ${issue}`)
    throw new StageError(
      'sign',
      `Apple's notary service answered ${result.status || 'no status'} for ${b.name} (submission ${result.id}): ${issues.join('; ')}`
    )
  }
  if (b.mode === 'app') {
    await checked(ctx.run, mac.stapleCommand(b.root), `could not staple ${b.root}`)
    return [`${b.name}: notarized and stapled.`]
  }
  return [`${b.name}: notarized; a bare executable cannot be stapled, so Gatekeeper checks it online on first launch.`]
}

/** Undoes the keychain changes recorded in the state (post step). */
export async function cleanupMac(getState: (name: string) => string, runAny: Runner): Promise<string[]> {
  const run = asTool(runAny)
  const keychain = getState(KEYCHAIN_STATE.path)
  if (!keychain) return []
  const problems: string[] = []
  for (const cmd of mac.keychainCleanup(keychain, JSON.parse(getState(KEYCHAIN_STATE.searchList) || '[]') as string[], getState(KEYCHAIN_STATE.default))) {
    const r = await run(cmd).catch((e: Error) => ({ exitCode: 1, stdout: '', stderr: e.message }))
    if (r.exitCode !== 0) problems.push(`${display(cmd)}: exit code ${r.exitCode}`)
  }
  return problems
}

export const isMachOFile = (file: string): boolean => {
  try {
    const h = Buffer.from(readHead(file, 4))
    return [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xbebafeca].includes(h.readUInt32BE(0))
  } catch {
    return false
  }
}

/** Signs what the inputs ask for, on the platform that can. */
export async function sign(signing: SigningConfig, platform: Platform, builds: readonly Build[], workDir: string): Promise<SignReport> {
  const signed: string[] = []
  const notes: string[] = []
  let macSigned: SignReport['mac']
  if (signing.windows) {
    const executables = new Set(builds.flatMap((b) => b.executables.map((e) => e.path)))
    const candidates = filesToSign(builds, (root) => walk(root).filter((f) => /\.(exe|dll|pyd)$/i.test(f)))
    const pe = peFilesToSign(candidates, executables, (f) => readHead(f, 4096))
    const kept = candidates.filter((f) => !pe.includes(f) && isPE(readHead(f, 2)))
    if (kept.length)
      notes.push(`Authenticode: ${kept.length} DLL(s) already signed by their vendor kept as they are (${kept.map((f) => path.basename(f)).join(', ')}).`)
    if (!pe.length) notes.push(`Authenticode: this ${platform.os} runner built no Windows executables, so nothing was signed.`)
    else signed.push(...(await signWindowsFiles(pe, signing.windows, platform, workDir)))
  }
  if (signing.macos) {
    if (platform.os !== 'macos') notes.push(`macOS signing: this ${platform.os} runner built no macOS executables, so nothing was signed.`)
    else {
      const r = await signMac(builds, signing.macos, {
        workDir,
        run: asTool(runCommand),
        saveState: core.saveState,
        isMachO: isMachOFile,
        listFiles: regularFiles,
        listFrameworks: frameworkTargets
      })
      signed.push(...r.signed)
      notes.push(...r.notes)
      macSigned = r.mac
    }
  }
  for (const n of notes) core.info(n)
  return { signed, notes, mac: macSigned }
}
