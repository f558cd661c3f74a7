import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeEach, describe, it, expect } from '@jest/globals'
import { captureOutput } from '../../__fixtures__/capture.js'
import type { Build } from '../../src/freeze/index.js'
import { InputError, StageError } from '../../src/errors.js'
import { runCommand, type Command, type Result } from '../../src/exec.js'
import { platformFor } from '../../src/platform.js'
import {
  cleanupMac,
  filesToSign,
  frameworkTargets,
  isMachOFile,
  KEYCHAIN_STATE,
  regularFiles,
  signMac,
  signWindowsFiles,
  type MacContext,
  type Runner
} from '../../src/sign/index.js'
import { DEFAULT_ENTITLEMENT_KEYS, DEFAULT_ENTITLEMENTS_FILE } from '../../src/sign/entitlements.js'
import { decodeBase64, mask, secretsDir, writeSecret } from '../../src/sign/secrets.js'
import type { MacSigning, WindowsSigning } from '../../src/config.js'

const SECURITY = '/usr/bin/security'
const CODESIGN = '/usr/bin/codesign'
const XCRUN = '/usr/bin/xcrun'
const DITTO = '/usr/bin/ditto'

const LOGIN = '/Users/runner/Library/Keychains/login.keychain-db'
const SYSTEM = '/Library/Keychains/System.keychain'
const LIST_OUTPUT = `    "${LOGIN}"\n    "${SYSTEM}"\n`
const DEFAULT_OUTPUT = `    "${LOGIN}"\n`
const HASH = '1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D'
const FIND_IDENTITY_OUTPUT = `  1) ${HASH} "Developer ID Application: Example Corp (ABCDE12345)"\n     1 valid identities found\n`
const SUBMISSION_ID = '2efe2717-52ef-43a5-96dc-0797e4ca1041'
const submitOutput = (status: string): string =>
  [
    'Conducting pre-submission checks for app.zip and initiating connection to the Apple notary service...',
    'Submission ID received',
    `  id: ${SUBMISSION_ID}`,
    'Upload progress: 100.00% (2.10 MB of 2.10 MB)',
    'Successfully uploaded file',
    'Waiting for processing to complete.',
    `Current status: ${status}....`,
    JSON.stringify({ id: SUBMISSION_ID, message: 'Processing complete', status }),
    ''
  ].join('\n')
const NOTARY_LOG = JSON.stringify(
  {
    logFormatVersion: 1,
    jobId: SUBMISSION_ID,
    status: 'Invalid',
    statusSummary: 'Archive contains critical validation errors',
    statusCode: 4000,
    issues: [
      {
        severity: 'error',
        code: null,
        path: 'Demo.app.zip/Demo.app/Contents/MacOS/Demo',
        message: 'The signature of the binary is invalid.',
        architecture: 'arm64'
      },
      {
        severity: 'error',
        code: null,
        path: 'Demo.app.zip/Demo.app/Contents/Frameworks/libpython3.12.dylib',
        message: 'The executable does not have the hardened runtime enabled.',
        architecture: 'arm64'
      }
    ]
  },
  null,
  2
)

const P12_BYTES = Buffer.from('3082 0a1f 0201 0330 8209 e506 092a 8648 86f7 0d01 0701 a082 09d6 fake-p12-content', 'utf8')
const P12_B64 = P12_BYTES.toString('base64')
const P12_PASSWORD = 'Pk12-Secret-7f3a!'
const P8 = '-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQgFAKEKEY\n-----END PRIVATE KEY-----\n'
const P8_B64 = Buffer.from(P8).toString('base64')
const APP_PASSWORD = 'qwer-tyui-opas-dfgh'

const API_KEY_AUTH = { kind: 'api-key', key: P8_B64, keyId: 'ABC123DEF4', issuer: '69a6de7e-1111-2222-3333-5bc37c11a4d1' } as const
const APPLE_ID_AUTH = { kind: 'apple-id', appleId: 'dev@example.com', password: APP_PASSWORD, teamId: 'ABCDE12345' } as const

const MAC: MacSigning = { certificate: P12_B64, password: P12_PASSWORD, identity: '', entitlements: '', notarize: false, timeout: '30m' }

/** The first bytes of a 64-bit Mach-O file (MH_MAGIC_64, little-endian), as <mach-o/loader.h> defines them. */
const MACHO = Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01])

/**
 * Builds laid out on disk as PyInstaller 6 leaves them on macOS with a
 * framework Python (macos-latest's): a one-file executable; a one-folder
 * build with two executables, extension modules, a vendored .dylib and
 * Python.framework kept as a framework bundle (with its Versions/Current,
 * top-level symlinks and a symlink beside it); a .app with the same inside.
 */
function pythonFramework(dir: string): void {
  const fw = path.join(dir, 'Python.framework')
  fs.mkdirSync(path.join(fw, 'Versions', '3.12', 'Resources'), { recursive: true })
  fs.writeFileSync(path.join(fw, 'Versions', '3.12', 'Python'), MACHO)
  fs.writeFileSync(path.join(fw, 'Versions', '3.12', 'Resources', 'Info.plist'), '<plist/>')
  fs.symlinkSync('3.12', path.join(fw, 'Versions', 'Current'))
  fs.symlinkSync('Versions/Current/Python', path.join(fw, 'Python'))
  fs.symlinkSync('Versions/Current/Resources', path.join(fw, 'Resources'))
  fs.symlinkSync('Python.framework/Versions/3.12/Python', path.join(dir, 'Python'))
}

