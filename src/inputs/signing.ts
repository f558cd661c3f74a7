/**
 * The inputs of the sign stage: Windows Authenticode, macOS codesign and
 * notarization. A platform's signing is undefined when its certificate input
 * is empty.
 */
import { type MacSigning, type SigningConfig, TIMEOUT_RANGES } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import { NOTARY_TIMEOUT } from '../sign/macos.js'
import { DEFAULT_TIMESTAMP_URL } from '../sign/windows.js'
import type { InputContext } from './context.js'
import { parseBoolean } from './values.js'

export function readSigning({ get, inProject }: InputContext): SigningConfig {
  const windowsCert = get('windows-certificate').trim()
  const timestamp = get('timestamp-url').trim() || DEFAULT_TIMESTAMP_URL
  if (timestamp !== 'none' && !/^https?:\/\/\S+$/.test(timestamp))
    throw new InputError('timestamp-url', `'${timestamp}' is not an http(s) URL.`, 'Give an RFC 3161 timestamp server, or none to sign without a timestamp.')
  const windows = windowsCert
    ? {
        certificate: windowsCert,
        password: get('windows-certificate-password'),
        timestampUrl: timestamp === 'none' ? '' : timestamp,
        description: get('sign-description').trim(),
        url: get('sign-url').trim()
      }
    : undefined
  const macCert = get('macos-certificate').trim()
  const notarize = parseBoolean('notarize', get('notarize'))
  if (notarize && !macCert)
    throw new InputError(
      'notarize',
      'is true, but macos-certificate is empty: only signed code can be notarized.',
      'Set macos-certificate (and its password), or notarize: false.'
    )
  const timeout = readNotarizeTimeout(get('notarize-timeout'))
  const key = get('apple-api-key').trim()
  const keyId = get('apple-api-key-id').trim()
  const issuer = get('apple-api-issuer').trim()
  const appleId = get('apple-id').trim()
  const appPassword = get('apple-app-password')
  const teamId = get('apple-team-id').trim()
  let auth: MacSigning['auth']
  if (notarize) {
    if (key || keyId || issuer) {
      if (!(key && keyId && issuer))
        throw new InputError(
          'notarize',
          'needs apple-api-key, apple-api-key-id and apple-api-issuer together (an App Store Connect API key); one of them is empty.',
          'Set all three.'
        )
      auth = { kind: 'api-key', key, keyId, issuer }
    } else if (appleId && appPassword && teamId) auth = { kind: 'apple-id', appleId, password: appPassword, teamId }
    else if (appleId || appPassword || teamId)
      throw new InputError('notarize', 'needs apple-id, apple-app-password and apple-team-id together; one of them is empty.', 'Set all three.')
    else
      throw new InputError(
        'notarize',
        'is true, but no credentials are set.',
        'Set apple-api-key, apple-api-key-id and apple-api-issuer (an App Store Connect API key), or apple-id, apple-app-password and apple-team-id.'
      )
  }
  const entitlementsInput = get('macos-entitlements').trim()
  const macos = macCert
    ? {
        certificate: macCert,
        password: get('macos-certificate-password'),
        identity: get('macos-signing-identity').trim(),
        entitlements: entitlementsInput ? inProject('macos-entitlements', entitlementsInput, 'the entitlements file') : '',
        notarize,
        auth,
        timeout
      }
    : undefined
  return { windows, macos }
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 }

/** notarize-timeout: a notarytool duration (a whole number with s, m or h) within its range. */
function readNotarizeTimeout(raw: string): string {
  const timeout = raw.trim() || '30m'
  const { min, max } = TIMEOUT_RANGES['notarize-timeout']
  if (!NOTARY_TIMEOUT.test(timeout))
    throw new InputError('notarize-timeout', `'${excerpt(timeout)}' is not a duration.`, 'Write a number with s, m or h, such as 30m.')
  const seconds = Number(timeout.slice(0, -1)) * UNIT_SECONDS[timeout.slice(-1)]
  if (!(seconds >= min && seconds <= max))
    throw new InputError('notarize-timeout', `'${timeout}' is not from 1m to 24h.`, 'Write a number with s, m or h, such as 30m.')
  return timeout
}
