import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, it, expect, jest } from '@jest/globals'
import {
  cacheKeys,
  DEPENDENCY_FILES,
  dependencyFiles,
  MAX_KEY_FILE_BYTES,
  KEY_PREFIX,
  pruneBeforeSave,
  pruneState,
  readPruneState,
  restoreTimeoutMs,
  shouldSave,
  STATE,
  type KeyParts
} from '../../src/install/cache.js'
import type { Command } from '../../src/exec.js'
import { installerFor } from '../../src/install/installers.js'
import { LAYOUT } from '../../__fixtures__/install.js'
import { platformFor } from '../../src/platform.js'

const BASE: KeyParts = {
  platform: { os: 'linux', arch: 'x64' },
  pythonVersion: '3.11.9',
  installer: 'uv',
  files: { 'pyproject.toml': '[project]\nname = "demo"\n', 'uv.lock': 'version = 1\n', 'requirements.txt': 'requests==2.32.3\n' },
  settings: ['extras=dev', 'pyinstaller==6.22.3']
}

const keys = (over: Partial<KeyParts> = {}): ReturnType<typeof cacheKeys> => cacheKeys({ ...BASE, ...over })
const hashOf = (key: string): string => key.slice(key.lastIndexOf('-') + 1)

describe('KEY_PREFIX and STATE', () => {
  it('are the fixed names the main and post steps share', () => {
    expect(KEY_PREFIX).toBe('build-standalone-v1')
    expect(STATE).toEqual({ key: 'cache-key', matched: 'cache-matched-key', paths: 'cache-paths', prune: 'cache-prune' })
  })
})

describe('cacheKeys', () => {
  it('is build-standalone-v1-<os>-<arch>-py<version>-<installer>-<32 hex>', () => {
    const k = keys()
    expect(k.primary).toMatch(/^build-standalone-v1-linux-x64-py3\.11\.9-uv-[0-9a-f]{32}$/)
    expect(k.restore).toEqual(['build-standalone-v1-linux-x64-py3.11.9-uv-'])
    expect(k.primary.startsWith(k.restore[0])).toBe(true)
    expect(k.primary.length).toBe(k.restore[0].length + 32)
  })

  it('is stable for the same inputs (a change would invalidate every saved cache)', () => {
    expect(keys().primary).toBe(keys().primary)
    expect(keys().primary).toBe('build-standalone-v1-linux-x64-py3.11.9-uv-a1002a0f4ca95d4f083df47f21858fc2')
  })

  it('does not depend on the order of the files', () => {
    const reversed = Object.fromEntries(Object.entries(BASE.files).reverse())
    expect(Object.keys(reversed)).toEqual(['requirements.txt', 'uv.lock', 'pyproject.toml'])
    expect(keys({ files: reversed }).primary).toBe(keys().primary)
  })

  it("changes with a file's content", () => {
    const changed = keys({ files: { ...BASE.files, 'uv.lock': 'version = 2\n' } })
    expect(changed.primary).not.toBe(keys().primary)
    expect(changed.restore).toEqual(keys().restore)
  })

  it("changes with a file's name", () => {
    const { 'requirements.txt': content, ...rest } = BASE.files
    expect(keys({ files: { ...rest, 'requirements-dev.txt': content } }).primary).not.toBe(keys().primary)
  })

  it('changes when a file is added or removed', () => {
    const withoutLock = Object.fromEntries(Object.entries(BASE.files).filter(([name]) => name !== 'uv.lock'))
    expect(Object.keys(withoutLock)).toEqual(['pyproject.toml', 'requirements.txt'])
    expect(keys({ files: withoutLock }).primary).not.toBe(keys().primary)
    expect(keys({ files: { ...BASE.files, 'setup.cfg': '' } }).primary).not.toBe(keys().primary)
  })

  it('does not mix content across file boundaries', () => {
    expect(keys({ files: { a: 'bc', d: '' } }).primary).not.toBe(keys({ files: { a: 'b', cd: '' } }).primary)
  })

  it('changes with a setting', () => {
    expect(keys({ settings: ['extras=gui', 'pyinstaller==6.22.3'] }).primary).not.toBe(keys().primary)
    expect(keys({ settings: ['extras=dev', 'pyinstaller==6.10.0'] }).primary).not.toBe(keys().primary)
    expect(keys({ settings: ['extras=dev'] }).primary).not.toBe(keys().primary)
    expect(keys({ settings: [] }).primary).not.toBe(keys().primary)
  })

  it.each([
    [{ platform: { os: 'windows', arch: 'x64' } }, 'build-standalone-v1-windows-x64-py3.11.9-uv-'],
    [{ platform: { os: 'macos', arch: 'arm64' } }, 'build-standalone-v1-macos-arm64-py3.11.9-uv-'],
    [{ platform: { os: 'linux', arch: 'arm64' } }, 'build-standalone-v1-linux-arm64-py3.11.9-uv-'],
    [{ pythonVersion: '3.12.4' }, 'build-standalone-v1-linux-x64-py3.12.4-uv-'],
    [{ installer: 'pip' }, 'build-standalone-v1-linux-x64-py3.11.9-pip-']
  ] as [Partial<KeyParts>, string][])('differs per os, arch, Python and installer (%j)', (over, prefix) => {
    const k = keys(over)
    expect(k.restore).toEqual([prefix])
    expect(k.primary).toBe(`${prefix}${hashOf(keys().primary)}`)
    expect(k.primary).not.toBe(keys().primary)
  })
})