function layout(root: string): { onefile: Build; onedir: Build; app: Build } {
  const file = (p: string, content: Buffer | string): void => {
    fs.mkdirSync(path.dirname(p), { recursive: true })
    fs.writeFileSync(p, content)
  }
  const one = path.join(root, 'hello')
  file(one, MACHO)
  const dir = path.join(root, 'hello-dir')
  for (const p of [
    'hello',
    'helper',
    '_internal/lib-dynload/_ssl.cpython-312-darwin.so',
    '_internal/PIL/_imaging.cpython-312-darwin.so',
    '_internal/PIL/.dylibs/libjpeg.62.dylib'
  ])
    file(path.join(dir, p), MACHO)
  file(path.join(dir, '_internal/base_library.zip'), 'PK\x03\x04')
  file(path.join(dir, '_internal/certifi/cacert.pem'), '-----BEGIN CERTIFICATE-----')
  pythonFramework(path.join(dir, '_internal'))
  const app = path.join(root, 'Demo.app')
  file(path.join(app, 'Contents/MacOS/Demo'), MACHO)
  file(path.join(app, 'Contents/Frameworks/lib-dynload/_ssl.cpython-312-darwin.so'), MACHO)
  file(path.join(app, 'Contents/Info.plist'), '<plist/>')
  file(path.join(app, 'Contents/Resources/base_library.zip'), 'PK\x03\x04')
  pythonFramework(path.join(app, 'Contents/Frameworks'))
  return {
    onefile: { mode: 'onefile', name: 'hello', root: one, executables: [{ name: 'hello', path: one }] },
    onedir: {
      mode: 'onedir',
      name: 'hello-dir',
      root: dir,
      executables: [
        { name: 'hello', path: path.join(dir, 'hello') },
        { name: 'helper', path: path.join(dir, 'helper') }
      ]
    },
    app: { mode: 'app', name: 'Demo.app', root: app, executables: [{ name: 'Demo', path: path.join(app, 'Contents/MacOS/Demo') }] }
  }
}

type Respond = (cmd: Command) => Partial<Result> | undefined

/** The answers of a macOS runner with a valid certificate. */
function defaultAnswer(cmd: Command): Partial<Result> {
  const a = cmd.args
  if (cmd.program === SECURITY && a.length === 3 && a[0] === 'list-keychains') return { stdout: LIST_OUTPUT }
  if (cmd.program === SECURITY && a.length === 3 && a[0] === 'default-keychain') return { stdout: DEFAULT_OUTPUT }
  if (cmd.program === SECURITY && a[0] === 'find-identity') return { stdout: FIND_IDENTITY_OUTPUT }
  if (cmd.program === XCRUN && a[1] === 'submit') return { stdout: submitOutput('Accepted') }
  return {}
}

const answer = (respond: Respond, cmd: Command): Result => {
  const r = { ...defaultAnswer(cmd), ...(respond(cmd) ?? {}) }
  return { exitCode: r.exitCode ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' }
}

interface Fake {
  readonly ctx: MacContext
  readonly calls: Command[]
  /** run:<args[0]> and state:<name>, in the order they happened. */
  readonly events: string[]
  readonly state: Map<string, string>
  readonly listed: string[]
}

let workDir: string
let B: { onefile: Build; onedir: Build; app: Build }
const roots: string[] = []

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-sign-flow-'))
  roots.push(workDir)
  B = layout(path.join(workDir, 'dist'))
})

afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true })
})

/** The macOS flow with the action's own file listing and Mach-O test on the real folders above; only the programs are faked. */
function fake(respond: Respond = () => undefined, run?: (cmd: Command, r: Result) => Promise<Result>): Fake {
  const calls: Command[] = []
  const events: string[] = []
  const state = new Map<string, string>()
  const listed: string[] = []
  const ctx: MacContext = {
    workDir,
    run: async (cmd) => {
      calls.push(cmd)
      events.push(`run:${cmd.args[0] === 'notarytool' || cmd.args[0] === 'stapler' ? cmd.args.slice(0, 2).join(' ') : cmd.args[0]}`)
      const r = answer(respond, cmd)
      return run ? run(cmd, r) : r
    },
    saveState: (name, value) => {
      events.push(`state:${name}`)
      state.set(name, value)
    },
    isMachO: isMachOFile,
    listFiles: (root) => {
      listed.push(root)
      return regularFiles(root)
    },
    listFrameworks: frameworkTargets
  }
  return { ctx, calls, events, state, listed }
}

/** The temporary keychain, as signMac created it. */
function keychainOf(f: Fake): { path: string; password: string } {
  const create = f.calls.find((c) => c.args[0] === 'create-keychain')
  if (!create) throw new Error('no create-keychain command ran')
  return { path: create.args[3], password: create.args[2] }
}

