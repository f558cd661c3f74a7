import { runAction, sample, tempDir } from './__tests__/e2e/harness.js'
import { crossEnv, startIndexServer, wine10Programs } from './__tests__/windows/cross.js'
import * as path from 'node:path'
const which = process.argv[2] ?? 'host'
const installer = process.argv[3] ?? 'pip'
const server = await startIndexServer()
const root = tempDir('manual')
const toolCache = path.join(root, 'toolcache')
const env = { ...crossEnv(toolCache, server.version), ...(which === 'trixie' ? wine10Programs() : {}) }
const t0 = Date.now()
const run = await runAction(
  { 'project-path': sample(process.argv[4] === "chatty" ? "chatty" : "tiny"), spec: process.argv[4] === "chatty" ? "packaging/chatty_cli.spec" : "packaging/tiny.spec", "smoke-test": process.argv[4] === "chatty" ? "--help\ngui --help\nlist" : "--help", target: 'windows-x64', installer, 'python-version': '3.11', 'python-versions-manifest': server.url, cache: 'false' },
  { env, root, timeoutMs: 1_200_000 }
)
console.log(run.stdout.slice(-15000))
console.log(run.stderr.slice(-3000))
console.log('code', run.code, 'secs', (Date.now() - t0) / 1000, 'downloads', server.downloads(), 'root', root)
console.log(run.summary)
await server.close()
