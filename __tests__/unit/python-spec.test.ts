import { describe, it, expect } from '@jest/globals'
import { compareVersionsDesc, parseSpec, SpecError, specFromVersionFile, versionMatches } from '../../src/python-spec.js'

function specError(run: () => unknown): SpecError {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError)
    return e as SpecError
  }
  throw new Error('no SpecError was thrown')
}

describe('parseSpec', () => {
  it.each([['3'], ['3.11'], ['3.11.7'], ['3.x'], ['3.11.x'], ['3.x.x'], [' 3.12 ']])('reads %p as a short version', (spec) => {
    expect(parseSpec(spec)).toBe('short')
  })

  it('reads a specifier into clauses', () => {
    expect(parseSpec('>=3.10,<3.13')).toEqual([
      { op: '>=', release: [3, 10], wildcard: false },
      { op: '<', release: [3, 13], wildcard: false }
    ])
  })

  it('allows spaces around operators and commas', () => {
    expect(parseSpec(' >= 3.10 , != 3.11.* ,<4 ')).toEqual([
      { op: '>=', release: [3, 10], wildcard: false },
      { op: '!=', release: [3, 11], wildcard: true },
      { op: '<', release: [4], wildcard: false }
    ])
  })

  it('reads every operator', () => {
    expect(parseSpec('==3.11.7,!=3.11.2,>=3.11,<=3.12,>3.10,<3.13,~=3.11.1')).toEqual([
      { op: '==', release: [3, 11, 7], wildcard: false },
      { op: '!=', release: [3, 11, 2], wildcard: false },
      { op: '>=', release: [3, 11], wildcard: false },
      { op: '<=', release: [3, 12], wildcard: false },
      { op: '>', release: [3, 10], wildcard: false },
      { op: '<', release: [3, 13], wildcard: false },
      { op: '~=', release: [3, 11, 1], wildcard: false }
    ])
  })

  it.each([
    ['abc', "'abc' is not a version or a version specifier"],
    ['>=3.x', "'>=3.x' is not a version or a version specifier"],
    ['3.11-dev', "'3.11-dev' is not a version or a version specifier"],
    ['~=3', "'~=3': ~= needs at least two parts, as in ~=3.10"],
    ['>=3.*', "'>=3.*': a wildcard goes only with == or !="],
    ['~=3.10.*', "'~=3.10.*': a wildcard goes only with == or !="],
    ['>=3.10,', "'' is not a version or a version specifier"],
    ['>=3.10,foo', "'foo' is not a version or a version specifier"],
    ['', "'' is not a version or a version specifier"],
    ['3.11.9.1', "'3.11.9.1' is not a version or a version specifier"],
    ['=>3.10', "'=>3.10' is not a version or a version specifier"]
  ])('refuses %p: %s', (spec, message) => {
    const e = specError(() => parseSpec(spec))
    expect(e.message).toBe(message)
  })
})

describe('versionMatches with short forms', () => {
  it.each([
    ['3', '3.11.7', true],
    ['3', '2.7.18', false],
    ['3.11', '3.11.7', true],
    ['3.11', '3.11.0', true],
    ['3.11', '3.12.0', false],
    ['3.1', '3.11.7', false],
    ['3.11.7', '3.11.7', true],
    ['3.11.7', '3.11.8', false],
    ['3.11.7', '3.11.70', false],
    ['3.x', '3.13.1', true],
    ['3.x', '4.0.0', false],
    ['3.11.x', '3.11.9', true],
    ['3.11.x', '3.12.9', false],
    [' 3.11 ', '3.11.2', true]
  ])('%p against %p is %p', (spec, actual, expected) => {
    expect(versionMatches(spec, actual)).toBe(expected)
  })
})