/** codesign's signing runs (not --verify), each with its target (codesign's last argument) and options. */
function signings(f: Fake): { target: string; args: readonly string[]; entitlements?: string }[] {
  return f.calls
    .filter((c) => c.program === CODESIGN && !c.args.includes('--verify'))
    .map((c) => {
      const i = c.args.indexOf('--entitlements')
      return { target: c.args[c.args.length - 1], args: c.args, entitlements: i >= 0 ? c.args[i + 1] : undefined }
    })
}
const targets = (f: Fake): string[] => signings(f).map((s) => s.target)
const verified = (f: Fake): string[] => f.calls.filter((c) => c.program === CODESIGN && c.args.includes('--verify')).map((c) => c.args[c.args.length - 1])
const isInside = (inner: string, outer: string): boolean => inner.startsWith(`${outer}/`)

/** Every Mach-O regular file under a folder (what the kernel checks a signature of when it is loaded). */
function machOFiles(root: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile() && fs.readFileSync(p).subarray(0, 4).equals(MACHO.subarray(0, 4))) out.push(p)
    }
  }
  walk(root)
  return out
}

/** The keys set to true in an entitlements plist. */
function entitlementKeys(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1])
}

/**
 * What Apple's documentation requires of a signed build, checked on the
 * commands signMac ran:
 * - nested code is signed before what contains it (inside-out; "Creating
 *   distribution-signed code for macOS"), the .app bundle last;
 * - every Mach-O file of the build is signed, symbolic links never (codesign
 *   would sign what they point to);
 * - a .framework is sealed as a bundle, through its version folder (TN2206:
 *   "sign a specific version as opposed to the whole framework");
 * - every signature has the hardened runtime and a secure timestamp, which
 *   notarization requires ("Resolving common notarization issues");
 * - entitlements go to executables only, never to libraries or frameworks
 *   ("Hardened Runtime": "You add entitlements only to executables");
 * - what is shipped is checked with `codesign --verify --strict`.
 */
function expectAppleRules(f: Fake, build: Build): void {
  const order = targets(f).filter((t) => t === build.root || isInside(t, build.root))
  order.forEach((outer, i) => {
    for (const inner of order.slice(i + 1))
      expect({ signedBefore: inner, container: outer, inside: isInside(inner, outer) }).toEqual({ signedBefore: inner, container: outer, inside: false })
  })
  if (build.mode === 'app') expect(order[order.length - 1]).toBe(build.root)
  for (const file of build.mode === 'onefile' ? [build.root] : machOFiles(build.root)) {
    const framework = /^(.*\.framework)\/Versions\/([^/]+)\/[^/]+$/.exec(file)
    // A framework's main binary is signed with its bundle (the version folder); any other file on its own.
    expect(order.filter((t) => t === file || (framework && t === `${framework[1]}/Versions/${framework[2]}`))).not.toEqual([])
  }
  for (const t of order) expect(fs.lstatSync(t).isSymbolicLink()).toBe(false)
  for (const fw of order.filter((t) => t.endsWith('.framework') || /\.framework\/Versions\/Current$/.test(t)))
    throw new Error(`${fw}: a framework must be signed through a real version folder`)
  const executables = build.executables.map((e) => e.path)
  for (const s of signings(f).filter((x) => order.includes(x.target))) {
    expect(s.args.join(' ')).toContain('--options runtime')
    expect(s.args).toContain('--timestamp')
    const executable = executables.includes(s.target) || (s.target === build.root && build.mode !== 'onedir')
    if (executable) expect(s.entitlements).toBeDefined()
    else expect({ target: s.target, entitlements: s.entitlements }).toEqual({ target: s.target, entitlements: undefined })
  }
  expect(verified(f)).toEqual(expect.arrayContaining(build.mode === 'onedir' ? executables : [build.root]))
  for (const c of f.calls.filter((c) => c.program === CODESIGN && c.args.includes('--verify'))) expect(c.args).toContain('--strict')
}

const plain = (cmds: readonly Command[]): { program: string; args: readonly string[] }[] => cmds.map((c) => ({ program: c.program, args: c.args }))
const verify = (target: string): { program: string; args: string[] } => ({ program: CODESIGN, args: ['--verify', '--strict', '--verbose=2', target] })

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('the promise resolved')
}

