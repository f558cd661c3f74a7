/**
 * Splitting one input line into program arguments the way a POSIX shell
 * splits words, quoting included, without any of a shell's other powers:
 * `;`, `|`, `&`, `$()`, `>` and globs are ordinary characters here.
 */

export class SplitError extends Error {}

/** Splits `line` into words: whitespace separates, quotes group, backslash escapes. */
export function splitWords(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: "'" | '"' | null = null
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote === "'") {
      if (c === "'") quote = null
      else word += c
      continue
    }
    if (quote === '"') {
      if (c === '"') quote = null
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i]
      else word += c
      continue
    }
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      continue
    }
    inWord = true
    if (c === "'" || c === '"') quote = c
    else if (c === '\\') {
      if (i + 1 >= line.length) throw new SplitError('it ends with a lone backslash')
      word += line[++i]
    } else word += c
  }
  if (quote) throw new SplitError(`it has an unclosed ${quote === '"' ? 'double' : 'single'} quote`)
  if (inWord) words.push(word)
  return words
}

/** The lines of a multi-line input, trimmed, without blank lines and `#` comments. */
export function inputLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

/** A list input given one value a line or separated by commas. */
export function inputList(value: string): string[] {
  return inputLines(value)
    .flatMap((l) => l.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

/** Quotes a word for display in a log line, so that what was run can be read back exactly. */
export function quoteForDisplay(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}
