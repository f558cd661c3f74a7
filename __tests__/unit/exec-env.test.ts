/**
 * The environment a child gets. On Windows, variable names are
 * case-insensitive and Windows spells its search path `Path`; Node passes a
 * child only one of several spellings (child_process docs, options.env), so a
 * planned `PATH` (Nuitka's, with the venv first) must replace `Path`, not sit
 * beside it.
 */
import { describe, expect, it } from '@jest/globals'
import { environment } from '../../src/exec.js'

const pathKeys = (env: Record<string, string>): string[] => Object.keys(env).filter((k) => k.toUpperCase() === 'PATH')

describe('environment', () => {
  it("on Windows, a planned PATH replaces the runner's Path: one variable, the planned value", () => {
    const env = environment({ PATH: 'D:\\venv\\Scripts;C:\\Windows' }, { Path: 'C:\\Windows', SystemRoot: 'C:\\Windows' }, true)
    expect(pathKeys(env)).toHaveLength(1)
    expect(env[pathKeys(env)[0]]).toBe('D:\\venv\\Scripts;C:\\Windows')
    expect(env.SystemRoot).toBe('C:\\Windows')
  })

  it('on Windows, removing a variable removes every spelling of it', () => {
    const env = environment({ PYTHONPATH: undefined, VIRTUAL_ENV: undefined }, { PythonPath: 'x', pythonpath: 'y', virtual_env: 'z', Keep: '1' }, true)
    expect(env).toEqual({ Keep: '1' })
  })

  it('elsewhere names are case-sensitive: PATH and Path are two variables', () => {
    const env = environment({ PATH: '/venv/bin:/usr/bin' }, { Path: 'other', PATH: '/usr/bin' }, false)
    expect(env).toEqual({ Path: 'other', PATH: '/venv/bin:/usr/bin' })
  })
})
