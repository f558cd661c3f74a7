/**
 * The inputs of the installers: which formats to make (formats), each only
 * on the system that can make it, and who maintains the packages
 * (package-maintainer) when the project does not say.
 */
import { type Config, type FormatName, FORMAT_SYSTEMS, FORMAT_TITLES, SYSTEM_TITLES } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import type { OS } from '../platform.js'
import { contactsAreStatic, formatList, missingMaintainer } from '../installers/meta.js'
import type { InputContext } from './context.js'

export type InstallerInputs = Pick<Config, 'formats' | 'packageMaintainer'>

const FORMATS_FIX =
  "Write archive (the default), deb and rpm (made on Linux runners), msi (Windows runners) or dmg (macOS runners), one a line or separated by commas; in a matrix, give each system its own, e.g. formats: ${{ runner.os == 'Linux' && 'archive, deb, rpm' || runner.os == 'Windows' && 'archive, msi' || 'archive, dmg' }}."

/** `formats`: the distributables to make on a runner of system `os` (empty: archive). */
export function parseFormats(raw: string, os: OS): FormatName[] {
  const formats = formatList(raw, FORMATS_FIX)
  const elsewhere = formats.find((f) => !FORMAT_SYSTEMS[f].includes(os))
  if (elsewhere)
    throw new InputError(
      'formats',
      `${FORMAT_TITLES[elsewhere]} is made on ${FORMAT_SYSTEMS[elsewhere].map((s) => SYSTEM_TITLES[s]).join(' or ')} runners only, and this runner is ${SYSTEM_TITLES[os]}.`,
      FORMATS_FIX
    )
  return formats
}

const ADD_CONTACT = 'add [project] maintainers (or authors) with a name and email to pyproject.toml'

/** `Name <email>`, as Debian's Maintainer field and RPM's Packager take it. */
const CONTACT = /^[^<>,]*[^<>,\s][^<>,]* <[^<>@\s]+@[^<>@\s]+>$/

export function readInstallerInputs({ get, project }: InputContext, os: OS): InstallerInputs {
  const formats = parseFormats(get('formats'), os)
  const packageMaintainer = get('package-maintainer').trim()
  if (packageMaintainer && !CONTACT.test(packageMaintainer))
    throw new InputError(
      'package-maintainer',
      `'${excerpt(packageMaintainer, 80)}' is not a name and an email address in angle brackets.`,
      'Write it as Debian does: Jane Doe <jane@example.org>.'
    )
  // Early when it can be: a static [project] without maintainers or authors names nobody in the built distribution
  // either. Otherwise the installed distribution's metadata may (setup.py, Poetry, dynamic authors): checked after the install.
  const missing = contactsAreStatic(project) ? missingMaintainer({ formats, packageMaintainer, project }, "pyproject.toml's [project]", ADD_CONTACT) : undefined
  if (missing) throw missing
  return { formats: Object.freeze(formats), packageMaintainer }
}
