import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, it, expect } from '@jest/globals'
import { currentPlatform, platformFor, venvPython } from '../../src/platform.js'

describe('platformFor', () => {
  it('describes Linux', () => {
    const p = platformFor('linux', 'x64')
    expect({ ...p, path: undefined }).toEqual({
      os: 'linux',
      arch: 'x64',
      exeSuffix: '',
      archiveFormat: 'tar.gz',
      venvBin: 'bin',
      pathDelimiter: ':',
      path: undefined
    })
    expect(p.path).toBe(path.posix)
  })

  it('describes Windows', () => {
    const p = platformFor('win32', 'x64')
    expect({ ...p, path: undefined }).toEqual({
      os: 'windows',
      arch: 'x64',
      exeSuffix: '.exe',
      archiveFormat: 'zip',
      venvBin: 'Scripts',
      pathDelimiter: ';',
      path: undefined
    })
    expect(p.path).toBe(path.win32)
  })

  it('describes macOS', () => {
    const p = platformFor('darwin', 'arm64')
    expect({ ...p, path: undefined }).toEqual({
      os: 'macos',
      arch: 'arm64',
      exeSuffix: '',
      archiveFormat: 'tar.gz',
      venvBin: 'bin',
      pathDelimiter: ':',
      path: undefined
    })
    expect(p.path).toBe(path.posix)
  })

  it('maps the Node architectures x64, arm64 and ia32', () => {
    expect(platformFor('linux', 'x64').arch).toBe('x64')
    expect(platformFor('linux', 'arm64').arch).toBe('arm64')
    expect(platformFor('win32', 'ia32').arch).toBe('x86')
  })

  it('returns a frozen value', () => {
    expect(Object.isFrozen(platformFor('linux', 'x64'))).toBe(true)
  })

  it('refuses an unsupported operating system', () => {
    expect(() => platformFor('freebsd', 'x64')).toThrow("unsupported operating system 'freebsd' (supported: Linux, Windows, macOS)")
    expect(() => platformFor('aix', 'ppc64')).toThrow("unsupported operating system 'aix'")
  })

  it('refuses an unsupported architecture', () => {
    expect(() => platformFor('linux', 'ppc64')).toThrow("unsupported architecture 'ppc64' (supported: x64, arm64, x86)")
    expect(() => platformFor('darwin', 'arm')).toThrow("unsupported architecture 'arm'")
  })

  it("currentPlatform agrees with Node's own view of this machine: path module, separators and executable names", () => {
    // Facts Node and the file system give independently of platform.ts.
    const p = currentPlatform()
    expect(p.path.sep).toBe(path.sep)
    expect(p.pathDelimiter).toBe(path.delimiter)
    expect(p.venvBin).toBe(fs.existsSync(path.join(path.dirname(process.execPath), 'node.exe')) ? 'Scripts' : 'bin')
    expect(p.exeSuffix).toBe(path.extname(process.execPath).toLowerCase() === '.exe' ? '.exe' : '')
    expect({ linux: 'linux', windows: 'win32', macos: 'darwin' }[p.os]).toBe(os.platform())
  })
})

describe('venvPython', () => {
  it('is bin/python on Linux', () => {
    expect(venvPython(platformFor('linux', 'x64'), '/tmp/rt/build-standalone/venv')).toBe('/tmp/rt/build-standalone/venv/bin/python')
  })

  it('is Scripts\\python.exe on Windows', () => {
    expect(venvPython(platformFor('win32', 'x64'), 'D:\\a\\_temp\\build-standalone\\venv')).toBe('D:\\a\\_temp\\build-standalone\\venv\\Scripts\\python.exe')
  })

  it('is bin/python on macOS', () => {
    expect(venvPython(platformFor('darwin', 'arm64'), '/Users/runner/work/_temp/venv')).toBe('/Users/runner/work/_temp/venv/bin/python')
  })
})