describe('signMac: the temporary keychain', () => {
  it('is made, unlocked, given the .p12 and opened to codesign before anything is signed, then searched for the identity', async () => {
    const f = fake()
    await signMac([B.onefile], MAC, f.ctx)
    const k = keychainOf(f)
    const at = (pred: (c: Command) => boolean): number => f.calls.findIndex(pred)
    const create = at((c) => c.args[0] === 'create-keychain')
    const unlock = at((c) => c.args[0] === 'unlock-keychain')
    const imp = at((c) => c.args[0] === 'import')
    // `security set-key-partition-list` lets codesign use the key without a prompt (which would hang a CI job).
    const partition = at((c) => c.args[0] === 'set-key-partition-list')
    const search = at((c) => c.args[0] === 'list-keychains' && c.args.includes('-s'))
    const find = at((c) => c.args[0] === 'find-identity')
    const firstSign = at((c) => c.program === CODESIGN)
    expect([create, unlock, imp, partition].every((i, n, a) => i >= 0 && (n === 0 || i > a[n - 1]))).toBe(true)
    expect(search).toBeGreaterThan(create)
    expect(firstSign).toBeGreaterThan(Math.max(partition, search, find))
    expect(f.calls[imp].args).toEqual(expect.arrayContaining(['-k', k.path, '-T', CODESIGN]))
    expect(f.calls[find].args).toContain(k.path)
    // The search list keeps what was there, behind the temporary keychain.
    expect(f.calls[search].args.slice(-3)).toEqual([k.path, LOGIN, SYSTEM])
    // codesign uses the temporary keychain and the identity found in it.
    for (const s of signings(f)) expect(s.args).toEqual(expect.arrayContaining(['--keychain', k.path, '--sign', HASH]))
    expect(f.listed).toEqual([])
  })

  it('makes a random keychain under workDir/secrets and redacts its password', async () => {
    const f = fake()
    await signMac([B.onefile], MAC, f.ctx)
    const k = keychainOf(f)
    expect(path.dirname(k.path)).toBe(path.join(workDir, 'secrets'))
    expect(path.basename(k.path)).toMatch(/^build-standalone-[0-9a-f]{12}\.keychain-db$/)
    expect(k.password).toMatch(/^[0-9a-f]{48}$/)
    for (const c of f.calls.filter((c) => c.args.includes(k.password))) expect(c.redact).toContain(k.password)
    for (const c of f.calls.filter((c) => c.args.includes(P12_PASSWORD))) expect(c.redact).toContain(P12_PASSWORD)
    const other = fake()
    await signMac([B.onefile], MAC, other.ctx)
    expect(keychainOf(other).path).not.toBe(k.path)
    expect(keychainOf(other).password).not.toBe(k.password)
  })

  it('saves the keychain state before it creates the keychain', async () => {
    const f = fake()
    await signMac([B.onefile], MAC, f.ctx)
    const k = keychainOf(f)
    expect(f.events.slice(0, 6)).toEqual([
      'run:list-keychains',
      'run:default-keychain',
      `state:${KEYCHAIN_STATE.path}`,
      `state:${KEYCHAIN_STATE.searchList}`,
      `state:${KEYCHAIN_STATE.default}`,
      'run:create-keychain'
    ])
    expect(Object.fromEntries(f.state)).toEqual({
      [KEYCHAIN_STATE.path]: k.path,
      [KEYCHAIN_STATE.searchList]: JSON.stringify([LOGIN, SYSTEM]),
      [KEYCHAIN_STATE.default]: LOGIN
    })
  })

  it('names the state keys the post step reads', () => {
    expect(KEYCHAIN_STATE).toEqual({ path: 'keychain', searchList: 'keychain-search-list', default: 'keychain-default' })
  })

  it('saves an empty default keychain when there is none', async () => {
    const f = fake((c) =>
      c.args[0] === 'default-keychain' && c.args.length === 3
        ? { exitCode: 50, stdout: '', stderr: 'security: SecKeychainCopyDefault: A default keychain could not be found.' }
        : undefined
    )
    await signMac([B.onefile], MAC, f.ctx)
    expect(f.state.get(KEYCHAIN_STATE.default)).toBe('')
  })

  it('uses the given identity without looking one up', async () => {
    const f = fake()
    const identity = 'Developer ID Application: Example Corp (ABCDE12345)'
    await signMac([B.onefile], { ...MAC, identity }, f.ctx)
    expect(f.calls.some((c) => c.args[0] === 'find-identity')).toBe(false)
    for (const s of signings(f)) expect(s.args).toEqual(expect.arrayContaining(['--sign', identity]))
  })

  it('refuses a certificate without a code-signing identity', async () => {
    const f = fake((c) => (c.args[0] === 'find-identity' ? { stdout: '     0 valid identities found\n' } : undefined))
    const e = await rejection(signMac([B.onefile], MAC, f.ctx))
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).input).toBe('macos-signing-identity')
    expect(f.calls.some((c) => c.program === CODESIGN)).toBe(false)
  })
})

describe("signMac: what Apple's documentation requires of each build", () => {
  it('a one-file executable: hardened runtime, timestamp, entitlements, verified strictly', async () => {
    const f = fake()
    const report = await signMac([B.onefile], MAC, f.ctx)
    expectAppleRules(f, B.onefile)
    expect(targets(f)).toEqual([B.onefile.root])
    expect(report).toEqual({ signed: [B.onefile.root], notes: [], mac: { identity: expect.any(String), keychain: expect.stringMatching(/\.keychain-db$/) } })
  })

  it('a one-folder build: inside-out, Python.framework sealed through Versions/3.12, every Mach-O file signed, no symlink', async () => {
    const f = fake()
    const report = await signMac([B.onedir], MAC, f.ctx)
    expectAppleRules(f, B.onedir)
    expect(targets(f)).toContain(`${B.onedir.root}/_internal/Python.framework/Versions/3.12`)
    expect(report.signed).toEqual(targets(f))
    expect(f.listed).toEqual([B.onedir.root])
  })

  it('an .app bundle: its framework before the bundle, the bundle last and verified', async () => {
    const f = fake()
    const report = await signMac([B.app], MAC, f.ctx)
    expectAppleRules(f, B.app)
    expect(targets(f)).toContain(`${B.app.root}/Contents/Frameworks/Python.framework/Versions/3.12`)
    expect(verified(f)).toEqual([B.app.root])
    expect(report).toEqual({ signed: targets(f), notes: [], mac: { identity: expect.any(String), keychain: expect.stringMatching(/\.keychain-db$/) } })
  })

  it('several builds with one keychain', async () => {
    const f = fake()
    await signMac([B.onefile, B.app], MAC, f.ctx)
    expect(f.calls.filter((c) => c.args[0] === 'create-keychain')).toHaveLength(1)
    expect(f.calls.filter((c) => c.args[0] === 'find-identity')).toHaveLength(1)
    expectAppleRules(f, B.onefile)
    expectAppleRules(f, B.app)
  })
})

