import { describe, it, expect } from '@jest/globals'
import type { Build } from '../../src/freeze/index.js'
import { InputError } from '../../src/errors.js'
import { executableName, planSmoke } from '../../src/smoke.js'
import type { SmokeCommand } from '../../src/config.js'

const dist = 'D:\\rt\\dist'
const onedir = 'D:\\rt\\onedir\\suite'
const BUILDS: Build[] = [
  { mode: 'onefile', name: 'chatty.exe', root: `${dist}\\chatty.exe`, executables: [{ name: 'chatty.exe', path: `${dist}\\chatty.exe` }] },
  { mode: 'onefile', name: 'chatty-gui.exe', root: `${dist}\\chatty-gui.exe`, executables: [{ name: 'chatty-gui.exe', path: `${dist}\\chatty-gui.exe` }] },
  {
    mode: 'onedir',
    name: 'suite',
    root: onedir,
    executables: [
      { name: 'chatty.exe', path: `${onedir}\\chatty.exe` },
      { name: 'chatty-gui.exe', path: `${onedir}\\chatty-gui.exe` }
    ]
  }
]

const smoke = (line: string, only: string, args: string[]): SmokeCommand => ({ line, only, args })
const HELP = smoke('--help', '', ['--help'])
const LIST = smoke('[chatty] list', 'chatty', ['list'])
const GUI = smoke('[chatty-gui] --version', 'chatty-gui', ['--version'])
const env = { PATH: '/usr/bin' }

describe('executableName', () => {
  it('drops .exe in any case and keeps other names', () => {
    expect(executableName({ name: 'chatty.exe', path: 'x' })).toBe('chatty')
    expect(executableName({ name: 'Chatty.EXE', path: 'x' })).toBe('Chatty')
    expect(executableName({ name: 'chatty', path: 'x' })).toBe('chatty')
    expect(executableName({ name: 'chatty.exe.bak', path: 'x' })).toBe('chatty.exe.bak')
  })
})

describe('planSmoke with [name] lines', () => {
  it('runs a [name] line only on the executables of that name, .exe matched', () => {
    const runs = planSmoke(BUILDS, [LIST], 'D:\\rt\\smoke', env)
    expect(runs.map((r) => [r.build.name, r.executable.path, r.test.line])).toEqual([
      ['chatty.exe', `${dist}\\chatty.exe`, '[chatty] list'],
      ['suite', `${onedir}\\chatty.exe`, '[chatty] list']
    ])
    expect(runs[0].command).toEqual({ program: `${dist}\\chatty.exe`, args: ['list'], cwd: 'D:\\rt\\smoke', env })
    expect(runs[1].command).toEqual({ program: `${onedir}\\chatty.exe`, args: ['list'], cwd: 'D:\\rt\\smoke', env })
  })

  it('runs lines without a name on every executable, next to named ones, build by build', () => {
    const runs = planSmoke(BUILDS, [HELP, LIST, GUI], '/rt/smoke', env)
    expect(runs.map((r) => `${r.executable.path} ${r.command.args.join(' ')}`)).toEqual([
      `${dist}\\chatty.exe --help`,
      `${dist}\\chatty.exe list`,
      `${dist}\\chatty-gui.exe --help`,
      `${dist}\\chatty-gui.exe --version`,
      `${onedir}\\chatty.exe --help`,
      `${onedir}\\chatty.exe list`,
      `${onedir}\\chatty-gui.exe --help`,
      `${onedir}\\chatty-gui.exe --version`
    ])
  })

  it('matches the name exactly, not by prefix or case', () => {
    const linux: Build[] = [
      { mode: 'onefile', name: 'chatty', root: '/d/chatty', executables: [{ name: 'chatty', path: '/d/chatty' }] },
      { mode: 'onefile', name: 'chatty-web', root: '/d/chatty-web', executables: [{ name: 'chatty-web', path: '/d/chatty-web' }] }
    ]
    expect(planSmoke(linux, [LIST], '/s', env).map((r) => r.executable.path)).toEqual(['/d/chatty'])
    const e = (() => {
      try {
        planSmoke(linux, [smoke('[Chatty] list', 'Chatty', ['list'])], '/s', env)
      } catch (err) {
        return err
      }
      return undefined
    })() as InputError
    expect(e).toBeInstanceOf(InputError)
    expect(e.message).toBe(
      "Input 'smoke-test': the line `[Chatty] list` names the executable 'Chatty', but the build made chatty, chatty-web. Use one of those names in the brackets."
    )
  })

  it('refuses a name no build made, listing the names once each', () => {
    let error: unknown
    try {
      planSmoke(BUILDS, [HELP, smoke('[chatty-web] --help', 'chatty-web', ['--help'])], '/s', env)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('smoke-test')
    expect((error as InputError).message).toBe(
      "Input 'smoke-test': the line `[chatty-web] --help` names the executable 'chatty-web', but the build made chatty, chatty-gui. Use one of those names in the brackets."
    )
  })
})
