import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from '@jest/globals'
import { partSpecName, planParts, processCount, runPool, sideBySide, WARMUP_SCRIPT, WARMUP_SPEC, type PartsPlan } from '../../src/freeze/parallel.js'
import { driverEvent, FORK_DRIVER_SCRIPT, type DriverEvent } from '../../src/freeze/fork-driver.js'
import { folderClash, mergeFolders, sameEntry } from '../../src/freeze/merge.js'
import type { SpecInput, SpecPlan } from '../../src/freeze/spec.js'
import { NO_BUILDER_ARGS, type EntryPoint } from '../../src/config.js'
import { platformFor, type Platform } from '../../src/platform.js'

const linux = platformFor('linux', 'x64')
const windows = platformFor('win32', 'x64')
const mac = platformFor('darwin', 'arm64')

const entry = (name: string, module: string, windowed = false): EntryPoint => ({
  name,
  target: { kind: 'function', module, attr: 'main' },
  windowed,
  source: `[project.scripts] ${name} in pyproject.toml`
})
const ENTRIES = [entry('chatty', 'chatty.cli'), entry('chatty-web', 'chatty.web'), entry('chatty-gui', 'chatty.gui', true)]

function input(platform: Platform, over: Partial<SpecInput> = {}): SpecInput {
  const root = platform.os === 'windows' ? 'D:\\a\\proj' : '/ws/proj'
  return {
    entries: ENTRIES,
    projectDir: root,
    onefile: true,
    onedir: true,
    collectName: 'chatty-commander',
    icon: '',
    hiddenImports: ['uvicorn.logging'],
    collect: [{ kind: 'data', package: 'chatty' }],
    datas: [{ source: platform.path.join(root, 'data'), dest: 'data' }],
    excludes: ['tkinter'],
    upx: false,
    strip: false,
    facts: { version: '0.3.1', productName: 'chatty-commander', company: 'Ada', description: 'Chat' },
    bundleIdPrefix: 'org.chatty-commander',
    hooksDirs: [],
    runtimeHooks: [],
    options: NO_BUILDER_ARGS.spec,
    ...over
  }
}

function paths(platform: Platform): { specDir: string; distDir: string; onedirDir: string; partsDir: string } {
  const at = (name: string): string => platform.path.join(platform.os === 'windows' ? 'D:\\rt\\bs' : '/rt/bs', name)
  return { specDir: at('spec'), distDir: at('dist'), onedirDir: at('onedir'), partsDir: at('parts') }
}

const specText = (p: SpecPlan): string => p.files.find((f) => f.path === p.specPath)?.content ?? ''
/** A spec's lines with the Analysis index taken out (a_0 in a part is a_2 in the serial spec). */
const unindexed = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.replace(/\b(a|pyz|onefile|onedir|app)_\d+\b/g, '$1_N'))
/** The lines of one entry point's block in a spec: its Analysis, PYZ, EXEs (and BUNDLE). */
const entryBlock = (text: string, name: string): string[] => {
  const blocks = text.split('\n\n')
  const block = blocks.find((b) => b.startsWith(`# ${name}: `))
  if (!block) throw new Error(`no block for ${name}`)
  return unindexed(block)
}