describe('dependencyFiles', () => {
  let root: string
  let project: string

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-cache-'))
    project = path.join(root, 'proj')
    const write = (rel: string, text: string): void => {
      const file = path.join(root, rel)
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, text)
    }
    write('proj/pyproject.toml', '[project]\nname = "demo"\n')
    write('proj/uv.lock', 'version = 1\n')
    write('proj/requirements.txt', 'requests\n')
    write('proj/requirements-dev.in', 'pytest\n')
    write('proj/requirements_docs.txt', 'mkdocs\n')
    write('proj/requirements.txt.bak', 'old\n')
    write('proj/dev-requirements.txt', 'ruff\n')
    write('proj/constraints.txt', 'urllib3<3\n')
    write('proj/README.md', '# demo\n')
    write('proj/main.py', 'print("hi")\n')
    write('proj/sub/requirements.txt', 'flask\n')
    write('proj/sub/pyproject.toml', '[project]\nname = "sub"\n')
    write('other/extra.txt', 'numpy\n')
    fs.mkdirSync(path.join(root, 'proj', 'requirements-folder.txt'))
    fs.mkdirSync(path.join(root, 'proj', 'setup.py'))
    write('locks/setup.cfg', '[metadata]\nname = x\n')
    write('locks/setup.py', 'setup()\n')
    write('locks/poetry.lock', 'poetry\n')
    write('locks/pdm.lock', 'pdm\n')
    write('locks/Pipfile.lock', '{}\n')
    write('locks/Pipfile', '[packages]\n')
    write('locks/pylock.toml', 'lock-version = "1.0"\n')
  })

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true })
  })

  it('reads pyproject.toml, uv.lock and requirements*.txt / .in of the project folder only', () => {
    expect(dependencyFiles(project, [])).toEqual({
      'pyproject.toml': '[project]\nname = "demo"\n',
      'uv.lock': 'version = 1\n',
      'requirements.txt': 'requests\n',
      'requirements-dev.in': 'pytest\n',
      'requirements_docs.txt': 'mkdocs\n'
    })
  })

  it('never reads a file outside the workspace, a device, a FIFO or a huge file: each is left out of the key, said in a warning', () => {
    const hostile = path.join(root, 'hostile')
    fs.mkdirSync(hostile)
    fs.writeFileSync(path.join(hostile, 'pyproject.toml'), '[project]\nname = "h"\n')
    fs.symlinkSync('/dev/zero', path.join(hostile, 'requirements-zero.txt'))
    fs.symlinkSync('/proc/self/environ', path.join(hostile, 'uv.lock'))
    fs.symlinkSync(path.join(root, 'other', 'extra.txt'), path.join(hostile, 'requirements-out.txt'))
    execFileSync('mkfifo', [path.join(hostile, 'requirements-fifo.txt')])
    fs.writeFileSync(path.join(hostile, 'pylock.toml'), '')
    fs.truncateSync(path.join(hostile, 'pylock.toml'), MAX_KEY_FILE_BYTES + 1)
    const warnings: string[] = []
    const files = dependencyFiles(hostile, [], hostile, (m) => warnings.push(m))
    expect(files).toEqual({ 'pyproject.toml': '[project]\nname = "h"\n' })
    expect(warnings.sort()).toEqual(
      [
        `${path.join(hostile, 'pylock.toml')} is ${MAX_KEY_FILE_BYTES + 1} bytes, more than the ${MAX_KEY_FILE_BYTES} read: left out of the dependency cache key.`,
        `${path.join(hostile, 'requirements-fifo.txt')} is not a regular file: left out of the dependency cache key.`,
        `${path.join(hostile, 'requirements-out.txt')} leads outside the workspace: left out of the dependency cache key.`,
        `${path.join(hostile, 'requirements-zero.txt')} leads outside the workspace: left out of the dependency cache key.`,
        `${path.join(hostile, 'uv.lock')} leads outside the workspace: left out of the dependency cache key.`
      ].sort()
    )
  })

  it('reads every known lock and setup file', () => {
    expect(DEPENDENCY_FILES).toEqual(['pyproject.toml', 'setup.cfg', 'setup.py', 'uv.lock', 'poetry.lock', 'pdm.lock', 'Pipfile.lock', 'pylock.toml'])
    expect(dependencyFiles(path.join(root, 'locks'), [])).toEqual({
      'setup.cfg': '[metadata]\nname = x\n',
      'setup.py': 'setup()\n',
      'poetry.lock': 'poetry\n',
      'pdm.lock': 'pdm\n',
      'Pipfile.lock': '{}\n',
      'pylock.toml': 'lock-version = "1.0"\n'
    })
  })

  it('adds requirements inputs by their path relative to the project', () => {
    const files = dependencyFiles(project, [path.join(project, 'sub', 'requirements.txt'), path.join(root, 'other', 'extra.txt')], root)
    expect(files).toEqual({
      'pyproject.toml': '[project]\nname = "demo"\n',
      'uv.lock': 'version = 1\n',
      'requirements.txt': 'requests\n',
      'requirements-dev.in': 'pytest\n',
      'requirements_docs.txt': 'mkdocs\n',
      [path.join('sub', 'requirements.txt')]: 'flask\n',
      [path.join('..', 'other', 'extra.txt')]: 'numpy\n'
    })
  })

  it('reads a requirements input in the project folder once, under its own name', () => {
    const files = dependencyFiles(project, [path.join(project, 'requirements.txt')])
    expect(Object.keys(files).filter((k) => k.includes('requirements.txt'))).toEqual(['requirements.txt'])
    expect(files['requirements.txt']).toBe('requests\n')
  })

  it('is empty for a folder that does not exist', () => {
    expect(dependencyFiles(path.join(root, 'missing'), [])).toEqual({})
  })

  it('changes the cache key when a dependency file changes on disk', () => {
    const before = cacheKeys({ ...BASE, files: dependencyFiles(project, []) }).primary
    fs.writeFileSync(path.join(project, 'requirements-dev.in'), 'pytest>=8\n')
    const after = cacheKeys({ ...BASE, files: dependencyFiles(project, []) }).primary
    fs.writeFileSync(path.join(project, 'README.md'), '# changed\n')
    const readmeChanged = cacheKeys({ ...BASE, files: dependencyFiles(project, []) }).primary
    expect(after).not.toBe(before)
    expect(readmeChanged).toBe(after)
  })
})

