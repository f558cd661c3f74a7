/**
 * Real Authenticode signing on Linux, through the action's own Windows path
 * with osslsigncode: a self-signed code-signing certificate made with openssl,
 * a real PE executable (PyInstaller's Windows bootloader, from its source
 * distribution on PyPI), signed, then verified by osslsigncode itself. Each
 * test works on its own copy and records its own log, so any one of them runs
 * alone (jest -t).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { tempDir } from '../e2e/harness.js'
import { selfSignedCertificate, SIGNER } from '../authenticode.js'
import { InputError } from '../../src/errors.js'
import { platformFor } from '../../src/platform.js'
import { signWindowsFiles } from '../../src/sign/index.js'
import { hasAuthenticode, peFilesToSign } from '../../src/sign/windows.js'
import type { WindowsSigning } from '../../src/config.js'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const PASSWORD = 'pfx-Secret-4711!'
const linux = platformFor('linux', 'x64')

function sh(program: string, args: string[], cwd?: string): string {
  const r = spawnSync(program, args, { cwd, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** PyInstaller's 64-bit Windows bootloader, from the sdist (downloaded once from PyPI into node_modules/.cache). */
function windowsExecutable(dir: string): string {
  const cache = path.join(REPO, 'node_modules', '.cache', 'pyinstaller-sdist')
  if (!fs.existsSync(cache) || !fs.readdirSync(cache).some((f) => f.endsWith('.tar.gz')))
    sh('python3', ['-m', 'pip', 'download', '--no-deps', '--no-binary', ':all:', 'pyinstaller==6.22.3', '-d', cache])
  const sdist = path.join(cache, fs.readdirSync(cache).find((f) => f.endsWith('.tar.gz')) as string)
  const member = 'pyinstaller-6.22.3/PyInstaller/bootloader/Windows-64bit-intel/run.exe'
  sh('tar', ['-xzf', sdist, '-C', dir, member])
  const exe = path.join(dir, 'chatty.exe')
  fs.renameSync(path.join(dir, member), exe)
  return exe
}