describe('signMac: entitlements under the hardened runtime', () => {
  it('without macos-entitlements, the executables get the default file, which lets a one-file build load its ad-hoc signed libraries', async () => {
    const f = fake()
    await signMac([B.onefile, B.onedir, B.app], MAC, f.ctx)
    const files = new Set(signings(f).flatMap((s) => (s.entitlements ? [s.entitlements] : [])))
    expect(files.size).toBe(1)
    const [file] = [...files]
    expect(file).toBe(path.join(workDir, DEFAULT_ENTITLEMENTS_FILE))
    // PyInstaller manual, "macOS binary code signing": ad-hoc signed libraries fail library validation without it.
    expect(entitlementKeys(file)).toEqual(expect.arrayContaining(['com.apple.security.cs.disable-library-validation']))
    expect(entitlementKeys(file)).toEqual([...DEFAULT_ENTITLEMENT_KEYS])
    for (const b of [B.onefile, B.onedir, B.app]) for (const e of b.executables) expect(signings(f).find((s) => s.target === e.path)?.entitlements).toBe(file)
  })

  it('with macos-entitlements, the executables get that file instead', async () => {
    const own = path.join(workDir, 'own.plist')
    fs.writeFileSync(own, '<plist version="1.0"><dict/></plist>')
    const f = fake()
    await signMac([B.onedir, B.app], { ...MAC, entitlements: own }, f.ctx)
    expectAppleRules(f, B.onedir)
    expectAppleRules(f, B.app)
    expect(new Set(signings(f).flatMap((s) => (s.entitlements ? [s.entitlements] : [])))).toEqual(new Set([own]))
    expect(fs.existsSync(path.join(workDir, DEFAULT_ENTITLEMENTS_FILE))).toBe(false)
  })
})

describe('signMac: notarization with an API key', () => {
  const NOTARIZE: MacSigning = { ...MAC, notarize: true, auth: API_KEY_AUTH, timeout: '45m' }
  const keyArgs = (): string[] => [
    '--key',
    path.join(workDir, 'secrets', 'AuthKey.p8'),
    '--key-id',
    'ABC123DEF4',
    '--issuer',
    '69a6de7e-1111-2222-3333-5bc37c11a4d1'
  ]

  it('zips, submits, and staples an accepted .app', async () => {
    const f = fake()
    const report = await signMac([B.app], NOTARIZE, f.ctx)
    const zip = path.join(workDir, 'notarize', 'Demo.app.zip')
    const i = f.calls.findIndex((c) => c.program === DITTO)
    expect(plain(f.calls.slice(i - 1))).toEqual([
      verify(B.app.root),
      { program: DITTO, args: ['-c', '-k', '--keepParent', B.app.root, zip] },
      { program: XCRUN, args: ['notarytool', 'submit', zip, ...keyArgs(), '--wait', '--timeout', '45m', '--output-format', 'json'] },
      { program: XCRUN, args: ['stapler', 'staple', B.app.root] }
    ])
    expect(fs.existsSync(path.dirname(zip))).toBe(true)
    expect(fs.readFileSync(path.join(workDir, 'secrets', 'AuthKey.p8'), 'utf8')).toBe(P8)
    expect(report).toEqual({
      signed: targets(f),
      notes: ['Demo.app: notarized and stapled.'],
      // The disk image made later is signed with the same identity and keychain, and notarized with the same key.
      mac: {
        identity: expect.any(String),
        keychain: expect.stringMatching(/\.keychain-db$/),
        notary: {
          auth: { kind: 'api-key', keyFile: path.join(workDir, 'secrets', 'AuthKey.p8'), keyId: 'ABC123DEF4', issuer: expect.any(String) },
          timeout: '45m'
        }
      }
    })
  })

  it('notarizes a bare executable without stapling it, and says why', async () => {
    const f = fake()
    const report = await signMac([B.onefile], NOTARIZE, f.ctx)
    const zip = path.join(workDir, 'notarize', 'hello.zip')
    expect(plain(f.calls.slice(-3))).toEqual([
      verify(B.onefile.root),
      { program: DITTO, args: ['-c', '-k', '--keepParent', B.onefile.root, zip] },
      { program: XCRUN, args: ['notarytool', 'submit', zip, ...keyArgs(), '--wait', '--timeout', '45m', '--output-format', 'json'] }
    ])
    expect(f.calls.some((c) => c.args[0] === 'stapler')).toBe(false)
    expect(report.notes).toEqual(['hello: notarized; a bare executable cannot be stapled, so Gatekeeper checks it online on first launch.'])
  })

  it('fetches the notary log when Apple answers Invalid and lists its issues in the error', async () => {
    const f = fake((c) => {
      if (c.args[1] === 'submit') return { exitCode: 1, stdout: submitOutput('Invalid') }
      if (c.args[1] === 'log') return { stdout: NOTARY_LOG }
      return undefined
    })
    const { output, result } = await captureOutput(() => signMac([B.app], NOTARIZE, f.ctx))
    expect(result).toBeInstanceOf(StageError)
    const e = result as StageError
    expect(e.stage).toBe('sign')
    expect(e.message).toBe(
      `Apple's notary service answered Invalid for Demo.app (submission ${SUBMISSION_ID}): ` +
        'Demo.app.zip/Demo.app/Contents/MacOS/Demo: The signature of the binary is invalid.; ' +
        'Demo.app.zip/Demo.app/Contents/Frameworks/libpython3.12.dylib: The executable does not have the hardened runtime enabled.'
    )
    expect(plain(f.calls.slice(-2))).toEqual([
      {
        program: XCRUN,
        args: ['notarytool', 'submit', path.join(workDir, 'notarize', 'Demo.app.zip'), ...keyArgs(), '--wait', '--timeout', '45m', '--output-format', 'json']
      },
      { program: XCRUN, args: ['notarytool', 'log', SUBMISSION_ID, ...keyArgs()] }
    ])
    expect(f.calls.some((c) => c.args[0] === 'stapler')).toBe(false)
    const lines = output.split('\n')
    expect(lines).toContain('::error::notarization of Demo.app: Demo.app.zip/Demo.app/Contents/MacOS/Demo: The signature of the binary is invalid.')
    expect(lines).toContain(
      '::error::notarization of Demo.app: Demo.app.zip/Demo.app/Contents/Frameworks/libpython3.12.dylib: The executable does not have the hardened runtime enabled.'
    )
  })

  it('fails with the output when notarytool gives no result', async () => {
    const f = fake((c) => (c.args[1] === 'submit' ? { exitCode: 69, stdout: '', stderr: 'Error: HTTP status code: 401. Unable to authenticate.' } : undefined))
    const e = await rejection(signMac([B.app], NOTARIZE, f.ctx))
    expect(e).toBeInstanceOf(StageError)
    expect(e.message).toBe('notarytool gave no submission result for Demo.app (exit code 69).\nError: HTTP status code: 401. Unable to authenticate.')
    expect(f.calls.some((c) => c.args[1] === 'log')).toBe(false)
  })

  it('does not notarize when notarize is false', async () => {
    const f = fake()
    await signMac([B.app], { ...NOTARIZE, notarize: false }, f.ctx)
    expect(f.calls.some((c) => c.program === DITTO || c.program === XCRUN)).toBe(false)
  })
})

