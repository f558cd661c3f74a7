import * as path from 'node:path'
import { describe, it, expect } from '@jest/globals'
import type { Config } from '../../src/inputs.js'
import { groupRequirements, INSTALL_ENV, installedVersionCommand, litterDirs, newLitter, planInstall, projectRequirement } from '../../src/install.js'
import { NO_PYPROJECT, parsePyproject } from '../../src/pyproject.js'
import { testConfig } from '../../__fixtures__/config.js'

const project = parsePyproject(`
[project]
name = "demo-app"
version = "1.0.0"

[project.optional-dependencies]
gui = ["pyside6"]
dev = ["ruff"]

[dependency-groups]
test = ["pytest>=8", "pytest-cov"]
lint = ["ruff", "pytest>=8"]
ci = [{include-group = "test"}, "tox"]
`)

const config = (over: Partial<Config> = {}): Config => testConfig({ project, ...over })

const PY = '/rt/build-standalone/venv/bin/python'
// install.ts joins with the host's path module.
const GROUP_FILE = path.join('/rt/build-standalone', 'dependency-groups.txt')

describe('projectRequirement', () => {
  it('is the folder alone without extras', () => {
    expect(projectRequirement('/ws/proj', [])).toBe('/ws/proj')
  })

  it('is folder[extra1,extra2] with extras', () => {
    expect(projectRequirement('/ws/proj', ['dev'])).toBe('/ws/proj[dev]')
    expect(projectRequirement('/ws/proj', ['gui', 'dev-tools'])).toBe('/ws/proj[gui,dev-tools]')
    expect(projectRequirement('D:\\a\\proj', ['gui'])).toBe('D:\\a\\proj[gui]')
  })
})

describe('groupRequirements', () => {
  it('lists the chosen groups in order without repeats', () => {
    expect(groupRequirements({ project, dependencyGroups: ['lint', 'ci'] })).toEqual(['ruff', 'pytest>=8', 'pytest-cov', 'tox'])
    expect(groupRequirements({ project, dependencyGroups: ['ci', 'lint'] })).toEqual(['pytest>=8', 'pytest-cov', 'tox', 'ruff'])
  })

  it('is empty without groups', () => {
    expect(groupRequirements({ project, dependencyGroups: [] })).toEqual([])
    expect(groupRequirements({ project: NO_PYPROJECT, dependencyGroups: [] })).toEqual([])
  })
})

describe('planInstall', () => {
  it('installs the project and PyInstaller only, by default', () => {
    expect(planInstall(config(), PY)).toEqual({
      files: [],
      commands: [{ program: PY, args: ['-m', 'pip', 'install', '/ws/proj', 'pyinstaller==6.22.3'], cwd: '/ws/proj', env: INSTALL_ENV }]
    })
  })

  it('installs extras, a group file, requirements files, then PyInstaller last', () => {
    const plan = planInstall(
      config({
        extras: ['gui', 'dev'],
        dependencyGroups: ['ci', 'lint'],
        requirements: ['/ws/proj/requirements.txt', '/ws/proj/req/extra.txt'],
        pyinstallerRequirement: 'pyinstaller>=6.10,<7'
      }),
      PY
    )
    expect(plan.files).toEqual([{ path: GROUP_FILE, content: 'pytest>=8\npytest-cov\ntox\nruff\n' }])
    expect(plan.commands).toEqual([
      {
        program: PY,
        args: [
          '-m',
          'pip',
          'install',
          '/ws/proj[gui,dev]',
          '-r',
          GROUP_FILE,
          '-r',
          '/ws/proj/requirements.txt',
          '-r',
          '/ws/proj/req/extra.txt',
          'pyinstaller>=6.10,<7'
        ],
        cwd: '/ws/proj',
        env: INSTALL_ENV
      }
    ])
  })

  it('writes no group file when the chosen groups are empty', () => {
    const empty = parsePyproject('[dependency-groups]\nnone = []\n')
    const plan = planInstall(config({ project: empty, dependencyGroups: ['none'] }), PY)
    expect(plan.files).toEqual([])
    expect(plan.commands[0].args).toEqual(['-m', 'pip', 'install', '/ws/proj', 'pyinstaller==6.22.3'])
  })

  it('runs quietly, without input, user site, PYTHONPATH or PYTHONHOME', () => {
    expect(INSTALL_ENV).toEqual({ PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', PYTHONNOUSERSITE: '1', PYTHONPATH: undefined, PYTHONHOME: undefined })
    expect(Object.keys(INSTALL_ENV).sort()).toEqual(['PIP_DISABLE_PIP_VERSION_CHECK', 'PIP_NO_INPUT', 'PYTHONHOME', 'PYTHONNOUSERSITE', 'PYTHONPATH'])
  })
})

describe('litterDirs and newLitter', () => {
  it('looks in the project and its src folder', () => {
    expect(litterDirs('/ws/proj')).toEqual(['/ws/proj', path.join('/ws/proj', 'src')])
  })

  it('returns only new build folders and egg-info', () => {
    expect(newLitter(['src', 'pyproject.toml'], ['src', 'pyproject.toml', 'build', 'demo_app.egg-info', 'dist', 'notes.txt'])).toEqual([
      'build',
      'demo_app.egg-info'
    ])
  })

  it('keeps build folders and egg-info that were there before', () => {
    expect(newLitter(['build', 'old.egg-info'], ['build', 'old.egg-info', 'new.egg-info'])).toEqual(['new.egg-info'])
    expect(newLitter(['build'], ['build'])).toEqual([])
  })
})

describe('installedVersionCommand', () => {
  it('prints the distribution version via importlib.metadata', () => {
    expect(installedVersionCommand(PY, 'demo-app')).toEqual({
      program: PY,
      args: ['-c', 'import importlib.metadata as m,sys;print(m.version(sys.argv[1]))', 'demo-app'],
      env: INSTALL_ENV
    })
  })
})
