/**
 * Long: entry points built side by side (one PyInstaller process each)
 * against the spec with all of them in one process, file by file and module by
 * module; and two entry points whose hooks bring different files under one
 * name, which fall back to one process. (The side-by-side run's log and
 * summary: __tests__/e2e/generated.test.ts.)
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as path from 'node:path'
import { expectExit, REPO, runAction, runBuilt, sample, tempDir, type ActionRun } from '../e2e/harness.js'

const BUILD_TIMEOUT = 900_000
const chatty = sample('chatty')

describe('examples/chatty’s three entry points side by side', () => {
  let run: ActionRun
  beforeAll(async () => {
    run = await runAction({ 'project-path': chatty, 'smoke-test': '--help', upload: 'never' })
    expectExit(run, 0)
  }, BUILD_TIMEOUT)

  it(
    'ships executables that hold what one PyInstaller process makes of the spec with every entry point',
    () => {
      // The serial spec (written beside the parts', for a build in one process) run as PyInstaller runs it for the action.
      const work = path.join(run.runnerTemp, 'build-standalone')
      const python = path.join(work, 'venv', 'bin', 'python')
      const serial = tempDir('serial')
      const epoch = /^SOURCE_DATE_EPOCH=(\d+) /m.exec(run.stdout)?.[1] ?? ''
      const env = {
        ...process.env,
        PYTHONHASHSEED: '0',
        SOURCE_DATE_EPOCH: epoch,
        PYINSTALLER_ZLIB_COMPRESSION_LEVEL: '6',
        PYINSTALLER_CONFIG_DIR: path.join(serial, 'config')
      }
      const spec = path.join(work, 'spec', 'build-standalone.spec')
      const args = ['-m', 'PyInstaller', '--noconfirm', '--distpath', path.join(serial, 'dist'), '--workpath', path.join(serial, 'work'), spec]
      const built = spawnSync(python, args, { cwd: path.join(REPO, chatty), env, encoding: 'utf8', timeout: 600_000 })
      expect(built.status).toBe(0)
      const compare = (a: string, b: string): { differences: string[]; encodings: string[]; files: number } => {
        const r = spawnSync(python, [path.join(REPO, '__tests__', 'fixtures', 'compare-builds.py'), a, b, 'THIRD-PARTY-NOTICES.txt'], { encoding: 'utf8' })
        expect(r.stderr).toBe('')
        return JSON.parse(r.stdout) as { differences: string[]; encodings: string[]; files: number }
      }
      for (const name of ['chatty', 'chatty-web', 'chatty-gui'])
        expect(compare(path.join(serial, 'dist', name), path.join(work, 'dist', name)).differences).toEqual([])
      const folder = compare(path.join(serial, 'dist', 'chatty-commander.onedir'), path.join(work, 'onedir', 'chatty-commander'))
      expect(folder.differences).toEqual([])
      expect(folder.files).toBeGreaterThan(100)
    },
    BUILD_TIMEOUT
  )
})

describe('two entry points whose hooks bring different files under one name (__tests__/fixtures/clash)', () => {
  it(
    'says so and builds them in one process: each one-file program has its own file, the shared folder the first one’s',
    async () => {
      const run = await runAction({ 'project-path': sample('clash'), upload: 'never' })
      expectExit(run, 0)
      expect(run.stdout).toContain(
        '::warning::clash-a and clash-b bring different files named _internal/clash_data/same.txt into the shared one-folder build clash-app, so it cannot be assembled from separate processes. Building every entry point in one PyInstaller process instead'
      )
      expect(run.stdout.match(/^\[clash-[ab]\] \d+ INFO: Reusing cached module dependency graph\.\.\.$/gm)).toHaveLength(2)
      expect(run.stdout.match(/ -m PyInstaller --noconfirm /g)).toHaveLength(1)
      expect(run.stdout).toMatch(/-m PyInstaller --noconfirm .*spec\/build-standalone\.spec$/m)
      expect(run.summary).not.toContain('### Build per entry point')
      const exe = (name: string, mode: string): string =>
        (JSON.parse(run.outputs.executables) as { name: string; path: string; mode: string }[]).find((e) => e.name === name && e.mode === mode)?.path ?? ''
      const cwd = tempDir('clash')
      expect(runBuilt(exe('clash-a', 'onefile'), [], cwd).stdout).toBe('clash-a reads: from a\n')
      expect(runBuilt(exe('clash-b', 'onefile'), [], cwd).stdout).toBe('clash-b reads: from b\n')
      expect(runBuilt(exe('clash-b', 'onedir'), [], cwd).stdout).toBe('clash-b reads: from a\n')
    },
    BUILD_TIMEOUT
  )
})
