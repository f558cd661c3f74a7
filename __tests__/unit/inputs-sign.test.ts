import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { INPUT_NAMES, SECRET_INPUTS } from '../../src/inputs/names.js'
import type { Config } from '../../src/config.js'
import { inputErrorOf, readInputs } from '../../__fixtures__/read-config.js'

let root: string
let workspace: string
let env: Record<string, string>

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-inputs-sign-'))
  workspace = path.join(root, 'ws')
  fs.mkdirSync(path.join(workspace, 'proj', 'packaging'), { recursive: true })
  fs.mkdirSync(path.join(root, 'runner-temp'))
  fs.writeFileSync(path.join(workspace, 'proj', 'pyproject.toml'), '[project]\nname = "demo"\nversion = "1.0.0"\n')
  fs.writeFileSync(path.join(workspace, 'proj', 'app.spec'), '# spec\n')
  fs.writeFileSync(path.join(workspace, 'proj', 'packaging', 'entitlements.plist'), '<?xml version="1.0"?>\n<plist version="1.0"><dict/></plist>\n')
  env = { RUNNER_TEMP: path.join(root, 'runner-temp'), GITHUB_WORKSPACE: workspace }
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

const BASE: Record<string, string> = { 'project-path': 'proj', spec: 'app.spec' }

function read(inputs: Record<string, string> = {}): Config {
  return readInputs({ ...BASE, ...inputs }, env)
}

function inputError(inputs: Record<string, string>): InputError {
  return inputErrorOf(() => read(inputs), inputs)
}

const MAC_CERT = 'MIIKPAIBAzCCCgYGCSqGSIb3DQEHAaCCCfcEggnzMIIJ7zCCBF8GCSqGSIb3DQEHBqCCBFAwggRMAgEA'
const API_KEY = {
  'apple-api-key': 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t',
  'apple-api-key-id': 'ABC123DEF4',
  'apple-api-issuer': '69a6de7e-1111-2222-3333-5bc37c11a4d1'
}
const APPLE_ID = { 'apple-id': 'dev@example.com', 'apple-app-password': 'abcd-efgh-ijkl-mnop', 'apple-team-id': 'ABCDE12345' }

describe('signing defaults', () => {
  it('signs nothing without certificates', () => {
    expect(read().signing).toEqual({ windows: undefined, macos: undefined })
  })

  it('lists every signing input', () => {
    for (const name of [
      'windows-certificate',
      'windows-certificate-password',
      'timestamp-url',
      'sign-description',
      'sign-url',
      'macos-certificate',
      'macos-certificate-password',
      'macos-signing-identity',
      'macos-entitlements',
      'notarize',
      'notarize-timeout',
      'apple-api-key',
      'apple-api-key-id',
      'apple-api-issuer',
      'apple-id',
      'apple-app-password',
      'apple-team-id'
    ])
      expect(INPUT_NAMES).toContain(name)
  })
})

describe('SECRET_INPUTS', () => {
  it('holds the token, the certificates, their passwords, the API key and the app password', () => {
    expect([...SECRET_INPUTS].sort()).toEqual(
      [
        'github-token',
        'windows-certificate',
        'windows-certificate-password',
        'macos-certificate',
        'macos-certificate-password',
        'apple-api-key',
        'apple-app-password'
      ].sort()
    )
    expect(Object.isFrozen(SECRET_INPUTS)).toBe(true)
  })

  it('holds only inputs that exist', () => {
    for (const name of SECRET_INPUTS) expect(INPUT_NAMES).toContain(name)
  })
})

