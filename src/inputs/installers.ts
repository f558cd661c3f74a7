/**
 * The inputs of the installers: which formats to make (formats), each only
 * on the system that can make it, and who maintains the packages
 * (package-maintainer) when the project does not say.
 */
import { type Config, type FormatName, FORMAT_SYSTEMS, FORMATS } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import type { OS } from '../platform.js'
import { inputList } from '../words.js'
import type { InputContext } from './context.js'

export type InstallerInputs = Pick<Config, 'formats' | 'packageMaintainer'>

const SYSTEM_TITLES: Readonly<Record<OS, string>> = { linux: 'Linux', windows: 'Windows', macos: 'macOS' }

/** What each installer is, for messages. */
const FORMAT_TITLES: Readonly<Record<FormatName, string>> = {
  archive: 'archive (tar.gz or zip)',
  deb: 'deb (a Debian/Ubuntu package of Linux programs)',
  rpm: 'rpm (a Fedora/RHEL/openSUSE package of Linux programs)',
  msi: 'msi (a Windows Installer package of Windows programs)',
  dmg: 'dmg (a macOS disk image, made with hdiutil)'
}

/** The formats that need someone named as the package's maintainer (Debian's Maintainer, Windows Installer's Manufacturer). */
export const NEEDS_MAINTAINER: readonly FormatName[] = ['deb', 'msi']

const FORMATS_FIX =
  "Write archive (the default), deb and rpm (made on Linux runners), msi (Windows runners) or dmg (macOS runners), one a line or separated by commas; in a matrix, give each system its own, e.g. formats: ${{ runner.os == 'Linux' && 'archive, deb, rpm' || runner.os == 'Windows' && 'archive, msi' || 'archive, dmg' }}."

/** `formats`: the distributables to make on a runner of system `os` (empty: archive). */
export function parseFormats(raw: string, os: OS): FormatName[] {
  const values = inputList(raw.toLowerCase())
  if (!values.length) return ['archive']
  const formats: FormatName[] = []
  for (const value of values) {
    if (!FORMATS.includes(value as FormatName)) throw new InputError('formats', `'${excerpt(value, 40)}' is not a format.`, FORMATS_FIX)
    const format = value as FormatName
    if (!FORMAT_SYSTEMS[format].includes(os))
      throw new InputError(
        'formats',
        `${FORMAT_TITLES[format]} is made on ${FORMAT_SYSTEMS[format].map((s) => SYSTEM_TITLES[s]).join(' or ')} runners only, and this runner is ${SYSTEM_TITLES[os]}.`,
        FORMATS_FIX
      )
    if (!formats.includes(format)) formats.push(format)
  }
  return formats
}

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
  const needs = formats.find((f) => NEEDS_MAINTAINER.includes(f))
  if (needs && !packageMaintainer && !project.contacts.length)
    throw new InputError(
      'package-maintainer',
      `is empty, and the project names no maintainers or authors in pyproject.toml, so the ${needs} package would name nobody as its ${needs === 'deb' ? 'Maintainer' : 'Manufacturer'}.`,
      'Set package-maintainer: Jane Doe <jane@example.org>, or add [project] maintainers (or authors) with a name and email to pyproject.toml.'
    )
  return { formats: Object.freeze(formats), packageMaintainer }
}
