// Fails when dist/ differs from a fresh bundle of src/ (CI runs this).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]))
const scratch = mkdtempSync(join(tmpdir(), 'check-dist-'))
try {
  execFileSync(process.execPath, ['scripts/bundle.mjs', scratch], { stdio: 'inherit' })
  const fresh = files(join(scratch, 'dist'))
    .map((f) => relative(scratch, f))
    .sort()
  const committed = files('dist').sort()
  const differ = [...new Set([...fresh, ...committed])].filter((f) => {
    try {
      return !readFileSync(join(scratch, f)).equals(readFileSync(f))
    } catch {
      return true
    }
  })
  if (differ.length) {
    console.error(`dist/ differs from a fresh bundle of src/ in: ${differ.join(', ')}\nRun \`npm run bundle\` and commit dist/.`)
    process.exit(1)
  }
  console.log(`dist/ matches a fresh bundle (${fresh.length} files).`)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