describe('Windows signing', () => {
  it('reads the certificate, keeps the password as given, and uses the default timestamp server', () => {
    const c = read({ 'windows-certificate': '  MIIKbase64==\n', 'windows-certificate-password': ' pass word ' })
    expect(c.signing.windows).toEqual({
      certificate: 'MIIKbase64==',
      password: ' pass word ',
      timestampUrl: 'http://timestamp.digicert.com',
      description: '',
      url: ''
    })
    expect(c.signing.macos).toBeUndefined()
  })

  it('reads the timestamp URL, description and URL, trimmed', () => {
    const c = read({
      'windows-certificate': 'MIIK',
      'timestamp-url': ' http://timestamp.sectigo.com ',
      'sign-description': ' Demo App ',
      'sign-url': ' https://example.com/demo '
    })
    expect(c.signing.windows).toEqual({
      certificate: 'MIIK',
      password: '',
      timestampUrl: 'http://timestamp.sectigo.com',
      description: 'Demo App',
      url: 'https://example.com/demo'
    })
  })

  it('signs without a timestamp for none', () => {
    expect(read({ 'windows-certificate': 'MIIK', 'timestamp-url': 'none' }).signing.windows?.timestampUrl).toBe('')
  })

  it.each(['ftp://timestamp.example.com', 'timestamp.digicert.com', 'http://', 'http://a b'])('refuses the timestamp URL %j', (url) => {
    const e = inputError({ 'windows-certificate': 'MIIK', 'timestamp-url': url })
    expect(e.input).toBe('timestamp-url')
    expect(e.message).toBe(`Input 'timestamp-url': '${url}' is not an http(s) URL. Give an RFC 3161 timestamp server, or none to sign without a timestamp.`)
  })
})

describe('macOS signing', () => {
  it('reads the certificate and its settings, with notarization off by default', () => {
    const c = read({
      'macos-certificate': ` ${MAC_CERT}\n`,
      'macos-certificate-password': ' p12 pass ',
      'macos-signing-identity': ' Developer ID Application: Example Corp (ABCDE12345) ',
      'macos-entitlements': 'packaging/entitlements.plist'
    })
    expect(c.signing.macos).toEqual({
      certificate: MAC_CERT,
      password: ' p12 pass ',
      identity: 'Developer ID Application: Example Corp (ABCDE12345)',
      entitlements: path.join(workspace, 'proj', 'packaging', 'entitlements.plist'),
      notarize: false,
      auth: undefined,
      timeout: '30m'
    })
    expect(c.signing.windows).toBeUndefined()
  })

  it('leaves the identity and entitlements empty when not set', () => {
    const m = read({ 'macos-certificate': MAC_CERT }).signing.macos
    expect(m?.identity).toBe('')
    expect(m?.entitlements).toBe('')
  })

  it('refuses a missing entitlements file', () => {
    const e = inputError({ 'macos-certificate': MAC_CERT, 'macos-entitlements': 'missing.plist' })
    expect(e.input).toBe('macos-entitlements')
    expect(e.message).toBe(
      `Input 'macos-entitlements': missing.plist does not exist (looked for ${path.join(workspace, 'proj', 'missing.plist')}). Give the path of the entitlements file relative to project-path (proj).`
    )
  })

  it('reads Windows and macOS signing together', () => {
    const s = read({ 'windows-certificate': 'MIIK', 'macos-certificate': MAC_CERT }).signing
    expect(s.windows?.certificate).toBe('MIIK')
    expect(s.macos?.certificate).toBe(MAC_CERT)
  })
})

