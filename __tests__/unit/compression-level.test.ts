/**
 * compression-level: read and validated at the inputs stage, then passed to
 * PyInstaller through its environment variable and, for 0, to Nuitka as
 * --onefile-no-compression. (The e2e test in generated.test.ts checks that
 * PyInstaller really stores a one-file payload uncompressed at 0.)
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { nuitkaInput } from '../../__fixtures__/nuitka-input.js'
import { DEFAULT_COMPRESSION_LEVEL } from '../../src/config.js'
import { parseCompressionLevel } from '../../src/inputs/build.js'
import { pyinstallerEnv } from '../../src/freeze/pyinstaller.js'
import { planNuitka, type NuitkaInput } from '../../src/freeze/nuitka-plan.js'
import { platformFor } from '../../src/platform.js'
import { inputErrorOf, readInputs, tempWorkspace } from '../../__fixtures__/read-config.js'
import { testConfig } from '../../__fixtures__/config.js'

let env: Record<string, string>
let remove: () => void
beforeAll(() => {
  ;({ env, remove } = tempWorkspace('bs-level-'))
})
afterAll(() => remove())

describe('compression-level', () => {
  const read = (value: string): number => readInputs({ 'project-path': 'proj', 'compression-level': value }, env).compressionLevel

  it('is 6 by default (half the packing time of PyInstaller’s 9) and takes 0 to 9', () => {
    expect(DEFAULT_COMPRESSION_LEVEL).toBe(6)
    expect(read('')).toBe(6)
    expect(read(' 9 ')).toBe(9)
    expect(read('0')).toBe(0)
  })

  it.each(['10', '-1', 'fast', '0x5', '1e0', '5.0', '٣', '6;rm -rf /'])('refuses %j, naming the input and the range', (value) => {
    const e = inputErrorOf(() => read(value), { 'compression-level': value })
    expect(e.input).toBe('compression-level')
    expect(e.message).toContain(`Input 'compression-level': '${value.trim()}' is not a compression level from 0 to 9.`)
    expect(e.message).toContain('0 (no compression')
    expect(() => parseCompressionLevel(value)).toThrow('is not a compression level from 0 to 9')
  })
})

describe('passing it on', () => {
  it('gives PyInstaller PYINSTALLER_ZLIB_COMPRESSION_LEVEL beside the reproducibility variables', () => {
    const e = pyinstallerEnv({ ...testConfig(), compressionLevel: 1 }, { PYTHONHASHSEED: '0' })
    expect(e.PYINSTALLER_ZLIB_COMPRESSION_LEVEL).toBe('1')
    expect(e.PYTHONHASHSEED).toBe('0')
  })

  const entries: NuitkaInput['entries'] = [{ name: 'x', target: { kind: 'function', module: 'x', attr: 'main' }, windowed: false, source: 'x' }]
  const atLevel = (compressionLevel: number): NuitkaInput => nuitkaInput({ entries, compressionLevel })
  const paths = { specDir: '/rt/spec', outDir: '/rt/nuitka', distDir: '/rt/dist', onedirDir: '/rt/onedir' }

  it('turns Nuitka’s one-file compression off at 0, in the one-file run only', () => {
    const plan = planNuitka(platformFor('linux', 'x64'), atLevel(0), paths)
    expect(plan.runs.find((r) => r.mode === 'onefile')?.args).toContain('--onefile-no-compression')
    expect(plan.runs.find((r) => r.mode === 'standalone')?.args).not.toContain('--onefile-no-compression')
  })

  it('leaves Nuitka’s own zstd level for every other level', () => {
    for (const level of [1, 6, 9])
      expect(planNuitka(platformFor('linux', 'x64'), atLevel(level), paths).runs.flatMap((r) => r.args)).not.toContain('--onefile-no-compression')
  })
})
