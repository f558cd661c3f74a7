import { describe, it, expect } from '@jest/globals'
import { display, redactText, type Command } from '../../src/exec.js'
import {
  codesignCommand,
  defaultKeychainCommand,
  findIdentityCommand,
  keychainCleanup,
  keychainSetup,
  listKeychainsCommand,
  NOTARY_TIMEOUT,
  notaryIssues,
  notaryLogCommand,
  parseIdentity,
  parseKeychainPaths,
  parseSubmission,
  signOrder,
  stapleCommand,
  submitCommand,
  verifyCommand,
  zipCommand,
  type NotaryAuth
} from '../../src/sign/macos.js'

const SECURITY = '/usr/bin/security'
const CODESIGN = '/usr/bin/codesign'
const XCRUN = '/usr/bin/xcrun'

const LOGIN = '/Users/runner/Library/Keychains/login.keychain-db'
const SYSTEM = '/Library/Keychains/System.keychain'
const TEMP = '/tmp/bs/secrets/build-standalone-0a1b2c3d4e5f.keychain-db'
const KEYCHAIN = { path: TEMP, password: 'kc-pass-4f1e0c9d' }
const P12 = '/tmp/bs/secrets/codesign.p12'
const P12_PASSWORD = 'p12 pass$word'

/** `security list-keychains -d user` on a GitHub macOS runner. */
const LIST_KEYCHAINS_OUTPUT = `    "${LOGIN}"\n    "${SYSTEM}"\n`

const HASH = '1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D'
const HASH2 = 'FFEEDDCCBBAA99887766554433221100FFEEDDCC'
/** `security find-identity -v -p codesigning <keychain>`. */
const FIND_IDENTITY_OUTPUT = `  1) ${HASH} "Developer ID Application: Example Corp (ABCDE12345)"
  2) ${HASH2} "Apple Development: dev@example.com (XYZ9876543)"
     2 valid identities found
`
const NO_IDENTITY_OUTPUT = '     0 valid identities found\n'

/** Every argument of a command that holds `secret` must be covered by its redact list. */
function expectRedacted(cmd: Command, secret: string): void {
  expect(cmd.args.some((a) => a.includes(secret))).toBe(true)
  expect(cmd.redact).toContain(secret)
  expect(display(cmd)).not.toContain(secret)
}

describe('keychainSetup', () => {
  const cmds = keychainSetup(KEYCHAIN, P12, P12_PASSWORD, [LOGIN, SYSTEM])

  it('plans the six security commands in order', () => {
    expect(cmds.map((c) => ({ program: c.program, args: c.args }))).toEqual([
      { program: SECURITY, args: ['create-keychain', '-p', KEYCHAIN.password, TEMP] },
      { program: SECURITY, args: ['set-keychain-settings', '-lut', '21600', TEMP] },
      { program: SECURITY, args: ['unlock-keychain', '-p', KEYCHAIN.password, TEMP] },
      { program: SECURITY, args: ['import', P12, '-k', TEMP, '-P', P12_PASSWORD, '-f', 'pkcs12', '-T', CODESIGN, '-T', SECURITY] },
      { program: SECURITY, args: ['set-key-partition-list', '-S', 'apple-tool:,apple:,codesign:', '-s', '-k', KEYCHAIN.password, TEMP] },
      { program: SECURITY, args: ['list-keychains', '-d', 'user', '-s', TEMP, LOGIN, SYSTEM] }
    ])
  })

  it('redacts every password it passes', () => {
    expectRedacted(cmds[0], KEYCHAIN.password)
    expectRedacted(cmds[2], KEYCHAIN.password)
    expectRedacted(cmds[3], P12_PASSWORD)
    expectRedacted(cmds[4], KEYCHAIN.password)
    expect(display(cmds[3])).toBe(`${SECURITY} import ${P12} -k ${TEMP} -P *** -f pkcs12 -T ${CODESIGN} -T ${SECURITY}`)
    expect(display(cmds[0])).toBe(`${SECURITY} create-keychain -p *** ${TEMP}`)
  })

  it('holds no password in the commands without a redact list', () => {
    for (const c of cmds.filter((c) => !c.redact?.length)) {
      expect(c.args.join(' ')).not.toContain(KEYCHAIN.password)
      expect(c.args.join(' ')).not.toContain(P12_PASSWORD)
    }
    expect(cmds[1].redact ?? []).toEqual([])
    expect(cmds[5].redact ?? []).toEqual([])
  })

  it('does not put the temporary keychain on the search list twice', () => {
    const again = keychainSetup(KEYCHAIN, P12, P12_PASSWORD, [TEMP, LOGIN, SYSTEM])
    expect(again[5].args).toEqual(['list-keychains', '-d', 'user', '-s', TEMP, LOGIN, SYSTEM])
  })

  it('puts the temporary keychain alone on an empty search list', () => {
    expect(keychainSetup(KEYCHAIN, P12, P12_PASSWORD, [])[5].args).toEqual(['list-keychains', '-d', 'user', '-s', TEMP])
  })
})

