// Stages the npm package of the command line in a folder: node scripts/npm-package.mjs <dir> [repository URL]
// The package holds the self-contained bundle dist/cli/ (ncc: no dependencies at run time), a bin entry and the
// README, so `npx build-standalone --project-path .` runs the action's pipeline on a machine. The repository's own
// package.json stays private (it holds the development scripts and the action's dependencies, all bundled).
// NPM_PACKAGE_NAME overrides the name (e.g. a scope: @your-org/build-standalone).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const [out = 'npm-package', repository = process.env.GITHUB_REPOSITORY ? `https://github.com/${process.env.GITHUB_REPOSITORY}` : ''] = process.argv.slice(2)
const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, 'bin'), { recursive: true })
cpSync(join(root, 'dist', 'cli'), join(out, 'dist', 'cli'), { recursive: true })
for (const f of ['README.md', 'CHANGELOG.md']) cpSync(join(root, f), join(out, f))
writeFileSync(join(out, 'bin', 'build-standalone.mjs'), "#!/usr/bin/env node\nimport '../dist/cli/index.js'\n", { mode: 0o755 })
const pkg = {
  name: process.env.NPM_PACKAGE_NAME || own.name,
  version: own.version,
  description:
    'Build a Python project into standalone executables (PyInstaller or Nuitka), smoke-test and package them: the build-standalone GitHub Action on your machine',
  type: 'module',
  license: own.license,
  engines: own.engines,
  bin: { 'build-standalone': 'bin/build-standalone.mjs' },
  files: ['bin/', 'dist/cli/', 'CHANGELOG.md'],
  keywords: ['pyinstaller', 'nuitka', 'python', 'standalone', 'executable', 'github-action'],
  ...(repository ? { repository: { type: 'git', url: `git+${repository.replace(/\/$/, '')}.git` } } : {})
}
writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
console.log(`Staged ${pkg.name}@${pkg.version} in ${out}`)