describe('Authenticode through osslsigncode', () => {
  let dir: string
  let original: string
  let certificate: string
  let certPem: string
  /** A fresh unsigned copy of the bootloader. */
  const copy = (name: string): string => {
    const file = path.join(fs.mkdtempSync(path.join(dir, 'copy-')), name)
    fs.copyFileSync(original, file)
    return file
  }
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) }

  beforeAll(() => {
    dir = tempDir('sign')
    original = windowsExecutable(dir)
    ;({ certificate, certPem } = selfSignedCertificate(dir, PASSWORD))
  }, 300_000)

  afterAll(() => {
    process.stdout.write = writes.out
    process.stderr.write = writes.err
  })

  const inputs = (password: string): WindowsSigning => ({
    certificate,
    password,
    timestampUrl: '',
    description: 'Chatty Commander',
    url: 'https://example.com/chatty'
  })

  /** Runs `fn` with everything written to stdout/stderr recorded into `captured` (and still shown). */
  async function capture<T>(fn: () => Promise<T>, captured: string[] = []): Promise<T> {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      captured.push(String(chunk))
      return writes.out(chunk, ...rest)
    }) as typeof process.stdout.write
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      captured.push(String(chunk))
      return writes.err(chunk, ...rest)
    }) as typeof process.stderr.write
    try {
      return await fn()
    } finally {
      process.stdout.write = writes.out
      process.stderr.write = writes.err
    }
  }

  it('signs a real PE executable and the signature verifies', async () => {
    const exe = copy('chatty.exe')
    const before = fs.readFileSync(exe)
    expect(spawnSync('osslsigncode', ['verify', '-in', exe], { encoding: 'utf8' }).status).not.toBe(0)
    expect(hasAuthenticode(before.subarray(0, 4096))).toBe(false)
    const workDir = path.join(dir, 'work')
    const signed = await capture(() => signWindowsFiles([exe], inputs(PASSWORD), linux, workDir))
    expect(signed).toEqual([exe])
    const after = fs.readFileSync(exe)
    expect(after.equals(before)).toBe(false)
    expect(after.subarray(0, 2).toString()).toBe('MZ')
    expect(hasAuthenticode(after.subarray(0, 4096))).toBe(true)
    const verify = spawnSync('osslsigncode', ['verify', '-CAfile', certPem, '-in', exe], { encoding: 'utf8' })
    expect(verify.stdout).toContain('Signature verification: ok')
    expect(verify.stdout).toContain(SIGNER)
    expect(verify.status).toBe(0)
    // Secrets live only in owner-only files under the work folder.
    const secrets = path.join(workDir, 'secrets')
    expect(fs.statSync(secrets).mode & 0o777).toBe(0o700)
    for (const f of fs.readdirSync(secrets)) expect(fs.statSync(path.join(secrets, f)).mode & 0o777).toBe(0o600)
    expect(fs.readFileSync(path.join(secrets, 'authenticode.pass'), 'utf8')).toBe(PASSWORD)
  }, 120_000)

  it('osslsigncode and openssl get the essentials of the environment only, and the password only from its file', async () => {
    // Wrappers ahead of the real programs on PATH record each one's environment and arguments, then run it.
    const bin = fs.mkdtempSync(path.join(dir, 'wrappers-'))
    const log = path.join(bin, 'seen.log')
    for (const program of ['osslsigncode', 'openssl']) {
      const real = sh('sh', ['-c', `command -v ${program}`]).trim()
      fs.writeFileSync(path.join(bin, program), `#!/bin/sh\n{ echo "== ${program} $*"; env; } >> "${log}"\nexec "${real}" "$@"\n`, { mode: 0o755 })
    }
    const saved = { ...process.env }
    Object.assign(process.env, {
      PATH: `${bin}:${process.env.PATH}`,
      'INPUT_WINDOWS-CERTIFICATE-PASSWORD': PASSWORD,
      'INPUT_GITHUB-TOKEN': 'ghs_signing_test_token',
      ACTIONS_RUNTIME_TOKEN: 'runtime-jwt-signing-test',
      MY_WORKFLOW_VARIABLE: 'workflow-value'
    })
    try {
      await capture(() => signWindowsFiles([copy('wrapped.exe')], inputs(PASSWORD), linux, path.join(dir, 'work-env')))
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
      Object.assign(process.env, saved)
    }
    const seen = fs.readFileSync(log, 'utf8')
    expect(seen).toMatch(/^== osslsigncode sign -pkcs12 \S+ -readpass \S+authenticode\.pass /m)
    expect(seen).toMatch(/^== openssl pkcs12 .* -passin file:\S+authenticode\.pass /m)
    expect(seen).toMatch(/^PATH=/m)
    for (const absent of [PASSWORD, 'ghs_signing_test_token', 'runtime-jwt-signing-test', 'workflow-value', 'INPUT_', 'ACTIONS_'])
      expect(seen.includes(absent)).toBe(false)
  }, 120_000)

  it('a wrong password fails with a message naming windows-certificate-password', async () => {
    const exe = copy('second.exe')
    const error = await capture(() => signWindowsFiles([exe], inputs('not-the-password'), linux, path.join(dir, 'work2')).catch((e: unknown) => e))
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('windows-certificate-password')
    expect((error as InputError).message).toBe(
      "Input 'windows-certificate-password': does not open windows-certificate (the PFX file). Check that the password secret belongs to this certificate."
    )
  }, 120_000)

  it('logs nothing secret, signing or refusing: not the password, nor its base64, nor the certificate', async () => {
    const captured: string[] = []
    await capture(() => signWindowsFiles([copy('third.exe')], inputs(PASSWORD), linux, path.join(dir, 'work3')), captured)
    await capture(() => signWindowsFiles([copy('fourth.exe')], inputs('not-the-password'), linux, path.join(dir, 'work4')).catch(() => undefined), captured)
    const log = captured.join('')
    expect(log).toContain('osslsigncode')
    for (const secret of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), certificate, certificate.slice(0, 40), 'not-the-password'])
      expect(log.includes(secret)).toBe(false)
  }, 120_000)

  it("in a one-folder build, picks the executables and the unsigned DLLs and .pyd files, and keeps a vendor's signed DLL", async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'onedir-'))
    const signedDll = copy('vendor.dll')
    await capture(() => signWindowsFiles([signedDll], inputs(PASSWORD), linux, path.join(dir, 'work5')))
    const files = {
      exe: path.join(folder, 'chatty.exe'),
      dll: path.join(folder, '_internal', 'libffi-8.dll'),
      pyd: path.join(folder, '_internal', '_ctypes.pyd'),
      vendor: path.join(folder, '_internal', 'python3.dll'),
      data: path.join(folder, '_internal', 'fake.dll')
    }
    fs.mkdirSync(path.dirname(files.dll), { recursive: true })
    for (const f of [files.exe, files.dll, files.pyd]) fs.copyFileSync(original, f)
    fs.copyFileSync(signedDll, files.vendor)
    fs.writeFileSync(files.data, 'not a PE file')
    const head = (f: string): Uint8Array => fs.readFileSync(f).subarray(0, 4096)
    expect(peFilesToSign(Object.values(files), new Set([files.exe]), head)).toEqual([files.exe, files.dll, files.pyd])
  }, 120_000)
})