describe('notarize', () => {
  it('refuses notarization without macos-certificate', () => {
    const e = inputError({ notarize: 'true', ...API_KEY })
    expect(e.input).toBe('notarize')
    expect(e.message).toBe(
      "Input 'notarize': is true, but macos-certificate is empty: only signed code can be notarized. Set macos-certificate (and its password), or notarize: false."
    )
  })

  it('refuses a value that is not a boolean', () => {
    expect(inputError({ 'macos-certificate': MAC_CERT, notarize: 'yes', ...API_KEY }).input).toBe('notarize')
  })

  it('authenticates with an App Store Connect API key', () => {
    const m = read({ 'macos-certificate': MAC_CERT, notarize: 'true', ...API_KEY }).signing.macos
    expect(m?.notarize).toBe(true)
    expect(m?.auth).toEqual({ kind: 'api-key', key: API_KEY['apple-api-key'], keyId: 'ABC123DEF4', issuer: '69a6de7e-1111-2222-3333-5bc37c11a4d1' })
  })

  it('authenticates with an Apple ID, keeping the app password as given', () => {
    const m = read({ 'macos-certificate': MAC_CERT, notarize: 'True', ...APPLE_ID, 'apple-id': ' dev@example.com ' }).signing.macos
    expect(m?.notarize).toBe(true)
    expect(m?.auth).toEqual({ kind: 'apple-id', appleId: 'dev@example.com', password: 'abcd-efgh-ijkl-mnop', teamId: 'ABCDE12345' })
  })

  it.each([
    ['apple-api-key', { 'apple-api-key-id': API_KEY['apple-api-key-id'], 'apple-api-issuer': API_KEY['apple-api-issuer'] }],
    ['apple-api-key-id', { 'apple-api-key': API_KEY['apple-api-key'], 'apple-api-issuer': API_KEY['apple-api-issuer'] }],
    ['apple-api-issuer', { 'apple-api-key': API_KEY['apple-api-key'], 'apple-api-key-id': API_KEY['apple-api-key-id'] }]
  ])('refuses an API key without %s', (_missing, partial) => {
    const e = inputError({ 'macos-certificate': MAC_CERT, notarize: 'true', ...partial })
    expect(e.input).toBe('notarize')
    expect(e.message).toBe(
      "Input 'notarize': needs apple-api-key, apple-api-key-id and apple-api-issuer together (an App Store Connect API key); one of them is empty. Set all three."
    )
  })

  it('refuses a partial API key even when an Apple ID is complete', () => {
    expect(inputError({ 'macos-certificate': MAC_CERT, notarize: 'true', ...APPLE_ID, 'apple-api-key-id': 'ABC123DEF4' }).input).toBe('notarize')
  })

  it('refuses notarization without credentials, with the exact message', () => {
    const e = inputError({ 'macos-certificate': MAC_CERT, notarize: 'true' })
    expect(e.input).toBe('notarize')
    expect(e.message).toBe(
      "Input 'notarize': is true, but no credentials are set. Set apple-api-key, apple-api-key-id and apple-api-issuer (an App Store Connect API key), or apple-id, apple-app-password and apple-team-id."
    )
  })

  it.each(['apple-id', 'apple-app-password', 'apple-team-id'])('refuses an Apple ID without %s', (missing) => {
    const partial: Record<string, string> = { ...APPLE_ID }
    delete partial[missing]
    expect(inputError({ 'macos-certificate': MAC_CERT, notarize: 'true', ...partial }).input).toBe('notarize')
  })

  it('needs no credentials when notarize is false, and keeps none', () => {
    const m = read({ 'macos-certificate': MAC_CERT, notarize: 'false', ...API_KEY }).signing.macos
    expect(m?.notarize).toBe(false)
    expect(m?.auth).toBeUndefined()
  })
})

describe('notarize-timeout', () => {
  it('defaults to 30m and reads a duration', () => {
    expect(read({ 'macos-certificate': MAC_CERT }).signing.macos?.timeout).toBe('30m')
    expect(read({ 'macos-certificate': MAC_CERT, 'notarize-timeout': ' 2h ' }).signing.macos?.timeout).toBe('2h')
    expect(read({ 'macos-certificate': MAC_CERT, 'notarize-timeout': '900s' }).signing.macos?.timeout).toBe('900s')
  })

  it.each(['30', '1.5h', 'half an hour', '30min', '10d'])('refuses %j', (t) => {
    const e = inputError({ 'macos-certificate': MAC_CERT, notarize: 'true', ...API_KEY, 'notarize-timeout': t })
    expect(e.input).toBe('notarize-timeout')
    expect(e.message).toBe(`Input 'notarize-timeout': '${t}' is not a duration. Write a number with s, m or h, such as 30m.`)
  })

  it.each(['0s', '59s', '25h', '1441m', '2147484s', '99999999999999999999h'])('refuses %j, outside 1m to 24h', (t) => {
    const e = inputError({ 'macos-certificate': MAC_CERT, notarize: 'true', ...API_KEY, 'notarize-timeout': t })
    expect(e.input).toBe('notarize-timeout')
    expect(e.message).toBe(`Input 'notarize-timeout': '${t}' is not from 1m to 24h. Write a number with s, m or h, such as 30m.`)
  })

  it('accepts both ends of its range', () => {
    expect(read({ 'macos-certificate': MAC_CERT, 'notarize-timeout': '60s' }).signing.macos?.timeout).toBe('60s')
    expect(read({ 'macos-certificate': MAC_CERT, 'notarize-timeout': '24h' }).signing.macos?.timeout).toBe('24h')
  })
})