describe('shouldSave', () => {
  it('is false without a planned key', () => {
    expect(shouldSave('', '')).toBe(false)
    expect(shouldSave('', 'build-standalone-v1-linux-x64-py3.11.9-uv-abc')).toBe(false)
  })

  it('is false when the restore hit the same key', () => {
    expect(shouldSave('build-standalone-v1-linux-x64-py3.11.9-uv-abc', 'build-standalone-v1-linux-x64-py3.11.9-uv-abc')).toBe(false)
  })

  it('is true on a miss or a partial match', () => {
    expect(shouldSave('build-standalone-v1-linux-x64-py3.11.9-uv-abc', '')).toBe(true)
    expect(shouldSave('build-standalone-v1-linux-x64-py3.11.9-uv-abc', 'build-standalone-v1-linux-x64-py3.11.9-uv-def')).toBe(true)
  })
})

describe('restoreTimeoutMs', () => {
  it('is five minutes by default', () => {
    expect(restoreTimeoutMs({})).toBe(300000)
    expect(restoreTimeoutMs({ BUILD_STANDALONE_CACHE_TIMEOUT: undefined })).toBe(300000)
    expect(restoreTimeoutMs({ BUILD_STANDALONE_CACHE_TIMEOUT: '' })).toBe(300000)
  })

  it('reads seconds from BUILD_STANDALONE_CACHE_TIMEOUT', () => {
    expect(restoreTimeoutMs({ BUILD_STANDALONE_CACHE_TIMEOUT: '3' })).toBe(3000)
    expect(restoreTimeoutMs({ BUILD_STANDALONE_CACHE_TIMEOUT: '1.5' })).toBe(1500)
    expect(restoreTimeoutMs({ BUILD_STANDALONE_CACHE_TIMEOUT: ' 10 ' })).toBe(10000)
  })

  it.each([['junk'], ['0'], ['-5'], ['Infinity'], ['3s']])('falls back to the default for %p', (value) => {
    expect(restoreTimeoutMs({ BUILD_STANDALONE_CACHE_TIMEOUT: value })).toBe(300000)
  })

  it('reads process.env when no environment is given', () => {
    const saved = process.env.BUILD_STANDALONE_CACHE_TIMEOUT
    try {
      process.env.BUILD_STANDALONE_CACHE_TIMEOUT = '7'
      expect(restoreTimeoutMs()).toBe(7000)
      delete process.env.BUILD_STANDALONE_CACHE_TIMEOUT
      expect(restoreTimeoutMs()).toBe(300000)
    } finally {
      if (saved === undefined) delete process.env.BUILD_STANDALONE_CACHE_TIMEOUT
      else process.env.BUILD_STANDALONE_CACHE_TIMEOUT = saved
    }
  })
})