describe('signMac: failures and cleanup', () => {
  it('fails on the first codesign, and cleanupMac undoes the keychain changes from the saved state', async () => {
    const f = fake((c) => (c.program === CODESIGN ? { exitCode: 1, stderr: `${c.args.at(-1)}: errSecInternalComponent` } : undefined))
    const e = await rejection(signMac([B.onedir], MAC, f.ctx))
    const k = keychainOf(f)
    expect(e).toBeInstanceOf(StageError)
    expect((e as StageError).stage).toBe('sign')
    const first = targets(f)[0]
    expect(e.message.startsWith(`could not sign ${first}: \`${CODESIGN} `)).toBe(true)
    expect(e.message).toContain(`--sign ${HASH} --keychain ${k.path} ${first}\` exited with code 1.\n${first}: errSecInternalComponent`)
    expect(f.calls.filter((c) => c.program === CODESIGN)).toHaveLength(1)

    const cleanup: Command[] = []
    const problems = await cleanupMac(
      (name) => f.state.get(name) ?? '',
      async (cmd) => {
        cleanup.push(cmd)
        return { exitCode: 0, stdout: '', stderr: '' }
      }
    )
    expect(problems).toEqual([])
    expect(plain(cleanup)).toEqual([
      { program: SECURITY, args: ['list-keychains', '-d', 'user', '-s', LOGIN, SYSTEM] },
      { program: SECURITY, args: ['default-keychain', '-d', 'user', '-s', LOGIN] },
      { program: SECURITY, args: ['delete-keychain', k.path] }
    ])
  })

  it('refuses a wrong .p12 password as an input error, with the state already saved', async () => {
    const f = fake((c) =>
      c.args[0] === 'import'
        ? { exitCode: 1, stderr: 'security: SecKeychainItemImport: MAC verification failed during PKCS12 import (wrong password?)' }
        : undefined
    )
    const e = await rejection(signMac([B.onefile], MAC, f.ctx))
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).input).toBe('macos-certificate-password')
    expect(f.events.filter((x) => x.startsWith('run:')).slice(-1)).toEqual(['run:import'])
    expect(f.state.get(KEYCHAIN_STATE.path)).toBe(keychainOf(f).path)
    expect(e.message).not.toContain(P12_PASSWORD)
  })

  it('fails as a stage error, without the password, when another keychain command fails', async () => {
    const f = fake((c) => (c.args[0] === 'unlock-keychain' ? { exitCode: 51 } : undefined))
    const e = await rejection(signMac([B.onefile], MAC, f.ctx))
    const k = keychainOf(f)
    expect(e).toBeInstanceOf(StageError)
    expect(e.message).toBe(`\`${SECURITY} unlock-keychain -p *** ${k.path}\` exited with code 51.`)
    expect(f.calls.some((c) => c.args[0] === 'import')).toBe(false)
  })

  it('refuses a certificate that is not base64 before running anything', async () => {
    const f = fake()
    const e = await rejection(signMac([B.onefile], { ...MAC, certificate: 'MIIK not-base64!' }, f.ctx))
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).input).toBe('macos-certificate')
    expect(f.calls).toEqual([])
    expect(f.state.size).toBe(0)
  })

  it('saves no state and creates no keychain when the search list cannot be read', async () => {
    const f = fake((c) => (c.args[0] === 'list-keychains' && c.args.length === 3 ? { exitCode: 1, stderr: 'security: no' } : undefined))
    const e = await rejection(signMac([B.onefile], MAC, f.ctx))
    expect(e).toBeInstanceOf(StageError)
    expect(f.state.size).toBe(0)
    expect(plain(f.calls)).toEqual([{ program: SECURITY, args: ['list-keychains', '-d', 'user'] }])
  })
})