describe('keychainCleanup', () => {
  it('restores the search list and the default keychain, then deletes the temporary keychain', () => {
    expect(keychainCleanup(TEMP, [LOGIN, SYSTEM], LOGIN)).toEqual([
      { program: SECURITY, args: ['list-keychains', '-d', 'user', '-s', LOGIN, SYSTEM] },
      { program: SECURITY, args: ['default-keychain', '-d', 'user', '-s', LOGIN] },
      { program: SECURITY, args: ['delete-keychain', TEMP] }
    ])
  })

  it('leaves the default keychain alone when it was not known', () => {
    expect(keychainCleanup(TEMP, [LOGIN, SYSTEM], '')).toEqual([
      { program: SECURITY, args: ['list-keychains', '-d', 'user', '-s', LOGIN, SYSTEM] },
      { program: SECURITY, args: ['delete-keychain', TEMP] }
    ])
  })

  it('keeps the temporary keychain off the restored search list', () => {
    expect(keychainCleanup(TEMP, [TEMP, LOGIN], LOGIN)[0].args).toEqual(['list-keychains', '-d', 'user', '-s', LOGIN])
  })
})

describe('keychain queries', () => {
  it('reads the search list and default keychain of the user domain', () => {
    expect(listKeychainsCommand).toEqual({ program: SECURITY, args: ['list-keychains', '-d', 'user'] })
    expect(defaultKeychainCommand).toEqual({ program: SECURITY, args: ['default-keychain', '-d', 'user'] })
  })

  it('lists the code-signing identities of the temporary keychain', () => {
    expect(findIdentityCommand(TEMP)).toEqual({ program: SECURITY, args: ['find-identity', '-v', '-p', 'codesigning', TEMP] })
  })
})

describe('parseKeychainPaths', () => {
  it('reads `security list-keychains` output', () => {
    expect(parseKeychainPaths(LIST_KEYCHAINS_OUTPUT)).toEqual([LOGIN, SYSTEM])
  })

  it('reads `security default-keychain` output', () => {
    expect(parseKeychainPaths(`    "${LOGIN}"\n`)).toEqual([LOGIN])
  })

  it('keeps paths with spaces and CRLF line ends', () => {
    expect(parseKeychainPaths('    "/Users/Jane Doe/Library/Keychains/login.keychain-db"\r\n    "/Library/Keychains/System.keychain"\r\n')).toEqual([
      '/Users/Jane Doe/Library/Keychains/login.keychain-db',
      SYSTEM
    ])
  })

  it('finds nothing in empty or unrelated output', () => {
    expect(parseKeychainPaths('')).toEqual([])
    expect(parseKeychainPaths('security: SecKeychainCopyDomainSearchList: A default keychain could not be found.\n')).toEqual([])
  })
})

describe('parseIdentity', () => {
  it('takes the SHA-1 of the first valid identity', () => {
    expect(parseIdentity(FIND_IDENTITY_OUTPUT)).toBe(HASH)
  })

  it('reads the output with the policy header', () => {
    const out = `Policy: Code Signing\n  Matching identities\n  1) ${HASH2} "Developer ID Application: Other (QQQQQ11111)"\n     1 identities found\n\n  Valid identities only\n  1) ${HASH2} "Developer ID Application: Other (QQQQQ11111)"\n     1 valid identities found\n`
    expect(parseIdentity(out)).toBe(HASH2)
  })

  it('finds none in "0 valid identities found"', () => {
    expect(parseIdentity(NO_IDENTITY_OUTPUT)).toBeUndefined()
    expect(parseIdentity('')).toBeUndefined()
  })
})

