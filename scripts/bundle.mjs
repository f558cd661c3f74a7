// Bundles the action's entries with ncc: dist/index.js (main), dist/post/index.js (post), dist/cli/index.js (local builds), dist/collect/index.js (the release/ action: leg reports and the release job).
// The four ncc runs go side by side, each into a folder of its own, and are then copied into place: ncc deletes
// every *.js below its output folder before writing, so the run for dist/ must not share a folder with the runs
// for dist/post and the others while they write. On 2 cores this takes about 35 s instead of 50 s, and the
// output is the same byte for byte.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const entries = [
  ['src/index.ts', 'dist'],
  ['src/post.ts', 'dist/post'],
  ['src/cli.ts', 'dist/cli'],
  ['src/collect.ts', 'dist/collect']
].filter(([entry]) => existsSync(entry))
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js'
const out = process.argv[2] ?? ''
const stage = mkdtempSync(join(tmpdir(), 'bundle-'))

/** One ncc run into `dir`; resolves with its exit code. */
const build = (entry, dir) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [ncc, 'build', entry, '-o', dir, '--license', 'licenses.txt', '-q'], { stdio: 'inherit' })
    child.on('error', (e) => (console.error(`ncc ${entry}: ${e.message}`), resolve(1)))
    child.on('close', (code) => resolve(code ?? 1))
  })

try {
  const codes = await Promise.all(entries.map(([entry], i) => build(entry, join(stage, String(i)))))
  const failed = entries.filter((_, i) => codes[i] !== 0).map(([entry]) => entry)
  if (failed.length) {
    console.error(`ncc could not bundle ${failed.join(', ')}: the errors are above.`)
    process.exitCode = 1
  } else {
    rmSync(out ? join(out, 'dist') : 'dist', { recursive: true, force: true })
    entries.forEach(([, dir], i) => cpSync(join(stage, String(i)), out ? join(out, dir) : dir, { recursive: true }))
  }
} finally {
  rmSync(stage, { recursive: true, force: true })
}