describe('cleanupMac', () => {
  it('does nothing without a saved keychain', async () => {
    const ran: Command[] = []
    const problems = await cleanupMac(
      () => '',
      async (cmd) => {
        ran.push(cmd)
        return { exitCode: 0, stdout: '', stderr: '' }
      }
    )
    expect(problems).toEqual([])
    expect(ran).toEqual([])
  })

  it('skips the default keychain when none was saved, and reports failing commands but runs them all', async () => {
    const state: Record<string, string> = { [KEYCHAIN_STATE.path]: '/tmp/k.keychain-db', [KEYCHAIN_STATE.searchList]: JSON.stringify([LOGIN]) }
    const ran: Command[] = []
    const run: Runner = async (cmd) => {
      ran.push(cmd)
      if (cmd.args[0] === 'list-keychains') throw new Error('spawn failed')
      return { exitCode: cmd.args[0] === 'delete-keychain' ? 50 : 0, stdout: '', stderr: '' }
    }
    const problems = await cleanupMac((name) => state[name] ?? '', run)
    expect(plain(ran)).toEqual([
      { program: SECURITY, args: ['list-keychains', '-d', 'user', '-s', LOGIN] },
      { program: SECURITY, args: ['delete-keychain', '/tmp/k.keychain-db'] }
    ])
    expect(problems).toEqual([`${SECURITY} list-keychains -d user -s ${LOGIN}: exit code 1`, `${SECURITY} delete-keychain /tmp/k.keychain-db: exit code 50`])
  })
})

describe('signMac: secret files', () => {
  it('writes the .p12 to workDir/secrets with mode 0600 in a 0700 folder', async () => {
    const f = fake()
    await signMac([B.onefile], { ...MAC, notarize: true, auth: API_KEY_AUTH }, f.ctx)
    const dir = path.join(workDir, 'secrets')
    const p12 = path.join(dir, 'codesign.p12')
    const p8 = path.join(dir, 'AuthKey.p8')
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
    expect(fs.statSync(p12).mode & 0o777).toBe(0o600)
    expect(fs.statSync(p8).mode & 0o777).toBe(0o600)
    expect(fs.readFileSync(p12)).toEqual(P12_BYTES)
    const imp = f.calls.find((c) => c.args[0] === 'import')
    expect(imp?.args[1]).toBe(p12)
  })
})

describe('signMac: the log', () => {
  /** A runner that really runs a program (node, echoing its arguments to stderr) through runCommand, as the action does. */
  function echoing(): (cmd: Command, r: Result) => Promise<Result> {
    const script = path.join(workDir, 'echo.cjs')
    fs.writeFileSync(
      script,
      "process.stdout.write(process.env.FAKE_STDOUT || '')\nprocess.stderr.write('args: ' + process.argv.slice(2).join(' ') + '\\n')\nprocess.exitCode = Number(process.env.FAKE_EXIT || '0')\n"
    )
    return (cmd, r) =>
      runCommand({
        program: process.execPath,
        args: [script, ...cmd.args],
        env: { FAKE_STDOUT: r.stdout, FAKE_EXIT: String(r.exitCode) },
        redact: cmd.redact
      })
  }

  it('never shows the passwords or the certificate outside ::add-mask:: lines', async () => {
    const appleId: MacSigning = { ...MAC, notarize: true, auth: APPLE_ID_AUTH }
    const accepted = fake(() => undefined, echoing())
    const invalidRespond: Respond = (c) =>
      c.args[1] === 'submit' ? { stdout: submitOutput('Invalid') } : c.args[1] === 'log' ? { stdout: NOTARY_LOG } : undefined
    const invalid = fake(invalidRespond, echoing())
    const wrongRespond: Respond = (c) => (c.args[0] === 'import' ? { exitCode: 1, stderr: 'MAC verification failed' } : undefined)
    const wrong = fake(wrongRespond, echoing())

    // On a runner (GITHUB_ACTIONS=true), which reads ::add-mask:: lines.
    const before = process.env.GITHUB_ACTIONS
    process.env.GITHUB_ACTIONS = 'true'
    const { output, result } = await captureOutput(async () => {
      const errors: string[] = []
      const report = await signMac([B.app], appleId, accepted.ctx)
      for (const [f, build] of [
        [invalid, B.onefile],
        [wrong, B.onefile]
      ] as const)
        await signMac([build], appleId, f.ctx).catch((e: Error) => errors.push(e.message))
      return { report, errors }
    }).finally(() => {
      if (before === undefined) delete process.env.GITHUB_ACTIONS
      else process.env.GITHUB_ACTIONS = before
    })
    if (result instanceof Error) throw result
    expect(result.report.notes).toEqual(['Demo.app: notarized and stapled.'])
    expect(result.errors).toHaveLength(2)

    const keychainPasswords = [accepted, invalid, wrong].map((f) => keychainOf(f).password)
    const secrets = [
      P12_PASSWORD,
      Buffer.from(P12_PASSWORD).toString('base64'),
      APP_PASSWORD,
      Buffer.from(APP_PASSWORD).toString('base64'),
      P12_B64,
      ...keychainPasswords
    ]
    // The run was logged: commands, with the secret arguments shown as ***.
    expect(output).toContain(`[command]${process.execPath}`)
    expect(output).toContain(' -P *** ')
    expect(output).toContain(' --password *** ')
    expect(output).toContain('::error::notarization of hello:')
    for (const pw of keychainPasswords) expect(output.split('\n')).toContain(`::add-mask::${pw}`)

    const text = [...output.split(/\r?\n/).filter((l) => !l.startsWith('::add-mask::')), ...result.errors].join('\n')
    for (const s of secrets) expect(text).not.toContain(s)
  }, 60_000)
})

