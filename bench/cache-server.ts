/** nektos/act's cache server (tools/act-servers) on 127.0.0.1, the dependency cache the action saves to and restores from. */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { check, killGroup, REPO, run, RunFailure, running } from './processes.js'

export interface CacheServer {
  readonly url: string
  stop(): void
}

/** The act-servers binary, built with `go build` on first use. */
export async function actServersBinary(): Promise<string> {
  const bin = path.join(REPO, 'node_modules', '.cache', 'act-servers', 'act-servers')
  if (!fs.existsSync(bin)) {
    console.log('Building tools/act-servers (go build)…')
    check('go build of tools/act-servers', await run('go', ['build', '-o', bin, '.'], { cwd: path.join(REPO, 'tools', 'act-servers') }))
  }
  return bin
}

/** Starts a cache server keeping its entries in `dir`; resolves with its URL once it says READY. */
export async function startCacheServer(bin: string, dir: string): Promise<CacheServer> {
  fs.mkdirSync(dir, { recursive: true })
  const child = spawn(bin, ['-serve', 'cache', '-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  running.add(child)
  let log = ''
  child.stderr.on('data', (c: Buffer) => (log += c))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new RunFailure('act cache server', 'did not start within 20 s', log)), 20_000)
    child.stdout.on('data', (c: Buffer) => {
      out += c
      const m = /READY (\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.on('error', (e) => reject(new RunFailure('act cache server', e.message, log)))
    child.on('exit', (code) => reject(new RunFailure('act cache server', `exited with ${code}`, log)))
  })
  return {
    url,
    stop() {
      killGroup(child)
      running.delete(child)
    }
  }
}
