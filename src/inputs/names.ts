/**
 * The inputs' vocabulary: every input's name, which are secret, which take
 * one value a line, which only shape a generated spec, and the text check
 * every value passes before any is interpreted.
 */
import { InputError } from '../errors.js'

/** Reads one input's raw value ('' when unset). */
export type InputReader = (name: string) => string

export interface Environment {
  readonly [name: string]: string | undefined
}

/** Every input of action.yml (a test keeps the two in step). */
export const INPUT_NAMES: readonly string[] = Object.freeze([
  'python-version',
  'python-version-file',
  'python-versions-manifest',
  'project-path',
  'target',
  'extras',
  'dependency-groups',
  'requirements',
  'builder',
  'pyinstaller-version',
  'nuitka-version',
  'spec',
  'entrypoint',
  'mode',
  'name',
  'version',
  'smoke-test',
  'smoke-timeout',
  'license-deny',
  'license-unknown',
  'output-dir',
  'installer',
  'lock',
  'cache',
  'icon',
  'hidden-imports',
  'collect',
  'add-data',
  'exclude-modules',
  'hooks-dir',
  'runtime-hooks',
  'builder-args',
  'upx',
  'strip',
  'compression-level',
  'glibc-max',
  'formats',
  'package-maintainer',
  'upload',
  'artifact-name',
  'retention-days',
  'release',
  'github-token',
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

/** Inputs that hold secrets: masked as soon as the config is read. */
export const SECRET_INPUTS: readonly string[] = Object.freeze([
  'github-token',
  'windows-certificate',
  'windows-certificate-password',
  'macos-certificate',
  'macos-certificate-password',
  'apple-api-key',
  'apple-app-password'
])

/** Inputs that shape a generated spec; with `spec` set they have no effect, so they are refused. */
export const GENERATED_SPEC_INPUTS: readonly string[] = Object.freeze([
  'entrypoint',
  'mode',
  'icon',
  'hidden-imports',
  'collect',
  'add-data',
  'exclude-modules',
  'hooks-dir',
  'runtime-hooks',
  'upx',
  'strip'
])

/** Inputs that take one value a line (the others are one line). */
export const MULTILINE_INPUTS: readonly string[] = Object.freeze([
  'extras',
  'dependency-groups',
  'requirements',
  'entrypoint',
  'smoke-test',
  'hidden-imports',
  'collect',
  'add-data',
  'exclude-modules',
  'formats',
  'hooks-dir',
  'runtime-hooks',
  'builder-args'
])

/** The longest value a one-line input, and a multi-line input, may have (secrets are not limited). */
export const MAX_LINE_INPUT_CHARS = 4096
export const MAX_MULTILINE_INPUT_CHARS = 65536

// Control characters a value may not hold: in a one-line input anything below a space but the tab; in a multi-line
// input the same, except line breaks. A NUL cuts a C string; a line break in a logged argument starts a log line that
// the runner would read as a workflow command; an escape rewrites the log's display.
// eslint-disable-next-line no-control-regex
const LINE_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/
// eslint-disable-next-line no-control-regex
const MULTILINE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/

/**
 * Refuses, for every input but the secrets, a value with a control character
 * or longer than its limit, before any input is interpreted. The message
 * never quotes the value.
 */
export function checkInputText(get: InputReader): void {
  for (const name of INPUT_NAMES) {
    if (SECRET_INPUTS.includes(name)) continue
    const value = get(name).trim()
    const multi = MULTILINE_INPUTS.includes(name)
    const max = multi ? MAX_MULTILINE_INPUT_CHARS : MAX_LINE_INPUT_CHARS
    if (value.length > max) throw new InputError(name, `is ${value.length} characters long, more than the ${max} it may have.`, 'Shorten it.')
    const at = value.search(multi ? MULTILINE_CONTROL : LINE_CONTROL)
    if (at >= 0) {
      const code = `U+${value.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}`
      throw new InputError(
        name,
        `holds the control character ${code} at position ${at + 1}${multi ? '' : ' (a line break is one: this input takes a single line)'}.`,
        multi ? 'Remove it; give one value a line.' : 'Give a single line of text.'
      )
    }
  }
}
