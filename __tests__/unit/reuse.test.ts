/**
 * Build reuse's pure parts and its local store on real folders: what goes into the key, the record of a kept build
 * and where its builds land in another work folder, the local store, and the collected files' check.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { testConfig } from '../../__fixtures__/config.js'
import { tempWorkspace, readInputs } from '../../__fixtures__/read-config.js'
import { buildEnvironment, buildKey, CONFIG_IN_KEY, keyedInputs, namedFiles, stableJson, type BuildKeyParts } from '../../src/reuse/key.js'
import { isKeptPath, keptPath, maker, makeRecord, recordedBuilds, recordProblem, type BuildRecord } from '../../src/reuse/record.js'
import { cloneTree, LOCAL_KEPT, localStore } from '../../src/reuse/store.js'
import { changedCollected, collectedOutside, tocPaths } from '../../src/reuse/collected.js'
import { machineFacts, osRelease } from '../../src/reuse/system.js'
import { platformFor } from '../../src/platform.js'
import { NO_BUILDER_ARGS, type Config } from '../../src/config.js'
import type { Build } from '../../src/freeze/index.js'

const linux = platformFor('linux', 'x64')
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-reuse-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))
const tmp = (name: string): string => fs.mkdtempSync(path.join(scratch, `${name}-`))
const write = (file: string, content: string): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, content)
}

describe('what goes into the key', () => {
  it('classifies every field of a Config that readConfig makes', () => {
    const ws = tempWorkspace('bs-reuse-config')
    try {
      const config = readInputs({ 'project-path': 'proj' }, ws.env)
      for (const field of Object.keys(config)) expect(Object.keys(CONFIG_IN_KEY)).toContain(field)
    } finally {
      ws.remove()
    }
  })

  it('changes with every input that shapes the build, and with none of those that only check, ship or publish it', () => {
    const base = keyedInputs(testConfig())
    const shaping: Partial<Config>[] = [
      { hiddenImports: ['x'] },
      { compressionLevel: 9 },
      { onedir: false },
      { builderRequirement: 'pyinstaller==6.21.0' },
      { name: 'suite' },
      { version: '2.0' },
      { extras: ['gui'] },
      { icon: '/ws/proj/app.ico' },
      { workDir: '/elsewhere/build-standalone' },
      { hooksDirs: ['/ws/proj/hooks'] },
      { runtimeHooks: ['/ws/proj/rthooks/mark.py'] },
      { builderArgs: { ...NO_BUILDER_ARGS, lines: ['--clean'], command: ['--clean'] } },
      { builderArgs: { ...NO_BUILDER_ARGS, spec: { ...NO_BUILDER_ARGS.spec, noarchive: true } } },
      { entrypointsFrom: 'distribution' }
    ]
    for (const over of shaping) expect(keyedInputs(testConfig(over))).not.toBe(base)
    const after: Partial<Config>[] = [
      { smokeTests: [{ line: '--help', only: '', args: ['--help'] }] },
      { glibcMax: '2.31' },
      { licenseDeny: ['GPL-3.0-only'] },
      { release: 'true' },
      { upload: 'never' },
      { outputDir: '/elsewhere' },
      { signing: { windows: { certificate: 'c', password: 'p', timestampUrl: '', description: '', url: '' } } },
      { githubToken: 'ghs_secret' },
      { pythonVersion: '3.x' },
      { formats: ['archive', 'deb'] },
      { packageMaintainer: 'Ada <ada@example.org>' },
      { licenseUnknown: 'allow' },
      { workspace: '/elsewhere' }
    ]
    for (const over of after) expect(keyedInputs(testConfig(over))).toBe(base)
    expect(keyedInputs(testConfig({ githubToken: 'ghs_secret' }))).not.toContain('ghs_secret')
  })

  it('hashes the files the build inputs name, hooks and builder-args files among them', () => {
    const spec = {
      ...NO_BUILDER_ARGS.spec,
      pathex: ['/x/src'],
      binaries: [{ source: '/x/lib.so', dest: '.' }],
      versionFile: '/x/v.txt',
      manifest: '<assembly/>',
      resources: ['/x/r.bin,24,1']
    }
    const config = testConfig({ hooksDirs: ['/x/hooks'], runtimeHooks: ['/x/rt.py'], builderArgs: { ...NO_BUILDER_ARGS, spec } })
    expect(namedFiles(config)).toEqual(expect.arrayContaining(['/x/hooks', '/x/rt.py', '/x/src', '/x/lib.so', '/x/v.txt', '/x/r.bin']))
    expect(namedFiles(config)).not.toContain('<assembly/>')
  })

  it('writes JSON with sorted keys, whatever order the object was made in', () => {
    expect(stableJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[2,{"y":2,"z":1}]},"b":1}')
  })

  it('hashes the variables that change a build (never showing their values) and ignores the others', () => {
    const env = { UV_INDEX_URL: 'https://user:secret@pypi.example/simple', CFLAGS: '-O2', HOME: '/root', GITHUB_SHA: 'abc', PYTHONPATH: '/x' }
    const a = buildEnvironment(env)
    expect(a.names).toEqual(['CFLAGS', 'PYTHONPATH', 'UV_INDEX_URL'])
    expect(a.hash).not.toContain('secret')
    expect(buildEnvironment({ ...env, HOME: '/home/other', GITHUB_SHA: 'def' }).hash).toBe(a.hash)
    expect(buildEnvironment({ ...env, CFLAGS: '-O3' }).hash).not.toBe(a.hash)
  })

  it('is build-standalone-build-v1-{os}-{arch}-{hash}, and every part changes it', () => {
    const parts: BuildKeyParts = {
      action: 'a',
      system: ['os debian 12'],
      project: 'git tree 1',
      requirements: 'r',
      epoch: '1700000000',
      commit: '',
      inputs: '{}',
      files: 'f',
      environment: 'e'
    }
    const key = buildKey(linux, parts)
    expect(key).toMatch(/^build-standalone-build-v1-linux-x64-[0-9a-f]{40}$/)
    for (const name of Object.keys(parts) as (keyof BuildKeyParts)[])
      expect(buildKey(linux, { ...parts, [name]: name === 'system' ? ['os debian 13'] : 'other' })).not.toBe(key)
    expect(buildKey(platformFor('win32', 'x64'), parts)).not.toBe(key)
  })
})

describe('the record of a kept build', () => {
  const facts = {
    linux: { scope: 'contents', objects: 1, glibc: '2.17', glibcOffenders: [], glibcxx: '', cxxabi: '', shipsLibstdcxx: false, objectsNeeds: [] }
  } as const
  const builds = (workDir: string): (Build & { facts: typeof facts })[] => [
    {
      mode: 'onefile',
      name: 'app',
      root: path.join(workDir, 'dist', 'app'),
      executables: [{ name: 'app', path: path.join(workDir, 'dist', 'app') }],
      sourceDateEpoch: '1700000000',
      facts
    },
    {
      mode: 'onedir',
      name: 'suite',
      root: path.join(workDir, 'onedir', 'suite'),
      executables: [{ name: 'app', path: path.join(workDir, 'onedir', 'suite', 'app') }],
      facts
    }
  ]
  const fields = {
    key: 'k',
    made: { run: 'run 1 of o/r', at: '2026-01-01T00:00:00.000Z' },
    builder: 'pyinstaller' as const,
    version: '1.0',
    project: testConfig().project,
    entrypoints: testConfig().entrypoints,
    lock: '',
    collected: {}
  }
  const report = { distributions: [], entries: 3, leaks: [], problems: [] }

  it('keeps the builds relative to the work folder, and gives them back under another one', () => {
    const record = makeRecord(fields, '/rt/a/build-standalone', builds('/rt/a/build-standalone'), new Map([['/rt/a/build-standalone/dist/app', report]]))
    expect(record?.builds.map((b) => [b.root, b.executables[0].path, Boolean(b.shipped)])).toEqual([
      ['dist/app', 'dist/app', true],
      ['onedir/suite', 'onedir/suite/app', false]
    ])
    const back = recordedBuilds(record as BuildRecord, '/rt/b/build-standalone')
    expect(back).toEqual(builds('/rt/b/build-standalone').map(({ facts: _, ...b }) => b))
    expect(recordProblem(JSON.parse(JSON.stringify(record)), 'k')).toBe('')
  })

  it('keeps nothing of a build outside dist/ and onedir/', () => {
    const outside = [{ ...builds('/w')[0], root: '/w/nuitka/run-0/app', executables: [{ name: 'app', path: '/w/nuitka/run-0/app' }] }]
    expect(makeRecord(fields, '/w', outside, new Map())).toBeUndefined()
    expect(keptPath('/w', '/elsewhere/dist/app')).toBeUndefined()
  })

  it('accepts only paths that stay in dist/ or onedir/', () => {
    expect(isKeptPath('dist/app')).toBe(true)
    expect(isKeptPath('onedir/suite/_internal/x.so')).toBe(true)
    for (const bad of ['dist', 'venv/bin/python', 'dist/../venv/x', '/etc/passwd', 'dist//x', 'dist/./x', 'dist\\..\\x']) expect(isKeptPath(bad)).toBe(false)
  })

  it('refuses a record of another key, format or layout, or without facts', () => {
    const good = makeRecord(fields, '/w', builds('/w'), new Map()) as BuildRecord
    expect(recordProblem(undefined, 'k')).toBe('it has no record')
    expect(recordProblem(good, 'other')).toBe('its record names another key (k)')
    expect(recordProblem({ ...good, format: 1 }, 'k')).toBe('its record is of format 1, not 2')
    expect(recordProblem({ ...good, builds: [] }, 'k')).toBe('its record lists no build')
    expect(recordProblem({ ...good, builds: [{ ...good.builds[0], root: '../../etc' }] }, 'k')).toBe('its record lists a build it cannot place')
    expect(recordProblem({ ...good, builds: [{ ...good.builds[0], executables: [{ name: 'x', path: 'venv/bin/x' }] }] }, 'k')).toBe(
      'its record lists a build it cannot place'
    )
    expect(recordProblem({ ...good, builds: [{ ...good.builds[0], facts: undefined }] }, 'k')).toBe('its record lists a build it cannot place')
    expect(recordProblem({ ...good, version: '' }, 'k')).toBe('its record has no version')
    expect(recordProblem({ ...good, collected: undefined }, 'k')).toBe('its record does not list what the build collected')
    expect(recordProblem({ ...good, project: undefined }, 'k')).toBe('its record does not say what the project is')
  })

  it('names the workflow run that made a build, or the machine of a local one', () => {
    const at = new Date('2026-12-06T01:02:03Z')
    expect(maker({ GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2', GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://ghe.example' }, 'h', at)).toEqual({
      run: 'run 42 (attempt 2) of o/r',
      url: 'https://ghe.example/o/r/actions/runs/42',
      at: '2026-12-06T01:02:03.000Z'
    })
    expect(maker({}, 'laptop', at)).toEqual({ run: 'a local build on laptop', at: '2026-12-06T01:02:03.000Z' })
  })
})

describe('the local store', () => {
  const kept = (dir: string, key: string): void => {
    write(path.join(dir, 'record.json'), JSON.stringify({ key }))
    write(path.join(dir, 'dist', 'app'), `program of ${key}`)
    fs.chmodSync(path.join(dir, 'dist', 'app'), 0o755)
    fs.symlinkSync('app', path.join(dir, 'dist', 'app-link'))
  }

  it('keeps a build under its key and gives it back with hard links, or copies when asked', async () => {
    const root = tmp('store')
    const store = localStore(path.join(root, 'builds'), true)
    expect(await store.fetch('k1', path.join(root, 'fetched'))).toBe(false)
    kept(path.join(root, 'snapshot'), 'k1')
    await store.keep('k1', path.join(root, 'snapshot'))
    expect(fs.existsSync(path.join(root, 'snapshot'))).toBe(false)
    expect(await store.fetch('k1', path.join(root, 'fetched'))).toBe(true)
    const app = path.join(root, 'fetched', 'dist', 'app')
    expect(fs.readFileSync(app, 'utf8')).toBe('program of k1')
    expect(fs.statSync(app).nlink).toBe(2)
    expect(fs.statSync(app).mode & 0o777).toBe(0o755)
    expect(fs.readlinkSync(path.join(root, 'fetched', 'dist', 'app-link'))).toBe('app')
    expect(await localStore(path.join(root, 'builds'), false).fetch('k1', path.join(root, 'copied'))).toBe(true)
    expect(fs.statSync(path.join(root, 'copied', 'dist', 'app')).nlink).toBe(1)
    expect(fs.statSync(path.join(root, 'copied', 'dist', 'app')).mode & 0o777).toBe(0o755)
  })

  it(`keeps the ${LOCAL_KEPT} builds used last`, async () => {
    const root = tmp('store')
    const store = localStore(path.join(root, 'builds'), true)
    for (let i = 1; i <= LOCAL_KEPT + 1; i++) {
      kept(path.join(root, `s${i}`), `k${i}`)
      await store.keep(`k${i}`, path.join(root, `s${i}`))
      const when = new Date(Date.now() - (10 - i) * 60_000)
      fs.utimesSync(path.join(root, 'builds', `k${i}`), when, when)
      if (i === 1) {
        // k1 is taken again later: it counts as used last.
        expect(await store.fetch('k1', path.join(root, 'again'))).toBe(true)
      }
    }
    // k2 is the one used longest ago: k1 was taken again after it was kept.
    expect(fs.readdirSync(path.join(root, 'builds')).sort()).toEqual(['k1', 'k3', 'k4'])
  })

  it('copies a tree with its links as links', () => {
    const root = tmp('clone')
    kept(path.join(root, 'a'), 'k')
    cloneTree(path.join(root, 'a'), path.join(root, 'b'), false)
    expect(fs.lstatSync(path.join(root, 'b', 'dist', 'app-link')).isSymbolicLink()).toBe(true)
  })
})

describe('the files a build collected from the system', () => {
  it('reads the absolute paths a TOC file names, POSIX and Windows', () => {
    const toc = [
      "([('libssl.so.3', '/lib/x86_64-linux-gnu/libssl.so.3', 'BINARY'),",
      "  ('python311.dll', 'C:\\\\hostedtoolcache\\\\Python\\\\3.11.9\\\\x64\\\\python311.dll', 'BINARY'),",
      '  ("it\'s", "/opt/it\'s here/x.py", \'PYMODULE\'),',
      "  ('rel', 'relative/path', 'DATA')])"
    ].join('\n')
    expect(tocPaths(toc).sort()).toEqual(
      ['/lib/x86_64-linux-gnu/libssl.so.3', "/opt/it's here/x.py", 'C:\\hostedtoolcache\\Python\\3.11.9\\x64\\python311.dll'].sort()
    )
  })

  it('hashes what the TOCs name outside the excluded folders, and tells when one of them changed or is gone', () => {
    const root = tmp('collected')
    const system = path.join(root, 'system', 'libfoo.so')
    const venv = path.join(root, 'work', 'venv', 'lib', 'x.py')
    write(system, 'foo 1')
    write(venv, 'x')
    write(path.join(root, 'work', 'parts', '1', 'work', 'app.part', 'Analysis-00.toc'), `[('libfoo.so', '${system}', 'BINARY'), ('x', '${venv}', 'PYMODULE')]`)
    const collected = collectedOutside([path.join(root, 'work', 'parts'), path.join(root, 'work', 'nowhere')], [path.join(root, 'work')])
    expect(Object.keys(collected)).toEqual([system])
    expect(changedCollected(collected)).toBe('')
    write(system, 'foo 2')
    expect(changedCollected(collected)).toBe(`${system}, which the kept build holds, changed since it was made`)
    fs.rmSync(system)
    expect(changedCollected(collected)).toBe(`${system}, which the kept build holds, is gone since it was made`)
  })
})

describe('the machine', () => {
  it('reads ID and VERSION_ID of os-release', () => {
    expect(osRelease('PRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\nVERSION_ID="24.04"\n')).toBe('ubuntu 24.04')
    expect(osRelease('')).toBe('')
  })

  it('names the runner image where GitHub sets it', () => {
    expect(machineFacts(linux, { ImageOS: 'ubuntu24', ImageVersion: '20261201.1' })[0]).toBe('image ubuntu24 20261201.1')
    expect(machineFacts(linux, {}).some((f) => f.startsWith('image'))).toBe(false)
    expect(machineFacts(linux, {}).some((f) => f.startsWith('glibc '))).toBe(true)
  })
})
