/** The entry of the release/ action (bundled to dist/collect/index.js). */
import * as core from '@actions/core'
import { describeError } from './errors.js'
import { main } from './collect/main.js'

process.on('uncaughtException', (e) => core.setFailed(describeError(e)))
process.on('unhandledRejection', (e) => core.setFailed(describeError(e)))

await main()
process.exit(process.exitCode ?? 0)
