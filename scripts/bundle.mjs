// Bundles the action's entries with ncc: dist/index.js (main), dist/post/index.js (post), dist/cli/index.js (local builds), dist/collect/index.js (the release/ action: leg reports and the release job).
import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'

const entries = [
  ['src/index.ts', 'dist'],
  ['src/post.ts', 'dist/post'],
  ['src/cli.ts', 'dist/cli'],
  ['src/collect.ts', 'dist/collect']
]
const ncc = 'node_modules/@vercel/ncc/dist/ncc/cli.js'
const out = process.argv[2] ?? ''
rmSync(out ? `${out}/dist` : 'dist', { recursive: true, force: true })
for (const [entry, dir] of entries) {
  if (!existsSync(entry)) continue
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', out ? `${out}/${dir}` : dir, '--license', 'licenses.txt', '-q'], { stdio: 'inherit' })
}
