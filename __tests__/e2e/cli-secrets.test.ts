/**
 * A local run (dist/cli/index.js) has no post step: it must print no secret
 * (no `::add-mask::`, which only a runner reads) and remove the secrets folder
 * itself when the run ends, after a success, a failure, SIGINT or SIGTERM
 * (issue 14, defect 2). And the post step says it removed the secrets folder
 * only when there was one (defect 9). No build: each run stops early.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as path from 'node:path'
import { node24, REPO, runAction, runPost, sample, tempDir } from './harness.js'

const clean = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|RUNNER_|STATE_)/.test(k)))
const cliPath = path.join(REPO, 'dist', 'cli', 'index.js')

/** A RUNNER_TEMP whose secrets folder holds what a signing run leaves: a decoded certificate and a password file. */
function runnerTempWithSecrets(): { temp: string; secrets: string } {
  const temp = tempDir('cli-secrets')
  const secrets = path.join(temp, 'build-standalone', 'secrets')
  fs.mkdirSync(secrets, { recursive: true, mode: 0o700 })
  fs.writeFileSync(path.join(secrets, 'authenticode.pfx'), 'certificate')
  fs.writeFileSync(path.join(secrets, 'authenticode.pass'), 'hunter2-password')
  return { temp, secrets }
}

describe('dist/cli/index.js and secrets', () => {
  it('prints no ::add-mask:: and no secret, and removes the secrets folder after a failed run', () => {
    const { temp, secrets } = runnerTempWithSecrets()
    const r = spawnSync(
      node24(),
      [cliPath, '--project-path', 'no-such-project', '--windows-certificate', 'QUFBQQ==', '--windows-certificate-password', 'hunter2-password'],
      { cwd: REPO, env: { ...clean(), RUNNER_TEMP: temp }, encoding: 'utf8', timeout: 60_000 }
    )
    expect(r.status).toBe(1)
    expect(r.stdout).toContain("Input 'project-path'")
    expect(`${r.stdout}${r.stderr}`).not.toContain('::add-mask::')
    expect(`${r.stdout}${r.stderr}`).not.toContain('hunter2-password')
    expect(fs.existsSync(secrets)).toBe(false)
  }, 60_000)

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130]
  ] as const)(
    'removes the secrets folder when stopped with %s',
    async (signal, code) => {
      const { temp, secrets } = runnerTempWithSecrets()
      // A manifest server that never answers keeps the run waiting in the python stage.
      const server = http.createServer(() => undefined)
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/versions-manifest.json`
      const toolCache = tempDir('empty-toolcache')
      try {
        const child = spawn(
          node24(),
          [cliPath, '--project-path', sample('tiny'), '--spec', 'packaging/tiny.spec', '--python-version', '3.99', '--python-versions-manifest', url],
          { cwd: REPO, env: { ...clean(), RUNNER_TEMP: temp, RUNNER_TOOL_CACHE: toolCache }, stdio: ['ignore', 'pipe', 'pipe'] }
        )
        let out = ''
        const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the run did not reach the manifest: ${out}`)), 60_000)
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString()
            if (out.includes('looking it up in')) {
              clearTimeout(timer)
              resolve()
            }
          })
        })
        child.kill(signal)
        expect(await exited).toBe(code)
        expect(fs.existsSync(secrets)).toBe(false)
      } finally {
        server.closeAllConnections()
        server.close()
      }
    },
    90_000
  )

  it('the post step says it removed the secrets folder only when there was one', async () => {
    const run = await runAction({ 'project-path': 'no-such-project' })
    const nothing = await runPost(run)
    expect(nothing.stdout).not.toContain('Removed ')
    const secrets = path.join(run.runnerTemp, 'build-standalone', 'secrets')
    fs.mkdirSync(secrets, { recursive: true })
    fs.writeFileSync(path.join(secrets, 'authenticode.pass'), 'x')
    const something = await runPost(run)
    expect(something.stdout).toContain(`Removed ${secrets}`)
    expect(fs.existsSync(secrets)).toBe(false)
  }, 60_000)
})
