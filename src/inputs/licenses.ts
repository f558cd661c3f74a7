/**
 * The license inputs read together: license-unknown (what a license the
 * action cannot classify does), and the builder they need: the license
 * policy's inputs as one piece.
 */
import { type BuilderName, LICENSE_UNKNOWN_MODES, type LicenseUnknown } from '../config.js'
import { excerpt, InputError } from '../errors.js'

/**
 * `license-unknown`: fail or allow; '' is fail when license-deny is set (a
 * license that cannot be classified cannot be shown not to be refused), allow
 * otherwise (reported in the summary, the build passes).
 */
export function readLicenseUnknown(raw: string, licenseDeny: readonly string[]): LicenseUnknown {
  const value = raw.trim().toLowerCase()
  if (!value) return licenseDeny.length ? 'fail' : 'allow'
  if (!LICENSE_UNKNOWN_MODES.includes(value as LicenseUnknown))
    throw new InputError(
      'license-unknown',
      `'${excerpt(value, 40)}' is not fail or allow.`,
      'Write fail (a shipped distribution whose license the action cannot classify fails the build; the default with license-deny) or allow (it is reported in the job summary).'
    )
  return value as LicenseUnknown
}

/**
 * The license inputs act on what the inspect stage reads of a PyInstaller
 * build; a Nuitka build is not read for licenses yet, so they are refused with
 * it rather than silently not enforced.
 */
export function checkLicenseBuilder(get: (name: string) => string, builder: BuilderName): void {
  if (builder !== 'nuitka') return
  const set = ['license-deny', 'license-unknown'].find((input) => get(input).trim() !== '')
  if (set)
    throw new InputError(
      set,
      'is set, and builder is nuitka: the action reads the licenses of what a PyInstaller build ships, not yet of a Nuitka build, so it could not be enforced.',
      `Remove ${set}, or set builder: pyinstaller.`
    )
}