describe('signOrder', () => {
  const root = '/dist/app'
  const exe = `${root}/app`
  const helper = `${root}/helper`
  const libpython = `${root}/_internal/libpython3.12.dylib`
  const ssl = `${root}/_internal/lib-dynload/_ssl.cpython-312-darwin.so`
  const jpeg = `${root}/_internal/PIL/.dylibs/libjpeg.62.dylib`
  const imaging = `${root}/_internal/PIL/_imaging.cpython-312-darwin.so`

  it('signs the deepest libraries first and the executables after them', () => {
    expect(signOrder([exe, libpython, imaging, helper, ssl, jpeg], [exe, helper])).toEqual([jpeg, ssl, imaging, libpython, exe, helper])
  })

  it('keeps the executables in their given order, after every library', () => {
    expect(signOrder([libpython, helper, exe], [helper, exe])).toEqual([libpython, helper, exe])
  })

  it('signs the bundle itself last', () => {
    const app = '/dist/Demo.app'
    const main = `${app}/Contents/MacOS/Demo`
    const dylib = `${app}/Contents/Frameworks/libpython3.12.dylib`
    const so = `${app}/Contents/Frameworks/lib-dynload/_ssl.cpython-312-darwin.so`
    expect(signOrder([main, dylib, so], [main], app)).toEqual([so, dylib, main, app])
  })

  it('does not change its input arrays', () => {
    const machO = [exe, libpython, jpeg]
    signOrder(machO, [exe])
    expect(machO).toEqual([exe, libpython, jpeg])
  })
})

describe('codesignCommand', () => {
  it('signs with the hardened runtime and a secure timestamp', () => {
    expect(codesignCommand(HASH, TEMP, '/dist/app', '')).toEqual({
      program: CODESIGN,
      args: ['--force', '--options', 'runtime', '--timestamp', '--sign', HASH, '--keychain', TEMP, '/dist/app']
    })
  })

  it('adds the entitlements before the target', () => {
    expect(codesignCommand('Developer ID Application: Example Corp (ABCDE12345)', TEMP, '/dist/Demo.app', '/ws/proj/entitlements.plist')).toEqual({
      program: CODESIGN,
      args: [
        '--force',
        '--options',
        'runtime',
        '--timestamp',
        '--sign',
        'Developer ID Application: Example Corp (ABCDE12345)',
        '--keychain',
        TEMP,
        '--entitlements',
        '/ws/proj/entitlements.plist',
        '/dist/Demo.app'
      ]
    })
  })
})

describe('verifyCommand, zipCommand, stapleCommand', () => {
  it('verifies strictly', () => {
    expect(verifyCommand('/dist/Demo.app')).toEqual({ program: CODESIGN, args: ['--verify', '--strict', '--verbose=2', '/dist/Demo.app'] })
  })

  it('zips with ditto, keeping the parent', () => {
    expect(zipCommand('/dist/Demo.app', '/tmp/bs/notarize/Demo.app.zip')).toEqual({
      program: '/usr/bin/ditto',
      args: ['-c', '-k', '--keepParent', '/dist/Demo.app', '/tmp/bs/notarize/Demo.app.zip']
    })
  })

  it('staples with xcrun stapler', () => {
    expect(stapleCommand('/dist/Demo.app')).toEqual({ program: XCRUN, args: ['stapler', 'staple', '/dist/Demo.app'] })
  })
})

const API_KEY: NotaryAuth = { kind: 'api-key', keyFile: '/tmp/bs/secrets/AuthKey.p8', keyId: 'ABC123DEF4', issuer: '69a6de7e-1111-2222-3333-5bc37c11a4d1' }
const APPLE_ID: NotaryAuth = { kind: 'apple-id', appleId: 'dev@example.com', password: 'abcd-efgh-ijkl-mnop', teamId: 'ABCDE12345' }
const ZIP = '/tmp/bs/notarize/Demo.app.zip'

