/** readConfig over a plain record of inputs, and the InputError a bad record gives, for the input tests. */
import { expect } from '@jest/globals'
import { InputError } from '../src/errors.js'
import type { Config } from '../src/config.js'
import { readConfig, type Environment } from '../src/inputs.js'

export function readInputs(values: Readonly<Record<string, string>>, env: Environment): Config {
  return readConfig((name) => values[name] ?? '', env)
}

/** The InputError that `read` throws; fails the test when it throws nothing (or something else). */
export function inputErrorOf(read: () => unknown, inputs: Readonly<Record<string, string>>): InputError {
  try {
    read()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error(`readConfig accepted ${JSON.stringify(inputs)}`)
}
