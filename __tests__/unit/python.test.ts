import { describe, it, expect } from '@jest/globals'
import { platformFor } from '../../src/platform.js'
import {
  archMatches,
  compareVersionsDesc,
  pathCandidates,
  probeCommand,
  toolCacheCandidates,
  toolCachePython,
  versionMatches,
  type Probe
} from '../../src/python.js'

const linux = platformFor('linux', 'x64')
const linuxArm = platformFor('linux', 'arm64')
const windows = platformFor('win32', 'x64')
const windows32 = platformFor('win32', 'ia32')
const mac = platformFor('darwin', 'arm64')
const macIntel = platformFor('darwin', 'x64')

describe('versionMatches', () => {
  it.each([
    ['3', '3.11.9'],
    ['3.x', '3.11.9'],
    ['3.11', '3.11.9'],
    ['3.11.x', '3.11.0'],
    ['3.11.9', '3.11.9'],
    ['3.x.x', '3.8.10']
  ])('%s matches %s', (spec, actual) => {
    expect(versionMatches(spec, actual)).toBe(true)
  })

  it.each([
    ['3.1', '3.11.9'],
    ['3.11', '3.10.14'],
    ['3.11.9', '3.11.10'],
    ['3.11.9', '3.11'],
    ['2', '3.11.9'],
    ['3.12', '3.1.2']
  ])('%s does not match %s', (spec, actual) => {
    expect(versionMatches(spec, actual)).toBe(false)
  })
})

describe('compareVersionsDesc', () => {
  it('sorts newest first, numerically', () => {
    expect(['3.9.1', '3.10.0', '3.11.9', '3.11.10', '3.8.20'].sort(compareVersionsDesc)).toEqual(['3.11.10', '3.11.9', '3.10.0', '3.9.1', '3.8.20'])
  })

  it('returns the sign of the difference', () => {
    expect(compareVersionsDesc('3.10.0', '3.9.0')).toBeLessThan(0)
    expect(compareVersionsDesc('3.9.0', '3.10.0')).toBeGreaterThan(0)
    expect(compareVersionsDesc('3.11.9', '3.11.9')).toBe(0)
    expect(compareVersionsDesc('3.11', '3.11.0')).toBe(0)
  })
})

describe('toolCachePython', () => {
  it('is <tc>\\Python\\<v>\\<arch>\\python.exe on Windows', () => {
    expect(toolCachePython(windows, 'C:\\hostedtoolcache\\windows', '3.11.9')).toBe('C:\\hostedtoolcache\\windows\\Python\\3.11.9\\x64\\python.exe')
    expect(toolCachePython(windows32, 'C:\\tc', '3.10.11')).toBe('C:\\tc\\Python\\3.10.11\\x86\\python.exe')
  })

  it('is <tc>/Python/<v>/<arch>/bin/python3 on Linux and macOS', () => {
    expect(toolCachePython(linux, '/opt/hostedtoolcache', '3.11.9')).toBe('/opt/hostedtoolcache/Python/3.11.9/x64/bin/python3')
    expect(toolCachePython(mac, '/Users/runner/hostedtoolcache', '3.12.1')).toBe('/Users/runner/hostedtoolcache/Python/3.12.1/arm64/bin/python3')
  })
})

describe('toolCacheCandidates', () => {
  const versions = ['3.10.14', '3.11.4', 'latest', '3.11.10', '3.11.9', '3.12.1', '3.11', '.DS_Store', '3.11.9-beta']
  const complete = (v: string): boolean => v !== '3.11.10'

  it('keeps complete matching versions, newest first, and ignores folders that are not versions', () => {
    expect(toolCacheCandidates(linux, '/tc', '3.11', versions, complete)).toEqual(['/tc/Python/3.11.9/x64/bin/python3', '/tc/Python/3.11.4/x64/bin/python3'])
  })

  it('includes the newest when it is complete', () => {
    expect(toolCacheCandidates(linux, '/tc', '3.11', versions, () => true)).toEqual([
      '/tc/Python/3.11.10/x64/bin/python3',
      '/tc/Python/3.11.9/x64/bin/python3',
      '/tc/Python/3.11.4/x64/bin/python3'
    ])
  })

  it('matches 3.x against every 3 release', () => {
    expect(toolCacheCandidates(linux, '/tc', '3.x', versions, complete)).toEqual([
      '/tc/Python/3.12.1/x64/bin/python3',
      '/tc/Python/3.11.9/x64/bin/python3',
      '/tc/Python/3.11.4/x64/bin/python3',
      '/tc/Python/3.10.14/x64/bin/python3'
    ])
  })

  it('uses the Windows layout', () => {
    expect(toolCacheCandidates(windows, 'C:\\tc', '3.12', versions, complete)).toEqual(['C:\\tc\\Python\\3.12.1\\x64\\python.exe'])
  })

  it('asks complete() with the version', () => {
    const asked: string[] = []
    toolCacheCandidates(linux, '/tc', '3.10', versions, (v) => {
      asked.push(v)
      return true
    })
    expect(asked).toEqual(['3.10.14'])
  })

  it('returns [] without a tool cache or without a match', () => {
    expect(toolCacheCandidates(linux, '', '3.11', versions, () => true)).toEqual([])
    expect(toolCacheCandidates(linux, '/tc', '3.13', versions, () => true)).toEqual([])
  })
})

