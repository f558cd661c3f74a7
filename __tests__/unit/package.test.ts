import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, it, expect } from '@jest/globals'
import type { Build } from '../../src/freeze/index.js'
import { StageError } from '../../src/errors.js'
import { archiveStem, baseName, checksumsName, checksumsText, planArchives, sha256File } from '../../src/package.js'
import { platformFor } from '../../src/platform.js'

const linux = platformFor('linux', 'x64')
const linuxArm = platformFor('linux', 'arm64')
const windows = platformFor('win32', 'x64')
const mac = platformFor('darwin', 'arm64')

const build = (mode: Build['mode'], name: string, root: string): Build => ({ mode, name, root, executables: [{ name, path: root }] })

describe('baseName', () => {
  it('strips .exe and .app, whatever their case', () => {
    expect(baseName(build('onefile', 'chatty.exe', 'x'))).toBe('chatty')
    expect(baseName(build('onefile', 'CHATTY.EXE', 'x'))).toBe('CHATTY')
    expect(baseName(build('app', 'Chatty.app', 'x'))).toBe('Chatty')
    expect(baseName(build('onedir', 'chatty', 'x'))).toBe('chatty')
    expect(baseName(build('onefile', 'chatty.v2', 'x'))).toBe('chatty.v2')
  })
})

describe('archiveStem', () => {
  it('is name-version-os-arch, with -onedir or -app by mode', () => {
    expect(archiveStem(linux, 'chatty', '0.3.1', 'onefile')).toBe('chatty-0.3.1-linux-x64')
    expect(archiveStem(linuxArm, 'chatty', '0.3.1', 'onedir')).toBe('chatty-0.3.1-linux-arm64-onedir')
    expect(archiveStem(mac, 'Chatty', '1.0', 'app')).toBe('Chatty-1.0-macos-arm64-app')
    expect(archiveStem(platformFor('win32', 'ia32'), 'chatty', '2', 'onefile')).toBe('chatty-2-windows-x86')
  })
})