describe('filesToSign', () => {
  const builds: Build[] = [
    { mode: 'onefile', name: 'a.exe', root: '/d/a.exe', executables: [{ name: 'a.exe', path: '/d/a.exe' }] },
    {
      mode: 'onedir',
      name: 'b',
      root: '/d/b',
      executables: [
        { name: 'b.exe', path: '/d/b/b.exe' },
        { name: 'b-cli.exe', path: '/d/b/b-cli.exe' }
      ]
    }
  ]

  it('takes every executable, then the other .exe files of one-folder builds, once each', () => {
    const listed: string[] = []
    const files = filesToSign(builds, (root) => {
      listed.push(root)
      return ['/d/b/b-cli.exe', '/d/b/_internal/helper.exe', '/d/b/b.exe']
    })
    expect(files).toEqual(['/d/a.exe', '/d/b/b.exe', '/d/b/b-cli.exe', '/d/b/_internal/helper.exe'])
    expect(listed).toEqual(['/d/b'])
  })

  it('lists nothing extra for one-file builds and takes a file shared by two builds once', () => {
    const twice: Build[] = [builds[0], { ...builds[0], name: 'again' }]
    expect(filesToSign(twice, () => ['/unexpected.exe'])).toEqual(['/d/a.exe'])
    expect(filesToSign([], () => ['/unexpected.exe'])).toEqual([])
  })
})

describe('signWindowsFiles', () => {
  const W: WindowsSigning = { certificate: 'not base64 at all!', password: 'pw', timestampUrl: '', description: '', url: '' }

  it('refuses a certificate that is not base64 before running anything', async () => {
    const ran: Command[] = []
    const e = await rejection(
      signWindowsFiles(['/d/a.exe'], W, platformFor('linux', 'x64'), workDir, async (cmd) => {
        ran.push(cmd)
        return { exitCode: 0, stdout: '', stderr: '' }
      })
    )
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).input).toBe('windows-certificate')
    expect(ran).toEqual([])
    expect(fs.existsSync(secretsDir(workDir))).toBe(false)
  })
})

describe('secrets', () => {
  it('masks a value and its base64 form on a runner', async () => {
    const { output } = await captureOutput(async () => {
      mask('s3cret value', { GITHUB_ACTIONS: 'true' })
      mask('', { GITHUB_ACTIONS: 'true' })
    })
    expect(output.split(/\r?\n/).filter((l) => l)).toEqual(['::add-mask::s3cret value', `::add-mask::${Buffer.from('s3cret value').toString('base64')}`])
  })

  it('prints nothing off a runner, where ::add-mask:: would show the secret in clear', async () => {
    const { output } = await captureOutput(async () => {
      mask('s3cret value', {})
      mask('s3cret value', { GITHUB_ACTIONS: 'false' })
    })
    expect(output).toBe('')
  })

  it('writes a secret file 0600 in a 0700 secrets folder, also over a looser folder and file', () => {
    const dir = path.join(workDir, 'secrets')
    fs.mkdirSync(dir, { mode: 0o755 })
    fs.chmodSync(dir, 0o755)
    fs.writeFileSync(path.join(dir, 'x.pass'), 'old', { mode: 0o644 })
    fs.chmodSync(path.join(dir, 'x.pass'), 0o644)
    const file = writeSecret(workDir, 'x.pass', 'new secret')
    expect(file).toBe(path.join(dir, 'x.pass'))
    expect(secretsDir(workDir)).toBe(dir)
    expect(fs.readFileSync(file, 'utf8')).toBe('new secret')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
    const bin = writeSecret(workDir, 'y.bin', Buffer.from([0, 1, 2, 255]))
    expect(fs.readFileSync(bin)).toEqual(Buffer.from([0, 1, 2, 255]))
  })

  it('decodes base64 with line breaks and spaces', () => {
    const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37) % 256))
    const wrapped = (bytes.toString('base64').match(/.{1,64}/g) ?? []).join('\r\n') + '\n'
    expect(decodeBase64(wrapped, 'x')).toEqual(bytes)
    expect(decodeBase64(' TWFu ', 'x')).toEqual(Buffer.from('Man'))
  })

  it.each(['not base64!', 'TWF', 'TW=u', '', '====', 'TWFu==='])('refuses %j, naming the input', (value) => {
    expect(() => decodeBase64(value, 'macos-certificate')).toThrow('macos-certificate is not base64')
  })
})
