/**
 * Errors the action reports to its user. Each says where the problem is (an
 * input or a stage) and what to do next; none is shown with a stack trace.
 */

/** A bad input value: names the input, what was wrong and what to do. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    fix: string
  ) {
    super(`Input '${input}': ${clip(problem)} ${fix}`.trim())
    this.name = 'InputError'
  }
}

/** The most characters of a problem an InputError shows: a value quoted in it may be as long as an input is. */
export const MAX_PROBLEM_CHARS = 600

/** `text` with its middle cut when longer than `max` characters, saying how much was cut. */
function clip(text: string, max = MAX_PROBLEM_CHARS): string {
  if (text.length <= max) return text
  const keep = max - 100
  return `${text.slice(0, keep)}… [${text.length - keep - 60} characters cut] …${text.slice(-60)}`
}

/** A stage that could not finish: names the stage and the next step. */
export class StageError extends Error {
  constructor(
    readonly stage: string,
    message: string
  ) {
    super(message)
    this.name = 'StageError'
  }
}

/** The text to show the user for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof InputError) return error.message
  if (error instanceof StageError) return `${error.stage} failed: ${error.message}`
  if (error instanceof Error) return `Unexpected error: ${error.message}`
  return `Unexpected error: ${String(error)}`
}

/**
 * A short, printable excerpt of text that came from outside (an input value,
 * a line of a file), safe to quote in a message, the log and the job summary:
 * control characters (newlines, NUL) and backticks as '?', at most `max`
 * characters with '…' when cut.
 */
export function excerpt(text: string, max = 40): string {
  const head = text.slice(0, max * 2 + 2)
  // eslint-disable-next-line no-control-regex
  const clean = head.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029`]/g, '?')
  const chars = [...clean]
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : clean
}