describe('versionMatches with PEP 440 specifiers', () => {
  it.each([
    ['>=3.10', '3.10.0', true],
    ['>=3.10', '3.13.1', true],
    ['>=3.10', '3.9.18', false],
    ['>=3.10,<3.13', '3.10.0', true],
    ['>=3.10,<3.13', '3.12.9', true],
    ['>=3.10,<3.13', '3.13.0', false],
    ['>=3.10,<3.13', '3.9.20', false],
    ['>= 3.10, < 3.13', '3.11.4', true],
    ['==3.11.*', '3.11.0', true],
    ['==3.11.*', '3.11.7', true],
    ['==3.11.*', '3.12.0', false],
    ['==3.11.*', '3.1.11', false],
    ['==3.*', '3.13.1', true],
    ['!=3.12.*', '3.11.7', true],
    ['!=3.12.*', '3.12.0', false],
    ['!=3.12.*', '3.12.8', false],
    ['!=3.12.*', '3.13.0', true],
    ['>=3.10,!=3.12.*', '3.13.1', true],
    ['>=3.10,!=3.12.*', '3.12.1', false],
    ['~=3.10', '3.10.0', true],
    ['~=3.10', '3.13.5', true],
    ['~=3.10', '3.9.18', false],
    ['~=3.10', '4.0.0', false],
    ['~=3.10.2', '3.10.2', true],
    ['~=3.10.2', '3.10.14', true],
    ['~=3.10.2', '3.10.1', false],
    ['~=3.10.2', '3.11.0', false],
    ['>3.11', '3.11.0', false],
    ['>3.11', '3.11.1', true],
    ['>3.11', '3.12.0', true],
    ['>3.11', '3.10.14', false],
    ['<3.11', '3.10.14', true],
    ['<3.11', '3.11.0', false],
    ['<=3.11.4', '3.11.4', true],
    ['<=3.11.4', '3.11.3', true],
    ['<=3.11.4', '3.11.5', false],
    ['<=3.11.4', '3.12.0', false],
    ['==3.11.7', '3.11.7', true],
    ['==3.11.7', '3.11.8', false],
    ['==3.11', '3.11.0', true],
    ['==3.11', '3.11.7', false],
    ['!=3.11.7', '3.11.7', false],
    ['!=3.11.7', '3.11.6', true],
    ['>=3.10.10', '3.10.9', false],
    ['>=3.10.10', '3.10.10', true]
  ])('%p against %p is %p', (spec, actual, expected) => {
    expect(versionMatches(spec, actual)).toBe(expected)
  })

  it('throws SpecError for a bad spec', () => {
    expect(specError(() => versionMatches('>=3.x', '3.11.7')).message).toBe("'>=3.x' is not a version or a version specifier")
  })
})

describe('compareVersionsDesc', () => {
  it('sorts newest first, comparing parts as numbers', () => {
    expect(['3.9.1', '3.11.2', '3.10.14', '3.11.10'].sort(compareVersionsDesc)).toEqual(['3.11.10', '3.11.2', '3.10.14', '3.9.1'])
  })

  it('gives the sign of the difference, missing parts counting as 0', () => {
    expect(Math.sign(compareVersionsDesc('3.11.10', '3.11.2'))).toBe(-1)
    expect(Math.sign(compareVersionsDesc('3.9.1', '3.10.0'))).toBe(1)
    expect(compareVersionsDesc('3.11.7', '3.11.7')).toBe(0)
    expect(compareVersionsDesc('3.11', '3.11.0')).toBe(0)
  })
})

describe('specFromVersionFile', () => {
  it('takes the first line that is neither empty nor a comment, trimmed', () => {
    expect(specFromVersionFile('.python-version', '# pinned by pyenv\n\n   \n  3.12.4  \n3.11\n', '')).toBe('3.12.4')
  })

  it('reads a single version without a newline', () => {
    expect(specFromVersionFile('.python-version', '3.11', '')).toBe('3.11')
  })

  it('reads CRLF line endings', () => {
    expect(specFromVersionFile('.python-version', '# Windows editor\r\n\r\n3.13\r\n3.12\r\n', '')).toBe('3.13')
  })

  it('accepts the x forms', () => {
    expect(specFromVersionFile('.python-version', '3.x\n', '')).toBe('3.x')
  })

  it.each([
    ['', '.python-version holds no version'],
    ['\n\n  \n', '.python-version holds no version'],
    ['# only a comment\n#3.11\n', '.python-version holds no version']
  ])('refuses a file without a version (%p)', (text, message) => {
    expect(specError(() => specFromVersionFile('.python-version', text, '')).message).toBe(message)
  })

  it('refuses a PyPy version', () => {
    expect(specError(() => specFromVersionFile('.python-version', 'pypy3.10-7.3.12\n', '')).message).toBe(
      ".python-version says 'pypy3.10-7.3.12', which is not a CPython version such as 3.11 or 3.11.9"
    )
  })

  it('refuses a specifier or a named version in .python-version', () => {
    expect(specError(() => specFromVersionFile('versions.txt', '>=3.10\n', '')).message).toBe(
      "versions.txt says '>=3.10', which is not a CPython version such as 3.11 or 3.11.9"
    )
    expect(specError(() => specFromVersionFile('.python-version', '3.11-dev\n', '')).message).toBe(
      ".python-version says '3.11-dev', which is not a CPython version such as 3.11 or 3.11.9"
    )
  })

  it('gives requires-python of a .toml file without spaces, ignoring the text', () => {
    expect(specFromVersionFile('pyproject.toml', '[project]\nrequires-python = ">=3.10, <3.13"\n', '>=3.10, <3.13')).toBe('>=3.10,<3.13')
    expect(specFromVersionFile('pyproject.toml', '3.9\n', '>= 3.11')).toBe('>=3.11')
    expect(specFromVersionFile('PyProject.TOML', '', '~=3.12')).toBe('~=3.12')
  })

  it('refuses a .toml file without requires-python', () => {
    expect(specError(() => specFromVersionFile('pyproject.toml', '[project]\nname = "x"\n', '')).message).toBe(
      'pyproject.toml has no [project] requires-python'
    )
  })

  it('does not read requires-python for a file that is not .toml', () => {
    expect(specFromVersionFile('.python-version', '3.12\n', '>=3.10')).toBe('3.12')
  })
})