describe('pathCandidates', () => {
  it('tries pythonX.Y first on Linux and macOS', () => {
    expect(pathCandidates(linux, '3.11')).toEqual(['python3.11', 'python3', 'python'])
    expect(pathCandidates(mac, '3.12.1')).toEqual(['python3.12', 'python3', 'python'])
  })

  it('has no pythonX.Y for a major-only or 3.x spec', () => {
    expect(pathCandidates(linux, '3')).toEqual(['python3', 'python'])
    expect(pathCandidates(mac, '3.x')).toEqual(['python3', 'python'])
  })

  it('tries python, then python3 on Windows', () => {
    expect(pathCandidates(windows, '3.11')).toEqual(['python', 'python3'])
    expect(pathCandidates(windows, '3')).toEqual(['python', 'python3'])
  })
})

describe('archMatches', () => {
  const probe = (bits: number, machine: string): Probe => ({ version: '3.11.9', executable: '/x/python3', bits, machine })

  it('accepts 64-bit x86_64 / AMD64 for x64', () => {
    expect(archMatches(probe(64, 'x86_64'), linux)).toBe(true)
    expect(archMatches(probe(64, 'AMD64'), windows)).toBe(true)
    expect(archMatches(probe(64, 'x86_64'), macIntel)).toBe(true)
  })

  it('refuses arm64 / aarch64 and 32-bit interpreters for x64', () => {
    expect(archMatches(probe(64, 'arm64'), macIntel)).toBe(false)
    expect(archMatches(probe(64, 'aarch64'), linux)).toBe(false)
    expect(archMatches(probe(64, 'ARM64'), windows)).toBe(false)
    expect(archMatches(probe(32, 'AMD64'), windows)).toBe(false)
  })

  it('accepts 64-bit arm64 / aarch64 for arm64', () => {
    expect(archMatches(probe(64, 'arm64'), mac)).toBe(true)
    expect(archMatches(probe(64, 'aarch64'), linuxArm)).toBe(true)
    expect(archMatches(probe(64, 'ARM64'), platformFor('win32', 'arm64'))).toBe(true)
  })

  it('refuses x86_64 (e.g. under Rosetta) and 32-bit arm for arm64', () => {
    expect(archMatches(probe(64, 'x86_64'), mac)).toBe(false)
    expect(archMatches(probe(32, 'aarch64'), linuxArm)).toBe(false)
  })

  it('accepts only 32-bit interpreters for x86', () => {
    expect(archMatches(probe(32, 'AMD64'), windows32)).toBe(true)
    expect(archMatches(probe(32, 'x86'), windows32)).toBe(true)
    expect(archMatches(probe(64, 'AMD64'), windows32)).toBe(false)
  })
})

describe('probeCommand', () => {
  it('runs a -c script that prints version, executable, bits and machine, with PYTHONHOME and PYTHONPATH unset', () => {
    const cmd = probeCommand('/opt/py/bin/python3')
    expect(cmd).toEqual({
      program: '/opt/py/bin/python3',
      args: [
        '-c',
        'import json,platform,struct,sys;print(json.dumps({"version":"%d.%d.%d"%sys.version_info[:3],"executable":sys.executable,"bits":struct.calcsize("P")*8,"machine":platform.machine()}))'
      ],
      env: { PYTHONHOME: undefined, PYTHONPATH: undefined }
    })
    expect(Object.keys(cmd.env ?? {}).sort()).toEqual(['PYTHONHOME', 'PYTHONPATH'])
  })
})
