/**
 * The pip installer's console-script fix, run for real: a venv made with
 * `python -m venv` holds a distribution (written by hand, as pip writes one)
 * whose console script names the venv's interpreter in its shebang; after the
 * relocate command the script names no path, still runs, runs again once the
 * venv is moved, and its RECORD row has the new file's hash and size.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { tempDir } from '../e2e/harness.js'
import { relocateScriptsCommand } from '../../src/install/relocate.js'

const recordHash = (data: Buffer): string => `sha256=${createHash('sha256').update(data).digest('base64url')}`

function makeVenv(root: string): { venv: string; python: string; script: string; record: string } {
  const venv = path.join(root, 'venv')
  const r = spawnSync('python3', ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  const python = path.join(venv, 'bin', 'python')
  const site = spawnSync(python, ['-c', 'import sysconfig;print(sysconfig.get_path("purelib"))'], { encoding: 'utf8' }).stdout.trim()
  fs.mkdirSync(path.join(site, 'hello'))
  fs.writeFileSync(path.join(site, 'hello', '__init__.py'), 'def main():\n    print("hello from", __name__)\n')
  const info = path.join(site, 'hello-1.0.dist-info')
  fs.mkdirSync(info)
  fs.writeFileSync(path.join(info, 'METADATA'), 'Metadata-Version: 2.1\nName: hello\nVersion: 1.0\n')
  const script = path.join(venv, 'bin', 'hello')
  const body = Buffer.from(`#!${python}\n# -*- coding: utf-8 -*-\nimport sys\nfrom hello import main\nif __name__ == "__main__":\n    sys.exit(main())\n`)
  fs.writeFileSync(script, body, { mode: 0o755 })
  const scriptRel = path.relative(site, script).split(path.sep).join('/')
  const record = path.join(info, 'RECORD')
  fs.writeFileSync(
    record,
    [
      `hello/__init__.py,${recordHash(fs.readFileSync(path.join(site, 'hello', '__init__.py')))},50`,
      `${scriptRel},${recordHash(body)},${body.length}`,
      'hello-1.0.dist-info/METADATA,,',
      'hello-1.0.dist-info/RECORD,,',
      ''
    ].join('\n')
  )
  return { venv, python, script, record }
}

describe('relocateScriptsCommand', () => {
  let made: ReturnType<typeof makeVenv>
  let root: string
  let output: string

  beforeAll(() => {
    root = tempDir('relocate')
    made = makeVenv(root)
    const cmd = relocateScriptsCommand(made.python)
    const r = spawnSync(cmd.program, [...cmd.args], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(r.stderr)
    output = r.stdout
  })

  it('rewrites the shebang so that the script names no path', () => {
    expect(output.trim()).toBe('hello')
    const text = fs.readFileSync(made.script, 'utf8')
    expect(text.startsWith('#!/bin/sh\n')).toBe(true)
    expect(text).not.toContain(made.venv)
    expect(text).toContain('from hello import main')
  })

  it('updates the RECORD row of the script to its new hash and size', () => {
    const data = fs.readFileSync(made.script)
    const row = fs
      .readFileSync(made.record, 'utf8')
      .split('\n')
      .find((l) => l.includes('bin/hello,'))
    expect(row?.split(',').slice(1)).toEqual([recordHash(data), String(data.length)])
  })

  it('leaves a script that runs, from where it is and after the venv moves', () => {
    expect(spawnSync(made.script, [], { encoding: 'utf8' }).stdout).toBe('hello from hello\n')
    const moved = path.join(root, 'moved')
    fs.renameSync(made.venv, moved)
    expect(spawnSync(path.join(moved, 'bin', 'hello'), [], { encoding: 'utf8' }).stdout).toBe('hello from hello\n')
  })
})
