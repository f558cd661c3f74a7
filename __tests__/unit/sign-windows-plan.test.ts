import { describe, it, expect } from '@jest/globals'
import { display } from '../../src/exec.js'
import { platformFor } from '../../src/platform.js'
import {
  DEFAULT_TIMESTAMP_URL,
  extractCertsCommand,
  isPE,
  osslsigncodeCommands,
  signtoolCandidates,
  signtoolCommands,
  type AuthenticodeOptions
} from '../../src/sign/windows.js'

const KITS = 'C:\\Program Files (x86)\\Windows Kits\\10'
const VERSIONS = ['10.0.17763.0', '10.0.22621.0', 'x64', 'arm64', '10.0.9600.0', '10.0.26100.0', 'readme.txt', '10.0.19041.0', '10.0.22000', 'wdf']

describe('signtoolCandidates', () => {
  it('lists the x64 signtool of every SDK, newest first, ignoring non-version folders', () => {
    expect(signtoolCandidates(platformFor('win32', 'x64'), KITS, VERSIONS)).toEqual([
      `${KITS}\\bin\\10.0.26100.0\\x64\\signtool.exe`,
      `${KITS}\\bin\\10.0.22621.0\\x64\\signtool.exe`,
      `${KITS}\\bin\\10.0.19041.0\\x64\\signtool.exe`,
      `${KITS}\\bin\\10.0.17763.0\\x64\\signtool.exe`,
      `${KITS}\\bin\\10.0.9600.0\\x64\\signtool.exe`
    ])
  })

  it('takes the arm64 folder on arm64', () => {
    expect(signtoolCandidates(platformFor('win32', 'arm64'), KITS, ['10.0.19041.0', '10.0.22621.0'])).toEqual([
      `${KITS}\\bin\\10.0.22621.0\\arm64\\signtool.exe`,
      `${KITS}\\bin\\10.0.19041.0\\arm64\\signtool.exe`
    ])
  })

  it('takes the x86 folder on ia32', () => {
    expect(signtoolCandidates(platformFor('win32', 'ia32'), KITS, ['10.0.22621.0'])).toEqual([`${KITS}\\bin\\10.0.22621.0\\x86\\signtool.exe`])
  })

  it('sorts versions numerically, not as text', () => {
    expect(signtoolCandidates(platformFor('win32', 'x64'), KITS, ['10.0.9999.0', '10.0.10240.0'])).toEqual([
      `${KITS}\\bin\\10.0.10240.0\\x64\\signtool.exe`,
      `${KITS}\\bin\\10.0.9999.0\\x64\\signtool.exe`
    ])
  })

  it('gives none without SDK versions', () => {
    expect(signtoolCandidates(platformFor('win32', 'x64'), KITS, [])).toEqual([])
    expect(signtoolCandidates(platformFor('win32', 'x64'), KITS, ['x64', 'arm64', 'x86'])).toEqual([])
  })

  it('does not change the list it is given', () => {
    const versions = ['10.0.17763.0', '10.0.22621.0']
    signtoolCandidates(platformFor('win32', 'x64'), KITS, versions)
    expect(versions).toEqual(['10.0.17763.0', '10.0.22621.0'])
  })
})

const SIGNTOOL = `${KITS}\\bin\\10.0.22621.0\\x64\\signtool.exe`
const PASSWORD = 'pfx pass "word"'
const BASE: AuthenticodeOptions = {
  pfx: 'D:\\a\\_temp\\build-standalone\\secrets\\authenticode.pfx',
  password: PASSWORD,
  passwordFile: 'D:\\a\\_temp\\build-standalone\\secrets\\authenticode.pass',
  timestampUrl: DEFAULT_TIMESTAMP_URL,
  description: '',
  url: ''
}
const EXE = 'D:\\a\\_temp\\build-standalone\\dist\\app.exe'

