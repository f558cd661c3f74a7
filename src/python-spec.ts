/**
 * What `python-version` (or `python-version-file`) asks for: '3.11', '3.11.9',
 * '3', '3.x', or a PEP 440 specifier such as '>=3.10,<3.13' (the form of
 * `requires-python`), and whether a concrete version satisfies it.
 */

import { excerpt } from './errors.js'

export class SpecError extends Error {}

type Op = '==' | '!=' | '>=' | '<=' | '>' | '<' | '~='
interface Clause {
  readonly op: Op
  readonly release: number[]
  /** `==3.11.*` / `!=3.11.*`: compare only the given parts. */
  readonly wildcard: boolean
}

const SHORT = /^\d+(\.(\d+|x)){0,2}$/
const CLAUSE = /^(==|!=|>=|<=|>|<|~=)\s*(\d+(?:\.\d+)*)(\.\*)?$/

/** Parses a spec; throws SpecError when it is neither a short version nor a specifier. */
export function parseSpec(spec: string): Clause[] | 'short' {
  const s = spec.trim()
  if (SHORT.test(s)) return 'short'
  const clauses = s.split(',').map((c) => {
    const m = CLAUSE.exec(c.trim())
    if (!m) throw new SpecError(`'${c.trim()}' is not a version or a version specifier`)
    const op = m[1] as Op
    if (m[3] && op !== '==' && op !== '!=') throw new SpecError(`'${c.trim()}': a wildcard goes only with == or !=`)
    if (op === '~=' && m[2].split('.').length < 2) throw new SpecError(`'${c.trim()}': ~= needs at least two parts, as in ~=3.10`)
    return { op, release: m[2].split('.').map(Number), wildcard: Boolean(m[3]) }
  })
  return clauses
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

function satisfies(c: Clause, v: number[]): boolean {
  if (c.wildcard) {
    const same = c.release.every((n, i) => v[i] === n)
    return c.op === '==' ? same : !same
  }
  const d = compare(v, c.release)
  switch (c.op) {
    case '==':
      return d === 0
    case '!=':
      return d !== 0
    case '>=':
      return d >= 0
    case '<=':
      return d <= 0
    case '>':
      return d > 0
    case '<':
      return d < 0
    case '~=': {
      const prefix = c.release.slice(0, -1)
      return d >= 0 && prefix.every((n, i) => v[i] === n)
    }
  }
}

/** True when `actual` (e.g. '3.11.7') is what `spec` asks for. */
export function versionMatches(spec: string, actual: string): boolean {
  const parsed = parseSpec(spec)
  if (parsed === 'short') {
    const have = actual.split('.')
    return spec
      .trim()
      .split('.')
      .every((part, i) => part === 'x' || part === have[i])
  }
  const v = actual.split('.').map(Number)
  return parsed.every((c) => satisfies(c, v))
}

/** Newest first. */
export function compareVersionsDesc(a: string, b: string): number {
  return compare(b.split('.').map(Number), a.split('.').map(Number))
}

/**
 * The spec a version file gives: the first line of `.python-version` that is
 * not a comment, or `requires-python` of a pyproject.toml. Throws SpecError.
 */
export function specFromVersionFile(fileName: string, text: string, requiresPython: string): string {
  if (/\.toml$/i.test(fileName)) {
    if (!requiresPython) throw new SpecError(`${fileName} has no [project] requires-python`)
    return requiresPython.replace(/\s+/g, '')
  }
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'))
  if (!line) throw new SpecError(`${fileName} holds no version`)
  // pyenv writes '3.11.9' or 'pypy3.10-7.3.12'; only CPython versions are supported here.
  if (!SHORT.test(line)) throw new SpecError(`${fileName} says '${excerpt(line)}', which is not a CPython version such as 3.11 or 3.11.9`)
  return line
}
