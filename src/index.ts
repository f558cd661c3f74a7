/** The action's main entry. */
import * as core from '@actions/core'
import { describeError } from './errors.js'
import { run } from './main.js'

process.on('uncaughtException', (e) => core.setFailed(describeError(e)))
process.on('unhandledRejection', (e) => core.setFailed(describeError(e)))

await run()
// A cache or artifact request abandoned after its time-out must not keep the step alive.
process.exit(process.exitCode ?? 0)
