import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from '@jest/globals'
import { NO_PYPROJECT, normalizeName, parsePyproject, resolveDependencyGroups } from '../../src/pyproject.js'

const repoFile = (rel: string): string => fileURLToPath(new URL(`../../${rel}`, import.meta.url))

describe('normalizeName', () => {
  it('lowercases and folds runs of - _ . into one dash (PEP 503/685)', () => {
    expect(normalizeName('Dev_Tools')).toBe('dev-tools')
    expect(normalizeName('Foo.Bar--baz__qux')).toBe('foo-bar-baz-qux')
    expect(normalizeName('a-_.b')).toBe('a-b')
    expect(normalizeName('dev')).toBe('dev')
  })
})

describe('parsePyproject', () => {
  it('reads the chatty example from disk', () => {
    const facts = parsePyproject(fs.readFileSync(repoFile('examples/chatty/pyproject.toml'), 'utf8'))
    expect(facts).toEqual({
      hasProjectTable: true,
      authors: [],
      license: '',
      urls: {},
      contacts: [],
      description: 'A small ChattyCommander-like voice command runner (sample project)',
      name: 'chatty-commander',
      version: '0.3.1',
      dynamic: [],
      extras: ['dev'],
      dependencyGroups: {},
      scripts: { chatty: 'chatty_commander.cli.cli:cli_main', 'chatty-web': 'chatty_commander.web.server:main' },
      guiScripts: { 'chatty-gui': 'chatty_commander.gui:main' },
      requiresPython: '>=3.9',
      buildBackend: 'setuptools.build_meta'
    })
  })

  it('reads the tiny fixture from disk', () => {
    const facts = parsePyproject(fs.readFileSync(repoFile('__tests__/fixtures/tiny/pyproject.toml'), 'utf8'))
    expect(facts).toEqual({
      hasProjectTable: true,
      authors: [],
      license: '',
      urls: {},
      contacts: [],
      description: expect.any(String),
      name: 'tiny-tool',
      version: '1.0.0',
      dynamic: [],
      extras: ['fancy'],
      dependencyGroups: { dev: ['six'] },
      scripts: { tiny: 'tiny_tool.cli:main' },
      guiScripts: {},
      requiresPython: '>=3.8',
      buildBackend: expect.any(String)
    })
  })

  it('reads a dynamic version, normalized extras and include-group', () => {
    const facts = parsePyproject(`
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "My_Tool"
dynamic = ["version", "optional-dependencies"]
requires-python = ">=3.10"

[project.optional-dependencies]
Dev_Tools = ["ruff"]
"docs.extra" = ["mkdocs"]

[project.scripts]
my-tool = "my_tool.__main__:main"
bad = 3

[dependency-groups]
Test = ["pytest>=8", "pytest-cov"]
lint = ["ruff==0.6.0"]
CI = [{include-group = "test"}, {include-group = "Lint"}, "tox"]
`)
    expect(facts.name).toBe('My_Tool')
    expect(facts.version).toBe('')
    expect(facts.dynamic).toEqual(['version', 'optional-dependencies'])
    expect(facts.extras).toEqual(['dev-tools', 'docs-extra'])
    expect(facts.dependencyGroups).toEqual({ test: ['pytest>=8', 'pytest-cov'], lint: ['ruff==0.6.0'], ci: ['pytest>=8', 'pytest-cov', 'ruff==0.6.0', 'tox'] })
    expect(facts.scripts).toEqual({ 'my-tool': 'my_tool.__main__:main' })
    expect(facts.requiresPython).toBe('>=3.10')
    expect(Object.isFrozen(facts)).toBe(true)
  })

  it('gives empty facts for a pyproject without [project]', () => {
    expect(parsePyproject('[build-system]\nrequires = ["setuptools"]\n')).toEqual({ ...NO_PYPROJECT })
  })

  it('reads [dependency-groups] of a project without [project]', () => {
    expect(parsePyproject('[dependency-groups]\ndev = ["pytest"]\n').dependencyGroups).toEqual({ dev: ['pytest'] })
  })

  it('throws on invalid TOML', () => {
    expect(() => parsePyproject('[project\nname = "x"')).toThrow()
  })

  it('throws when a dependency group includes itself', () => {
    expect(() => parsePyproject('[dependency-groups]\na = [{include-group = "b"}]\nb = [{include-group = "a"}]\n')).toThrow(
      "dependency group 'a' includes itself (a → b → a)"
    )
  })
})

describe('resolveDependencyGroups', () => {
  it('returns groups of plain requirements as they are, names normalized', () => {
    expect(resolveDependencyGroups({ Dev_Tools: ['pytest', 'ruff'], docs: [] })).toEqual({ 'dev-tools': ['pytest', 'ruff'], docs: [] })
  })

  it('follows include-group in place, normalizing the included name, and nested includes', () => {
    expect(
      resolveDependencyGroups({
        all: ['black', { 'include-group': 'Dev.Tools' }, 'mypy'],
        dev_tools: [{ 'include-group': 'test' }, 'ruff'],
        test: ['pytest']
      })
    ).toEqual({ all: ['black', 'pytest', 'ruff', 'mypy'], 'dev-tools': ['pytest', 'ruff'], test: ['pytest'] })
  })

  it('refuses a group that includes itself directly', () => {
    expect(() => resolveDependencyGroups({ a: [{ 'include-group': 'a' }] })).toThrow("dependency group 'a' includes itself (a → a)")
  })

  it('refuses a longer cycle and names its trail', () => {
    expect(() => resolveDependencyGroups({ a: [{ 'include-group': 'b' }], b: [{ 'include-group': 'c' }], c: ['x', { 'include-group': 'A' }] })).toThrow(
      "dependency group 'a' includes itself (a → b → c → a)"
    )
  })

  it('refuses an include of an undefined group', () => {
    expect(() => resolveDependencyGroups({ dev: [{ 'include-group': 'missing' }] })).toThrow("dependency group 'missing' is included but not defined")
  })

  it('refuses an entry that is neither a requirement nor an include', () => {
    expect(() => resolveDependencyGroups({ dev: [42] })).toThrow(`dependency group 'dev' has an entry that is neither a requirement nor {include-group = "…"}`)
    expect(() => resolveDependencyGroups({ dev: [{ include: 'x' }] })).toThrow("dependency group 'dev' has an entry")
  })

  it('returns {} for no groups', () => {
    expect(resolveDependencyGroups({})).toEqual({})
  })

  it('refuses two groups whose names normalize to the same name (PEP 735)', () => {
    expect(() => resolveDependencyGroups({ Dev: ['a'], dev: ['b'] })).toThrow("[dependency-groups] defines 'dev' twice")
  })

  it('refuses a group that is not a list', () => {
    expect(() => resolveDependencyGroups({ dev: 'pytest' })).toThrow("dependency group 'dev' is not a list of requirements")
  })
})