describe('submitCommand', () => {
  it('submits with an App Store Connect API key and waits', () => {
    const cmd = submitCommand(ZIP, API_KEY, '30m')
    expect(cmd.program).toBe(XCRUN)
    expect(cmd.args).toEqual([
      'notarytool',
      'submit',
      ZIP,
      '--key',
      '/tmp/bs/secrets/AuthKey.p8',
      '--key-id',
      'ABC123DEF4',
      '--issuer',
      '69a6de7e-1111-2222-3333-5bc37c11a4d1',
      '--wait',
      '--timeout',
      '30m',
      '--output-format',
      'json'
    ])
    expect(cmd.redact ?? []).toEqual([])
  })

  it('submits with an Apple ID, the app password redacted', () => {
    const cmd = submitCommand(ZIP, APPLE_ID, '2h')
    expect(cmd.program).toBe(XCRUN)
    expect(cmd.args).toEqual([
      'notarytool',
      'submit',
      ZIP,
      '--apple-id',
      'dev@example.com',
      '--password',
      'abcd-efgh-ijkl-mnop',
      '--team-id',
      'ABCDE12345',
      '--wait',
      '--timeout',
      '2h',
      '--output-format',
      'json'
    ])
    expect(cmd.redact).toEqual(['abcd-efgh-ijkl-mnop'])
    expect(display(cmd)).toBe(
      `${XCRUN} notarytool submit ${ZIP} --apple-id dev@example.com --password *** --team-id ABCDE12345 --wait --timeout 2h --output-format json`
    )
  })
})

describe('notaryLogCommand', () => {
  it('fetches the log with an API key', () => {
    const cmd = notaryLogCommand('2efe2717-52ef-43a5-96dc-0797e4ca1041', API_KEY)
    expect(cmd.program).toBe(XCRUN)
    expect(cmd.args).toEqual([
      'notarytool',
      'log',
      '2efe2717-52ef-43a5-96dc-0797e4ca1041',
      '--key',
      '/tmp/bs/secrets/AuthKey.p8',
      '--key-id',
      'ABC123DEF4',
      '--issuer',
      '69a6de7e-1111-2222-3333-5bc37c11a4d1'
    ])
  })

  it('fetches the log with an Apple ID, the app password redacted', () => {
    const cmd = notaryLogCommand('2efe2717', APPLE_ID)
    expect(cmd.args).toEqual(['notarytool', 'log', '2efe2717', '--apple-id', 'dev@example.com', '--password', 'abcd-efgh-ijkl-mnop', '--team-id', 'ABCDE12345'])
    expect(cmd.redact).toEqual(['abcd-efgh-ijkl-mnop'])
    expect(display(cmd)).not.toContain('abcd-efgh-ijkl-mnop')
  })
})

describe('parseSubmission', () => {
  it('reads the JSON after notarytool progress lines', () => {
    const out = [
      'Conducting pre-submission checks for Demo.app.zip and initiating connection to the Apple notary service...',
      'Submission ID received',
      '  id: 2efe2717-52ef-43a5-96dc-0797e4ca1041',
      'Upload progress: 100.00% (1.20 MB of 1.20 MB)',
      'Successfully uploaded file',
      'Waiting for processing to complete.',
      'Current status: Accepted........',
      '{"id":"2efe2717-52ef-43a5-96dc-0797e4ca1041","message":"Processing complete","status":"Accepted"}',
      ''
    ].join('\n')
    expect(parseSubmission(out)).toEqual({ id: '2efe2717-52ef-43a5-96dc-0797e4ca1041', status: 'Accepted' })
  })

  it('reads an Invalid answer', () => {
    expect(parseSubmission('{"id":"abc-1","message":"Processing complete","status":"Invalid"}\n')).toEqual({ id: 'abc-1', status: 'Invalid' })
  })

  it('gives an empty status when there is none', () => {
    expect(parseSubmission('{"id":"abc-2"}')).toEqual({ id: 'abc-2', status: '' })
  })

  it('gives undefined for junk and for JSON without an id', () => {
    expect(parseSubmission('')).toBeUndefined()
    expect(parseSubmission('Error: HTTP status code: 401. Unable to authenticate.')).toBeUndefined()
    expect(parseSubmission('{not json}')).toBeUndefined()
    expect(parseSubmission('{"message":"Processing complete","status":"Accepted"}')).toBeUndefined()
  })
})

