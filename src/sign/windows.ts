/**
 * Windows Authenticode: signtool from the Windows SDK on Windows runners,
 * osslsigncode elsewhere (so the same inputs sign on Linux), with SHA-256 and
 * an RFC 3161 timestamp; then each signature is verified.
 */
import type { Command } from '../exec.js'
import type { Platform } from '../platform.js'

export const DEFAULT_TIMESTAMP_URL = 'http://timestamp.digicert.com'

export interface AuthenticodeOptions {
  /** The decoded PFX file. */
  readonly pfx: string
  /** The PFX password, and a file holding it (osslsigncode reads it from there). */
  readonly password: string
  readonly passwordFile: string
  /** RFC 3161 timestamp server; '' signs without a timestamp. */
  readonly timestampUrl: string
  readonly description: string
  readonly url: string
}

/** True for a file that starts like a PE executable ('MZ'). */
export const isPE = (head: Uint8Array): boolean => head[0] === 0x4d && head[1] === 0x5a

/**
 * Whether a PE file already carries an Authenticode signature: its
 * Certificate Table (data directory 4, IMAGE_DIRECTORY_ENTRY_SECURITY) is not
 * empty (Microsoft, "PE Format": the optional header's data directories start
 * at offset 96 in PE32 and 112 in PE32+, after NumberOfRvaAndSizes; "The
 * attribute certificate table ... Certificate Table"). `head` is the start
 * of the file (4096 bytes hold the headers of any linker's output).
 */
export function hasAuthenticode(head: Uint8Array): boolean {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  if (!isPE(head) || view.byteLength < 0x40) return false
  const pe = view.getUint32(0x3c, true)
  const opt = pe + 24
  if (opt + 2 > view.byteLength || view.getUint32(pe, false) !== 0x50450000) return false
  const magic = view.getUint16(opt, true)
  const dirs = opt + (magic === 0x20b ? 108 : 92)
  const entry = dirs + 4 + 4 * 8
  if (entry + 8 > view.byteLength || view.getUint32(dirs, true) <= 4) return false
  return view.getUint32(entry + 4, true) !== 0
}

/**
 * The PE files of the builds to sign: every executable, and in one-folder
 * builds every other .exe, .dll and .pyd, unless it is signed already.
 * Windows checks the DLLs a program loads too: Smart App Control lets a file
 * run only when it is signed or known (Microsoft, "What is Smart App
 * Control", "Code signing for Smart App Control"), and an App Control (WDAC)
 * policy that allows a publisher allows only that publisher's signed files.
 * A vendor's signature (Microsoft's on vcruntime140.dll, the Python Software
 * Foundation's on python3*.dll) is kept rather than replaced by the
 * project's. A one-file build's DLLs are inside the executable and unpacked
 * at run time: only the executable can be signed.
 */
export function peFilesToSign(candidates: readonly string[], executables: ReadonlySet<string>, head: (file: string) => Uint8Array): string[] {
  return candidates.filter((f) => {
    const h = head(f)
    return isPE(h) && (executables.has(f) || !hasAuthenticode(h))
  })
}

/**
 * signtool.exe candidates, newest SDK first, from the Windows Kits folders a
 * runner has (`<kits>\bin\<version>\<arch>\signtool.exe`).
 */
export function signtoolCandidates(platform: Platform, kitsRoot: string, versions: readonly string[]): string[] {
  const arch = platform.arch === 'arm64' ? 'arm64' : platform.arch === 'x86' ? 'x86' : 'x64'
  return versions
    .filter((v) => /^10\.\d+\.\d+\.\d+$/.test(v))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
    .map((v) => platform.path.join(kitsRoot, 'bin', v, arch, 'signtool.exe'))
}

export function signtoolCommands(signtool: string, file: string, o: AuthenticodeOptions): Command[] {
  const args = ['sign', '/fd', 'sha256', '/f', o.pfx, '/p', o.password]
  if (o.timestampUrl) args.push('/tr', o.timestampUrl, '/td', 'sha256')
  if (o.description) args.push('/d', o.description)
  if (o.url) args.push('/du', o.url)
  return [
    { program: signtool, args: [...args, file], redact: [o.password] },
    { program: signtool, args: ['verify', '/pa', '/v', file] }
  ]
}

/**
 * osslsigncode writes the signed file next to the input; the caller moves it
 * over the original. Verification trusts the system CAs plus the PFX's own
 * certificates (`caBundle`), so a self-signed certificate verifies too.
 */
export function osslsigncodeCommands(
  osslsigncode: string,
  file: string,
  signed: string,
  caBundle: string,
  o: AuthenticodeOptions
): { sign: Command; verify: Command } {
  const args = ['sign', '-pkcs12', o.pfx, '-readpass', o.passwordFile, '-h', 'sha256']
  if (o.timestampUrl) args.push('-ts', o.timestampUrl)
  if (o.description) args.push('-n', o.description)
  if (o.url) args.push('-i', o.url)
  return {
    sign: { program: osslsigncode, args: [...args, '-in', file, '-out', signed] },
    verify: { program: osslsigncode, args: ['verify', '-CAfile', caBundle, '-in', file] }
  }
}

/** Extracts the PFX's certificates (no key) for verification; the password comes from a file. */
export function extractCertsCommand(openssl: string, pfx: string, passwordFile: string, out: string): Command {
  return { program: openssl, args: ['pkcs12', '-in', pfx, '-nokeys', '-passin', `file:${passwordFile}`, '-out', out] }
}
