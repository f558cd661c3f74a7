/**
 * The harness runs the action on Node 24, as action.yml declares: it must
 * never fall back to whatever Node runs Jest.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { spawnSync } from 'node:child_process'
import { node24, tempDir } from './harness.js'

const saved = process.env.NODE24

afterEach(() => {
  if (saved === undefined) delete process.env.NODE24
  else process.env.NODE24 = saved
})

describe('node24', () => {
  it('is a Node 24 binary', () => {
    expect(spawnSync(node24(), ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v24\./)
  })

  it('fails, naming the fix, when the Node 24 it is given does not exist', () => {
    process.env.NODE24 = path.join(tempDir('node24'), 'no-such-node')
    expect(() => node24()).toThrow(/Node 24 is missing: .*no-such-node does not exist\. Run npm ci on Linux x64/)
  })

  it('fails when the binary it is given is another Node', () => {
    const fake = path.join(tempDir('node24'), 'node')
    fs.writeFileSync(fake, '#!/bin/sh\necho v20.11.0\n', { mode: 0o755 })
    process.env.NODE24 = fake
    expect(() => node24()).toThrow('is Node v20.11.0, not Node 24')
  })
})
