import { describe, it, expect } from '@jest/globals'
import { describeError, InputError, StageError } from '../../src/errors.js'

describe('InputError', () => {
  it('names the input, the problem and the fix', () => {
    const e = new InputError('spec', "'x' is not a .spec file.", 'Give the path of the .spec file.')
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('InputError')
    expect(e.input).toBe('spec')
    expect(e.message).toBe("Input 'spec': 'x' is not a .spec file. Give the path of the .spec file.")
  })

  it('has no trailing space when the fix is empty', () => {
    expect(new InputError('extras', 'bad.', '').message).toBe("Input 'extras': bad.")
  })
})

describe('StageError', () => {
  it('keeps the stage and the message', () => {
    const e = new StageError('build', 'no executable')
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('StageError')
    expect(e.stage).toBe('build')
    expect(e.message).toBe('no executable')
  })
})

describe('describeError', () => {
  it('shows an InputError as its message', () => {
    expect(describeError(new InputError('name', "'a b' is bad.", 'Use letters.'))).toBe("Input 'name': 'a b' is bad. Use letters.")
  })

  it('prefixes a StageError with its stage', () => {
    expect(describeError(new StageError('smoke', '2 of 4 smoke tests failed'))).toBe('smoke failed: 2 of 4 smoke tests failed')
  })

  it('marks any other Error as unexpected', () => {
    expect(describeError(new TypeError('x is undefined'))).toBe('Unexpected error: x is undefined')
  })

  it('marks a thrown non-Error as unexpected', () => {
    expect(describeError('boom')).toBe('Unexpected error: boom')
    expect(describeError(42)).toBe('Unexpected error: 42')
    expect(describeError(undefined)).toBe('Unexpected error: undefined')
  })
})
