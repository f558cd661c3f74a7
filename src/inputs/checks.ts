/**
 * The inputs of what is checked once the executables are built: the smoke
 * tests and their time-out, the newest glibc they may need, the licenses they
 * may not ship.
 */
import { type Config, DEFAULT_SMOKE_TIMEOUT_SECONDS } from '../config.js'
import { InputError } from '../errors.js'
import { spdxId } from '../inspect/licenses.js'
import { inputLines, inputList, splitWords, SplitError } from '../words.js'
import type { InputContext } from './context.js'
import { readLicenseUnknown } from './licenses.js'
import { NAME, secondsInRange } from './values.js'

export type CheckInputs = Pick<Config, 'smokeTests' | 'smokeTimeoutSeconds' | 'glibcMax' | 'licenseDeny' | 'licenseUnknown'>

export function readCheckInputs({ get }: InputContext): CheckInputs {
  const glibcMax = parseGlibcMax(get('glibc-max'))
  const smokeTests = inputLines(get('smoke-test')).map((line) => {
    const target = /^\[([^\]]*)\]\s*(.*)$/.exec(line)
    if (target && !NAME.test(target[1]))
      throw new InputError(
        'smoke-test',
        `\`[${target[1]}]\` in the line \`${line}\` is not an executable name.`,
        'Write `[name] arguments` to run a line against one executable only.'
      )
    try {
      return Object.freeze({ line, only: target ? target[1] : '', args: Object.freeze(splitWords(target ? target[2] : line)) })
    } catch (e) {
      throw new InputError(
        'smoke-test',
        `the line \`${line}\` cannot be split into arguments: ${(e as SplitError).message}.`,
        'Close the quote or escape the character with a backslash.'
      )
    }
  })
  const smokeTimeoutSeconds = secondsInRange('smoke-timeout', get('smoke-timeout'), DEFAULT_SMOKE_TIMEOUT_SECONDS)
  const licenseDeny = readLicenseDeny(get('license-deny'))
  const licenseUnknown = readLicenseUnknown(get('license-unknown'), licenseDeny)
  return { smokeTests: Object.freeze(smokeTests), smokeTimeoutSeconds, glibcMax, licenseDeny: Object.freeze(licenseDeny), licenseUnknown }
}

/** `license-deny`: SPDX license ids (GPL-3.0-only, AGPL-3.0-or-later, LicenseRef-…), one a line or separated by commas. */
export function readLicenseDeny(raw: string): string[] {
  return inputList(raw).map((value) => {
    const id = /^[A-Za-z0-9.+:-]+$/.test(value) ? spdxId(value) : undefined
    if (!id)
      throw new InputError(
        'license-deny',
        `'${value}' is not an SPDX license id.`,
        'Give ids from https://spdx.org/licenses/ such as GPL-3.0-only or AGPL-3.0-or-later, one a line or separated by commas.'
      )
    return id
  })
}

/** `glibc-max`: a glibc version, two or three numbers ('2.31', '2.2.5'); '' means no limit. */
export function parseGlibcMax(raw: string): string {
  const value = raw.trim()
  if (!value) return ''
  if (!/^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/.test(value))
    throw new InputError(
      'glibc-max',
      `'${value}' is not a glibc version.`,
      "Give the version of the oldest glibc the executables must run on, as major.minor, e.g. '2.31' (Debian 11, Ubuntu 20.04) or '2.28' (RHEL 8); leave it empty for no limit."
    )
  return value
}
