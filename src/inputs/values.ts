/**
 * Small parsers several groups of inputs share: booleans, names, time-outs.
 */
import { TIMEOUT_RANGES } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import { normalizeName } from '../pyproject.js'

/** A file, extra, group or executable name. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** YAML 1.2 core booleans, as core.getBooleanInput reads them; '' is false. */
export function parseBoolean(input: string, raw: string, fix = 'Write true or false.'): boolean {
  const value = raw.trim()
  if (value === '' || ['false', 'False', 'FALSE'].includes(value)) return false
  if (['true', 'True', 'TRUE'].includes(value)) return true
  throw new InputError(input, `'${value}' is not true or false.`, fix)
}

/** An extra or dependency-group name, normalized (PEP 685). */
export function checkName(input: string, value: string): string {
  if (!NAME.test(value))
    throw new InputError(
      input,
      `'${value}' is not a valid name.`,
      'Names use letters, digits, dots, dashes and underscores; give one a line or separate them with commas.'
    )
  return normalizeName(value)
}

/** A duration in seconds in words: '21600 s (6 hours)'. */
const describeSeconds = (s: number): string => (s % 3600 === 0 ? `${s} s (${s / 3600} hour${s === 3600 ? '' : 's'})` : `${s} s`)

/**
 * A time-out in seconds: a plain decimal number (not 0x10, 1e-9 or Infinity)
 * within the input's range of TIMEOUT_RANGES.
 */
export function secondsInRange(input: keyof typeof TIMEOUT_RANGES, raw: string, fallback: number): number {
  const value = raw.trim()
  if (!value) return fallback
  const { min, max } = TIMEOUT_RANGES[input]
  const n = /^\d{1,9}(\.\d{1,6})?$/.test(value) ? Number(value) : NaN
  if (!(n >= min && n <= max))
    throw new InputError(input, `'${excerpt(value)}' is not a number of seconds from ${min} to ${describeSeconds(max)}.`, `Give a number such as ${fallback}.`)
  return n
}