describe('planArchives', () => {
  it('names tar.gz archives on Linux, with -onedir for a folder', () => {
    const builds = [build('onefile', 'chatty', '/rt/dist/chatty'), build('onedir', 'suite', '/rt/dist/suite')]
    const planned = planArchives(linux, builds, '', '0.3.1', '/out')
    expect(planned).toEqual([
      { build: builds[0], file: 'chatty-0.3.1-linux-x64.tar.gz', path: '/out/chatty-0.3.1-linux-x64.tar.gz', beside: [], sbom: undefined },
      { build: builds[1], file: 'suite-0.3.1-linux-x64-onedir.tar.gz', path: '/out/suite-0.3.1-linux-x64-onedir.tar.gz', beside: [], sbom: undefined }
    ])
  })

  it('names zip archives on Windows without .exe in the name', () => {
    const builds = [build('onefile', 'chatty.exe', 'D:\\dist\\chatty.exe'), build('onedir', 'suite', 'D:\\dist\\suite')]
    const planned = planArchives(windows, builds, '', '0.3.1', 'D:\\out')
    expect(planned.map((a) => [a.file, a.path])).toEqual([
      ['chatty-0.3.1-windows-x64.zip', 'D:\\out\\chatty-0.3.1-windows-x64.zip'],
      ['suite-0.3.1-windows-x64-onedir.zip', 'D:\\out\\suite-0.3.1-windows-x64-onedir.zip']
    ])
  })

  it('names tar.gz archives on macOS, with -app for a bundle and -onedir for its folder', () => {
    const builds = [build('onedir', 'Chatty', '/rt/dist/Chatty'), build('app', 'Chatty.app', '/rt/dist/Chatty.app')]
    const planned = planArchives(mac, builds, '', '1.0.0', '/out')
    expect(planned.map((a) => a.file)).toEqual(['Chatty-1.0.0-macos-arm64-onedir.tar.gz', 'Chatty-1.0.0-macos-arm64-app.tar.gz'])
  })

  it('uses the name input instead of the executable name', () => {
    const builds = [build('onefile', 'chatty_cli', '/rt/dist/chatty_cli'), build('onedir', 'chatty_cli', '/rt/dist/chatty_cli_dir')]
    expect(planArchives(linux, builds, 'chatty', '0.3.1', '/out').map((a) => a.file)).toEqual([
      'chatty-0.3.1-linux-x64.tar.gz',
      'chatty-0.3.1-linux-x64-onedir.tar.gz'
    ])
  })

  it('refuses two builds that share an archive name because of the name input, naming the input', () => {
    const builds = [build('onefile', 'chatty', '/rt/dist/chatty'), build('onefile', 'worker', '/rt/dist/worker')]
    let error: unknown
    try {
      planArchives(linux, builds, 'suite', '1.0', '/out')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(StageError)
    expect((error as StageError).stage).toBe('package')
    expect((error as StageError).message).toBe(
      "the builds chatty and worker would both be archived as suite-1.0-linux-x64.tar.gz. Remove the name input (it gives every build the name 'suite')."
    )
  })

  it('refuses two builds that share an archive name without the name input, pointing at the spec', () => {
    const builds = [build('onefile', 'chatty', '/rt/dist/chatty'), build('onefile', 'chatty.exe', '/rt/dist/chatty.exe')]
    expect(() => planArchives(linux, builds, '', '1.0', '/out')).toThrow(
      'the builds chatty and chatty.exe would both be archived as chatty-1.0-linux-x64.tar.gz. Give the executables different names in the spec.'
    )
  })

  it('plans nothing for no builds', () => {
    expect(planArchives(linux, [], 'x', '1', '/out')).toEqual([])
  })
})

describe('checksumsText', () => {
  it('writes `<sha>  <name>` lines, as sha256sum -c reads them', () => {
    const a = 'a'.repeat(64)
    const b = '0123456789abcdef'.repeat(4)
    expect(
      checksumsText([
        { name: 'chatty-1-linux-x64.tar.gz', sha256: a },
        { name: 'suite-1-linux-x64-onedir.tar.gz', sha256: b }
      ])
    ).toBe(`${a}  chatty-1-linux-x64.tar.gz\n${b}  suite-1-linux-x64-onedir.tar.gz\n`)
  })

  it('is empty for no assets', () => {
    expect(checksumsText([])).toBe('')
  })

  it('names the file per matrix leg, so legs do not collide as artifacts or release assets', () => {
    expect(checksumsName(platformFor('linux', 'x64'), 'chatty-commander', '0.3.1')).toBe('chatty-commander-0.3.1-linux-x64-SHA256SUMS.txt')
    expect(checksumsName(platformFor('win32', 'x64'), 'chatty', '0.3.1')).toBe('chatty-0.3.1-windows-x64-SHA256SUMS.txt')
    expect(checksumsName(platformFor('darwin', 'arm64'), 'chatty', '0.3.1')).toBe('chatty-0.3.1-macos-arm64-SHA256SUMS.txt')
  })
})

describe('sha256File', () => {
  it('hashes a file to the known digest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-sha-'))
    try {
      fs.writeFileSync(path.join(dir, 'abc'), 'abc')
      fs.writeFileSync(path.join(dir, 'empty'), '')
      fs.writeFileSync(path.join(dir, 'big'), Buffer.alloc(1024 * 1024, 'a'))
      expect(await sha256File(path.join(dir, 'abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
      expect(await sha256File(path.join(dir, 'empty'))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
      expect(await sha256File(path.join(dir, 'big'))).toBe('9bc1b2a288b26af7257a36277ae3816a7d4f16e89c1e7e77d0a5c48bad62b360')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('rejects for a missing file', async () => {
    await expect(sha256File(path.join(os.tmpdir(), 'bs-no-such-file-xyz'))).rejects.toThrow('ENOENT')
  })
})