describe('pruning before the save', () => {
  const uvPrune = installerFor('uv', platformFor('linux', 'x64')).pruneCache?.(LAYOUT) as Command

  it("is uv's `cache prune --ci` on uv's own cache folder, and nothing for pip", () => {
    expect(uvPrune.program).toBe('/rt/build-standalone/cache/uv-0.13.9/bin/uv')
    expect(uvPrune.args).toEqual(['cache', 'prune', '--ci'])
    expect(uvPrune.env).toMatchObject({ UV_CACHE_DIR: '/rt/build-standalone/cache/uv', VIRTUAL_ENV: undefined })
    expect(installerFor('pip', platformFor('linux', 'x64')).pruneCache).toBeUndefined()
  })

  it('goes through the post step’s state whole, a variable to remove included', () => {
    const back = readPruneState(pruneState(uvPrune)) as Command
    expect(back).toEqual(uvPrune)
    expect(Object.hasOwn(back.env ?? {}, 'VIRTUAL_ENV')).toBe(true)
    expect(back.env?.VIRTUAL_ENV).toBeUndefined()
  })

  it.each(['', 'not json', '{"args":[]}', '{"program":"uv","args":"cache prune"}'])('reads no command from the state %j', (text) => {
    expect(readPruneState(text)).toBeUndefined()
  })

  it('runs the command, and only warns when it fails or cannot start', async () => {
    const ran: Command[] = []
    await pruneBeforeSave(uvPrune, async (cmd) => (ran.push(cmd), { exitCode: 0, stderr: '' }))
    expect(ran).toEqual([uvPrune])
    await pruneBeforeSave(undefined, async (cmd) => (ran.push(cmd), { exitCode: 0, stderr: '' }))
    expect(ran).toHaveLength(1)

    const out: string[] = []
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true))
    try {
      await pruneBeforeSave(uvPrune, async () => ({ exitCode: 2, stderr: 'error: cache is locked' }))
      await pruneBeforeSave(uvPrune, async () => {
        throw new Error('spawn ENOENT')
      })
    } finally {
      write.mockRestore()
    }
    expect(out.join('')).toContain('::warning::Could not prune the dependency cache before saving it (exit code 2); saving it whole.')
    expect(out.join('')).toContain('::warning::Could not prune the dependency cache before saving it (spawn ENOENT); saving it whole.')
  })
})