describe.each([
  ['Linux', linux],
  ['Windows', windows],
  ['macOS', mac]
])('planParts on %s', (_, platform) => {
  const plan: PartsPlan = planParts(platform, input(platform), paths(platform))

  it('gives each entry point a spec of its own, beside the serial spec', () => {
    expect(plan.parts.map((p) => p.name)).toEqual(['chatty', 'chatty-web', 'chatty-gui'])
    for (const part of plan.parts) {
      expect(part.plan.specPath).toBe(platform.path.join(paths(platform).specDir, partSpecName(part.name)))
      expect(specText(part.plan).match(/= Analysis\(/g)).toHaveLength(1)
    }
    expect(new Set(plan.parts.map((p) => p.plan.specPath)).size).toBe(3)
    expect(plan.parts.map((p) => p.plan.specPath)).not.toContain(plan.serial.specPath)
  })

  it('runs each part in folders of its own, under the parts folder', () => {
    const folders = plan.parts.flatMap((p) => [p.distDir, p.workPath])
    expect(new Set(folders).size).toBe(folders.length)
    for (const f of folders) expect(f.startsWith(paths(platform).partsDir + platform.path.sep)).toBe(true)
  })

  it('plans, for each entry point, the very Analysis and EXEs of the serial spec, with the same shared settings', () => {
    const serial = specText(plan.serial)
    const preamble = (text: string): string => text.split('\n\n# ')[0]
    for (const part of plan.parts) {
      const text = specText(part.plan)
      expect(preamble(text)).toBe(preamble(serial))
      expect(entryBlock(text, part.name)).toEqual(entryBlock(serial, part.name))
    }
  })

  it('writes every file once: the wrappers and version files the parts share, each part spec and the serial spec', () => {
    const written = plan.files.map((f) => f.path)
    expect(new Set(written).size).toBe(written.length)
    for (const p of [plan.serial, ...plan.parts.map((x) => x.plan)]) for (const f of p.files) expect(written).toContain(f.path)
  })

  it('places every build the serial spec makes: each executable or bundle moved from one part, the shared folder merged from every part in it', () => {
    for (const b of plan.builds) {
      const into = plan.placements.filter((pl) => pl.to === b.root)
      if (b.mode === 'onedir') {
        expect(into.map((pl) => pl.kind)).toEqual(b.executables.map(() => 'merge'))
        expect(into).toHaveLength(b.executables.length)
      } else expect(into.map((pl) => pl.kind)).toEqual(['move'])
    }
    expect(new Set(plan.placements.map((pl) => pl.from)).size).toBe(plan.placements.length)
    expect(plan.builds).toEqual(plan.serial.builds)
  })

  it('plans specs that are valid Python', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-parts-'))
    try {
      const files = plan.parts.map((p, i) => {
        const file = path.join(dir, `${i}.py`)
        fs.writeFileSync(file, specText(p.plan))
        return file
      })
      const r = spawnSync('python3', ['-c', 'import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, encoding="utf-8").read(), f)', ...files], {
        encoding: 'utf8'
      })
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('planParts, macOS windowed one-folder builds', () => {
  it('moves the .app bundle of a windowed entry point and leaves it out of the shared folder', () => {
    const plan = planParts(mac, input(mac, { onefile: false }), paths(mac))
    const app = plan.builds.find((b) => b.mode === 'app')
    expect(app?.name).toBe('chatty-gui.app')
    expect(plan.placements.filter((pl) => pl.to === app?.root).map((pl) => pl.kind)).toEqual(['move'])
    const folder = plan.builds.find((b) => b.mode === 'onedir')
    expect(folder?.executables.map((e) => e.name)).toEqual(['chatty', 'chatty-web'])
    expect(plan.placements.filter((pl) => pl.to === folder?.root)).toHaveLength(2)
  })
})

describe('sideBySide', () => {
  it('builds several entry points side by side, one alone, and a Wine target’s in one process', () => {
    expect(sideBySide(3, undefined)).toBe(true)
    expect(sideBySide(2, undefined)).toBe(true)
    expect(sideBySide(1, undefined)).toBe(false)
    expect(sideBySide(3, 'wine')).toBe(false)
  })
})

describe('processCount', () => {
  it('is the number of cores, at most the number of entry points, at least one', () => {
    expect(processCount(2, 3)).toBe(2)
    expect(processCount(4, 3)).toBe(3)
    expect(processCount(1, 3)).toBe(1)
    expect(processCount(0, 3)).toBe(1)
    expect(processCount(Number.NaN, 2)).toBe(1)
  })
})

describe('runPool', () => {
  const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

  it('runs at most `size` at once, never two in one lane, in the items’ order, and returns the results in order', async () => {
    let active = 0
    let most = 0
    const lanes = new Set<number>()
    const started: number[] = []
    const results = await runPool([30, 10, 20, 5, 15], 2, async (ms, slot) => {
      expect(lanes.has(slot)).toBe(false)
      lanes.add(slot)
      started.push(ms)
      most = Math.max(most, ++active)
      await tick(ms)
      active--
      lanes.delete(slot)
      return ms * 2
    })
    expect(most).toBe(2)
    expect(started).toEqual([30, 10, 20, 5, 15])
    expect(results).toEqual([60, 20, 40, 10, 30])
  })

  it('starts nothing new after a failure, lets the running ones finish, and throws the first failure', async () => {
    const finished: string[] = []
    const run = runPool(['slow', 'bad', 'later'], 2, async (item) => {
      await tick(item === 'slow' ? 40 : 5)
      if (item === 'bad') throw new Error('bad failed')
      finished.push(item)
      return item
    })
    await expect(run).rejects.toThrow('bad failed')
    expect(finished).toEqual(['slow'])
  })
})

describe('merging one-folder parts', () => {
  const roots: string[] = []
  afterAll(() => {
    for (const r of roots) fs.rmSync(r, { recursive: true, force: true })
  })
  const tmp = (): string => {
    const r = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-merge-'))
    roots.push(r)
    return r
  }
  const write = (file: string, content: string, mode = 0o644): void => {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, content)
    fs.chmodSync(file, mode)
  }
  const listing = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()

  it('keeps the files both parts hold once, adds the others, and leaves the part empty of what it moved', () => {
    const root = tmp()
    write(path.join(root, 'a', 'chatty'), 'console program', 0o755)
    write(path.join(root, 'a', '_internal', 'libpython3.11.so.1.0'), 'runtime')
    write(path.join(root, 'a', '_internal', 'base_library.zip'), 'zip')
    write(path.join(root, 'b', 'chatty-web'), 'web program', 0o755)
    write(path.join(root, 'b', '_internal', 'libpython3.11.so.1.0'), 'runtime')
    write(path.join(root, 'b', '_internal', 'uvicorn', 'x.so'), 'ext')
    fs.symlinkSync('libpython3.11.so.1.0', path.join(root, 'a', '_internal', 'libpython.so'))
    fs.symlinkSync('libpython3.11.so.1.0', path.join(root, 'b', '_internal', 'libpython.so'))
    expect(mergeFolders(path.join(root, 'b'), path.join(root, 'a'))).toBeUndefined()
    expect(listing(path.join(root, 'a'))).toEqual([
      '_internal',
      '_internal/base_library.zip',
      '_internal/libpython.so',
      '_internal/libpython3.11.so.1.0',
      '_internal/uvicorn',
      '_internal/uvicorn/x.so',
      'chatty',
      'chatty-web'
    ])
    expect(fs.statSync(path.join(root, 'a', 'chatty-web')).mode & 0o777).toBe(0o755)
  })

  it('refuses two different files under one name, names the first, and moves nothing', () => {
    const root = tmp()
    write(path.join(root, 'a', '_internal', 'clash', 'same.txt'), 'from a')
    write(path.join(root, 'b', '_internal', 'clash', 'same.txt'), 'from b')
    write(path.join(root, 'b', '_internal', 'new.txt'), 'new')
    expect(mergeFolders(path.join(root, 'b'), path.join(root, 'a'))).toBe('_internal/clash/same.txt')
    expect(fs.existsSync(path.join(root, 'a', '_internal', 'new.txt'))).toBe(false)
    expect(fs.readFileSync(path.join(root, 'a', '_internal', 'clash', 'same.txt'), 'utf8')).toBe('from a')
  })

  it('tells apart files of the same bytes whose exec bits differ, links to other targets, and a file against a folder', () => {
    const root = tmp()
    write(path.join(root, 'a', 'tool'), 'x', 0o755)
    write(path.join(root, 'b', 'tool'), 'x', 0o644)
    expect(sameEntry(path.join(root, 'a', 'tool'), path.join(root, 'b', 'tool'))).toBe(false)
    fs.symlinkSync('one', path.join(root, 'a', 'link'))
    fs.symlinkSync('two', path.join(root, 'b', 'link'))
    expect(sameEntry(path.join(root, 'a', 'link'), path.join(root, 'b', 'link'))).toBe(false)
    write(path.join(root, 'a', 'thing', 'inside'), 'x')
    write(path.join(root, 'b', 'thing'), 'x')
    expect(folderClash(path.join(root, 'b'), path.join(root, 'a'))).toBe('link')
    fs.unlinkSync(path.join(root, 'b', 'link'))
    fs.unlinkSync(path.join(root, 'b', 'tool'))
    expect(fs.readdirSync(path.join(root, 'b'))).toEqual(['thing'])
    expect(folderClash(path.join(root, 'b'), path.join(root, 'a'))).toBe('thing')
  })
})

describe('planWarmup', () => {
  it('analyses an empty script with the parts’ excludes, and makes nothing else', () => {
    const plan = planParts(linux, input(linux), paths(linux))
    const text = specText(plan.warmup.plan)
    expect(text.match(/= Analysis\(/g)).toHaveLength(1)
    expect(text).not.toMatch(/EXE\(|COLLECT\(|BUNDLE\(/)
    expect(text).toContain(`excludes = ["tkinter"]`)
    expect(text).toContain('datas = []')
    expect(text).toContain('hiddenimports = []')
    const script = plan.warmup.plan.files.find((f) => f.path.endsWith(WARMUP_SCRIPT))
    expect(script?.content).toMatch(/^#[^\n]*\n$/)
    expect(text).toContain(`Analysis(["${script?.path}"]`)
    expect(plan.warmup.plan.specPath.endsWith(WARMUP_SPEC)).toBe(true)
    expect(plan.files.map((f) => f.path)).not.toContain(plan.warmup.plan.specPath)
  })
})

describe('the fork driver, with a stand-in for PyInstaller.__main__.run', () => {
  // The stand-in prints what it was asked (and, through a subprocess, on file descriptor 1), waits, and exits with
  // the code its spec's name asks for; it also records how many of it run at once, in files.
  const fake = `
import os, subprocess, sys, time
def run(args):
    spec = args[-1]
    name = os.path.basename(spec)
    state = os.environ['FAKE_STATE']
    open(os.path.join(state, 'running-' + name), 'w').close()
    print('running ' + name + ' with ' + os.environ.get('PYINSTALLER_CONFIG_DIR', '(no config dir)'), flush=True)
    subprocess.run([sys.executable, '-c', 'print("from a subprocess")'])
    running = len([f for f in os.listdir(state) if f.startswith('running-')])
    with open(os.path.join(state, 'most'), 'a') as f:
        f.write('%d\\n' % running)
    time.sleep(0 if 'fail' in name else 1.0 if 'slow' in name else 0.3)
    os.remove(os.path.join(state, 'running-' + name))
    sys.stderr.write('partial line without a newline')
    if 'fail' in name:
        raise SystemExit(3)
`
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-driver-'))
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
  fs.mkdirSync(path.join(root, 'PyInstaller'))
  fs.writeFileSync(path.join(root, 'PyInstaller', '__init__.py'), '')
  fs.writeFileSync(path.join(root, 'PyInstaller', '__main__.py'), fake)
  fs.writeFileSync(path.join(root, 'driver.py'), FORK_DRIVER_SCRIPT)
  const drive = (parts: string[], lanes: number) => {
    const state = fs.mkdtempSync(path.join(root, 'state-'))
    const request = {
      configDirs: Array.from({ length: lanes }, (_, i) => `/cfg/${i + 1}`),
      warmup: ['warm.spec'],
      parts: parts.map((name) => ({ name, args: ['--noconfirm', `${name}.spec`] }))
    }
    const file = path.join(state, 'request.json')
    fs.writeFileSync(file, JSON.stringify(request))
    const r = spawnSync('python3', [path.join(root, 'driver.py'), file], {
      env: { ...process.env, PYTHONPATH: root, FAKE_STATE: state },
      encoding: 'utf8',
      timeout: 60_000
    })
    const most = Math.max(...fs.readFileSync(path.join(state, 'most'), 'utf8').trim().split('\n').map(Number))
    const events = r.stdout
      .split('\n')
      .map(driverEvent)
      .filter((e): e is DriverEvent => Boolean(e))
    return { ...r, most, events }
  }

  it('warms up in its own process, then runs every part in a child of its own, each line under its name, at most one per cache folder', () => {
    const r = drive(['a', 'b', 'c'], 2)
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('[warm-up] running warm.spec with')
    for (const name of ['a', 'b', 'c']) {
      expect(r.stdout).toMatch(new RegExp(`^\\[${name}\\] running ${name}\\.spec with /cfg/[12]$`, 'm'))
      expect(r.stdout).toMatch(new RegExp(`^\\[${name}\\] partial line without a newline$`, 'm'))
    }
    expect(r.stdout.match(/^\[[abc]\] from a subprocess$/gm)).toHaveLength(3)
    expect(r.most).toBe(2)
    expect(r.events[0]).toMatchObject({ exitCode: 0 })
    expect('warmup' in r.events[0]).toBe(true)
    expect(
      r.events
        .slice(1)
        .map((e) => ('name' in e ? `${e.name}:${e.exitCode}` : ''))
        .sort()
    ).toEqual(['a:0', 'b:0', 'c:0'])
  })

  it('starts no part after one fails, lets the running one finish, and exits non-zero', () => {
    const r = drive(['fail', 'slow', 'later'], 2)
    expect(r.status).toBe(1)
    const ended = r.events.flatMap((e) => ('name' in e ? [`${e.name}:${e.exitCode}`] : []))
    expect(ended.sort()).toEqual(['fail:3', 'slow:0'])
    expect(r.stdout).not.toContain('[later]')
  })
})
