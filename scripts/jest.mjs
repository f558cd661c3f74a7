/**
 * Runs Jest on the projects named by the first argument (comma-separated),
 * with the arguments npm passes after it put first: `npm run test:long --
 * __tests__/long/act.test.ts -t outputs` runs that file's matching tests.
 * Jest's --selectProjects takes every word that follows it as a project name,
 * so a file named after it would silently run every test of the projects.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const [projects = '', ...rest] = process.argv.slice(2)
const jest = fileURLToPath(new URL('../node_modules/jest/bin/jest.js', import.meta.url))
const names = projects.split(',').filter(Boolean)
if (!names.length) {
  console.error('usage: node scripts/jest.mjs <project>[,<project>...] [jest arguments]')
  process.exit(2)
}
const r = spawnSync(process.execPath, ['--experimental-vm-modules', jest, ...rest, '--selectProjects', ...names], { stdio: 'inherit' })
if (r.error) {
  console.error(`could not start Jest: ${r.error.message}`)
  process.exit(1)
}
process.exit(r.status ?? (r.signal ? 128 + 15 : 1))