describe('signtoolCommands', () => {
  it('signs with SHA-256 and an RFC 3161 timestamp, then verifies', () => {
    const [sign, verify] = signtoolCommands(SIGNTOOL, EXE, BASE)
    expect(sign).toEqual({
      program: SIGNTOOL,
      args: ['sign', '/fd', 'sha256', '/f', BASE.pfx, '/p', PASSWORD, '/tr', 'http://timestamp.digicert.com', '/td', 'sha256', EXE],
      redact: [PASSWORD]
    })
    expect(verify.program).toBe(SIGNTOOL)
    expect(verify.args).toEqual(['verify', '/pa', '/v', EXE])
    expect(verify.redact ?? []).toEqual([])
  })

  it('signs without a timestamp when the URL is empty', () => {
    const cmds = signtoolCommands(SIGNTOOL, EXE, { ...BASE, timestampUrl: '' })
    expect(cmds).toHaveLength(2)
    expect(cmds[0].args).toEqual(['sign', '/fd', 'sha256', '/f', BASE.pfx, '/p', PASSWORD, EXE])
  })

  it('adds /d and /du when a description and URL are set', () => {
    const [sign] = signtoolCommands(SIGNTOOL, EXE, { ...BASE, description: 'Demo App', url: 'https://example.com/demo' })
    expect(sign.args).toEqual([
      'sign',
      '/fd',
      'sha256',
      '/f',
      BASE.pfx,
      '/p',
      PASSWORD,
      '/tr',
      'http://timestamp.digicert.com',
      '/td',
      'sha256',
      '/d',
      'Demo App',
      '/du',
      'https://example.com/demo',
      EXE
    ])
  })

  it('adds only /d when only a description is set', () => {
    const [sign] = signtoolCommands(SIGNTOOL, EXE, { ...BASE, timestampUrl: '', description: 'Demo App' })
    expect(sign.args).toEqual(['sign', '/fd', 'sha256', '/f', BASE.pfx, '/p', PASSWORD, '/d', 'Demo App', EXE])
  })

  it('adds only /du when only a URL is set', () => {
    const [sign] = signtoolCommands(SIGNTOOL, EXE, { ...BASE, timestampUrl: '', url: 'https://example.com' })
    expect(sign.args).toEqual(['sign', '/fd', 'sha256', '/f', BASE.pfx, '/p', PASSWORD, '/du', 'https://example.com', EXE])
  })

  it('never shows the password', () => {
    const [sign, verify] = signtoolCommands(SIGNTOOL, EXE, BASE)
    expect(display(sign)).not.toContain(PASSWORD)
    expect(display(sign)).toContain(' /p *** ')
    expect(verify.args.join(' ')).not.toContain(PASSWORD)
  })
})

describe('osslsigncodeCommands', () => {
  const OSSL = '/usr/bin/osslsigncode'
  const FILE = '/tmp/bs/dist/app.exe'
  const SIGNED = '/tmp/bs/dist/app.exe.signed'
  const CA = '/tmp/bs/secrets/authenticode-ca.pem'
  const o: AuthenticodeOptions = { ...BASE, pfx: '/tmp/bs/secrets/authenticode.pfx', passwordFile: '/tmp/bs/secrets/authenticode.pass' }

  it('signs with the password read from a file, SHA-256 and a timestamp, then verifies against the CA bundle', () => {
    expect(osslsigncodeCommands(OSSL, FILE, SIGNED, CA, o)).toEqual({
      sign: {
        program: OSSL,
        args: [
          'sign',
          '-pkcs12',
          '/tmp/bs/secrets/authenticode.pfx',
          '-readpass',
          '/tmp/bs/secrets/authenticode.pass',
          '-h',
          'sha256',
          '-ts',
          'http://timestamp.digicert.com',
          '-in',
          FILE,
          '-out',
          SIGNED
        ]
      },
      verify: { program: OSSL, args: ['verify', '-CAfile', CA, '-in', FILE] }
    })
  })

  it('adds -n and -i for the description and URL, and no -ts without a timestamp', () => {
    const { sign } = osslsigncodeCommands(OSSL, FILE, SIGNED, CA, { ...o, timestampUrl: '', description: 'Demo App', url: 'https://example.com' })
    expect(sign.args).toEqual([
      'sign',
      '-pkcs12',
      '/tmp/bs/secrets/authenticode.pfx',
      '-readpass',
      '/tmp/bs/secrets/authenticode.pass',
      '-h',
      'sha256',
      '-n',
      'Demo App',
      '-i',
      'https://example.com',
      '-in',
      FILE,
      '-out',
      SIGNED
    ])
  })

  it('never passes the password itself', () => {
    const { sign, verify } = osslsigncodeCommands(OSSL, FILE, SIGNED, CA, { ...o, description: 'd', url: 'https://e.com' })
    for (const c of [sign, verify]) for (const a of c.args) expect(a).not.toContain(PASSWORD)
  })
})

describe('extractCertsCommand', () => {
  it('exports the certificates only, reading the password from a file', () => {
    const cmd = extractCertsCommand('/usr/bin/openssl', '/tmp/s/authenticode.pfx', '/tmp/s/authenticode.pass', '/tmp/s/authenticode-certs.pem')
    expect(cmd).toEqual({
      program: '/usr/bin/openssl',
      args: ['pkcs12', '-in', '/tmp/s/authenticode.pfx', '-nokeys', '-passin', 'file:/tmp/s/authenticode.pass', '-out', '/tmp/s/authenticode-certs.pem']
    })
  })
})

describe('isPE', () => {
  it('knows an MZ header', () => {
    expect(isPE(Uint8Array.from([0x4d, 0x5a, 0x90, 0x00]))).toBe(true)
    expect(isPE(Buffer.from('MZ'))).toBe(true)
  })

  it('refuses ELF, Mach-O, swapped bytes, text and empty heads', () => {
    expect(isPE(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46]))).toBe(false)
    expect(isPE(Uint8Array.from([0xcf, 0xfa, 0xed, 0xfe]))).toBe(false)
    expect(isPE(Uint8Array.from([0x5a, 0x4d, 0x00, 0x00]))).toBe(false)
    expect(isPE(Buffer.from('#!/bin/sh'))).toBe(false)
    expect(isPE(Uint8Array.from([0x4d]))).toBe(false)
    expect(isPE(new Uint8Array(0))).toBe(false)
  })
})