describe('notaryIssues', () => {
  const log = (extra: Record<string, unknown>): string =>
    JSON.stringify(
      {
        logFormatVersion: 1,
        jobId: '2efe2717-52ef-43a5-96dc-0797e4ca1041',
        status: 'Invalid',
        statusSummary: 'Archive contains critical validation errors',
        statusCode: 4000,
        archiveFilename: 'Demo.app.zip',
        ticketContents: null,
        ...extra
      },
      null,
      2
    )

  it('lists each issue as path: message', () => {
    const json = log({
      issues: [
        {
          severity: 'error',
          code: null,
          path: 'Demo.app.zip/Demo.app/Contents/MacOS/Demo',
          message: 'The signature of the binary is invalid.',
          docUrl: 'https://developer.apple.com/documentation/security/resolving-common-notarization-issues',
          architecture: 'arm64'
        },
        {
          severity: 'error',
          code: null,
          path: 'Demo.app.zip/Demo.app/Contents/Frameworks/libpython3.12.dylib',
          message: 'The executable does not have the hardened runtime enabled.',
          architecture: 'x86_64'
        },
        { severity: 'error', message: 'The binary uses an SDK older than the 10.9 SDK.' },
        { severity: 'warning', path: 'Demo.app.zip/Demo.app/Contents/MacOS/helper' }
      ]
    })
    expect(notaryIssues(json)).toEqual([
      'Demo.app.zip/Demo.app/Contents/MacOS/Demo: The signature of the binary is invalid.',
      'Demo.app.zip/Demo.app/Contents/Frameworks/libpython3.12.dylib: The executable does not have the hardened runtime enabled.',
      'The binary uses an SDK older than the 10.9 SDK.',
      'Demo.app.zip/Demo.app/Contents/MacOS/helper: unknown issue'
    ])
  })

  it('reads the log after a line notarytool prints before it', () => {
    const json = `Successfully downloaded submission log\n${log({ issues: [{ path: 'a/b', message: 'bad' }] })}`
    expect(notaryIssues(json)).toEqual(['a/b: bad'])
  })

  it('falls back to the status summary when there are no issues', () => {
    expect(notaryIssues(log({ issues: null }))).toEqual(['Archive contains critical validation errors'])
    expect(notaryIssues(log({ issues: [] }))).toEqual(['Archive contains critical validation errors'])
  })

  it('says so when neither issues nor a summary are there', () => {
    expect(notaryIssues('{"status":"Invalid"}')).toEqual(['the notary log lists no issues'])
  })

  it('says the log could not be read for junk', () => {
    expect(notaryIssues('')).toEqual(['the notary log could not be read'])
    expect(notaryIssues('Error: Submission does not exist or does not belong to your team.')).toEqual(['the notary log could not be read'])
    expect(notaryIssues('{"issues": [')).toEqual(['the notary log could not be read'])
  })
})

describe('NOTARY_TIMEOUT', () => {
  it.each(['30m', '1h', '90s', '120m'])('accepts %j', (t) => {
    expect(NOTARY_TIMEOUT.test(t)).toBe(true)
  })

  it.each(['30', 'm', '1.5h', '30 m', '30min', '1d', '-5m', ' 30m', '30M', ''])('refuses %j', (t) => {
    expect(NOTARY_TIMEOUT.test(t)).toBe(false)
  })
})

describe('display and redactText', () => {
  it('shows *** for any argument that holds a redacted value', () => {
    const cmd: Command = { program: '/bin/tool', args: ['--password', 's3cr3t', '--pair=user:s3cr3t', 'plain arg'], redact: ['s3cr3t'] }
    expect(display(cmd)).toBe("/bin/tool --password *** *** 'plain arg'")
  })

  it('ignores an empty redact value', () => {
    expect(display({ program: '/bin/tool', args: ['a', 'b'], redact: [''] })).toBe('/bin/tool a b')
  })

  it('replaces every occurrence of every secret in a text', () => {
    expect(redactText('pw=aaa; again aaa; key=bbb', ['aaa', 'bbb', ''])).toBe('pw=***; again ***; key=***')
    expect(redactText('nothing here')).toBe('nothing here')
  })
})

describe('fixes found by review', () => {
  it('notaryIssues calls text without JSON unreadable, even when it ends in a digit', () => {
    expect(notaryIssues('Error: HTTP status code: 404')).toEqual(['the notary log could not be read'])
  })

  it('keychainCleanup does not empty the search list when the original list was not read', () => {
    expect(keychainCleanup('/tmp/k.keychain-db', [], '').map((c) => c.args)).toEqual([['delete-keychain', '/tmp/k.keychain-db']])
  })
})
