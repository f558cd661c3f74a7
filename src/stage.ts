/**
 * One log group per stage, with its duration, and the timings of a run.
 */
import * as core from '@actions/core'
import { InputError, StageError } from './errors.js'

export interface Timing {
  readonly stage: string
  readonly seconds: number
}

export const timings: Timing[] = []

/** Runs `fn` inside a log group named for the stage, and records how long it took. */
export async function stage<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now()
  let outcome = 'failed'
  try {
    const value = await core.group(name, async () => {
      try {
        return await fn()
      } catch (e) {
        if (e instanceof StageError || e instanceof InputError || !(e instanceof Error)) throw e
        throw new StageError(name, e.message)
      }
    })
    outcome = 'done'
    return value
  } finally {
    const seconds = (Date.now() - started) / 1000
    timings.push({ stage: name, seconds })
    core.info(`${name}: ${outcome} in ${seconds.toFixed(1)} s`)
  }
}
