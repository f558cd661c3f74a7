import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { inputErrorOf, readInputs } from '../../__fixtures__/read-config.js'
import type { Config } from '../../src/config.js'

let root: string
let env: Record<string, string>

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-inputs-publish-'))
  const workspace = path.join(root, 'ws')
  fs.mkdirSync(path.join(workspace, 'proj'), { recursive: true })
  fs.mkdirSync(path.join(root, 'runner-temp'))
  fs.writeFileSync(path.join(workspace, 'proj', 'pyproject.toml'), '[project]\nname = "demo"\nversion = "1.0.0"\n')
  fs.writeFileSync(path.join(workspace, 'proj', 'app.spec'), '# spec\n')
  env = { RUNNER_TEMP: path.join(root, 'runner-temp'), GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: 'octo/app' }
})

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

const BASE: Record<string, string> = { 'project-path': 'proj', spec: 'app.spec' }

function read(inputs: Record<string, string> = {}, environment: Record<string, string | undefined> = env): Config {
  return readInputs({ ...BASE, ...inputs }, environment)
}

function inputError(inputs: Record<string, string>, environment: Record<string, string | undefined> = env): InputError {
  return inputErrorOf(() => read(inputs, environment), inputs)
}

describe('publish inputs: defaults', () => {
  it('uploads on tags, names artifacts after the files, keeps the repository retention and attaches no release', () => {
    const c = read({}, { RUNNER_TEMP: env.RUNNER_TEMP, GITHUB_WORKSPACE: env.GITHUB_WORKSPACE })
    expect(c.upload).toBe('tags')
    expect(c.artifactName).toBe('')
    expect(c.retentionDays).toBeUndefined()
    expect(c.release).toBe('false')
    expect(c.githubToken).toBe('')
  })
})

describe('upload', () => {
  it.each([
    ['tags', 'tags'],
    ['always', 'always'],
    ['never', 'never'],
    [' Always ', 'always'],
    ['NEVER', 'never']
  ])('reads %j as %s', (raw, expected) => {
    expect(read({ upload: raw }).upload).toBe(expected)
  })

  it('refuses another value', () => {
    const e = inputError({ upload: 'Sometimes' })
    expect(e.input).toBe('upload')
    expect(e.message).toBe("Input 'upload': 'sometimes' is not tags, always or never. Write tags (the default: only on tag pushes), always or never.")
  })

  it('refuses a boolean', () => {
    expect(inputError({ upload: 'true' }).message).toBe(
      "Input 'upload': 'true' is not tags, always or never. Write tags (the default: only on tag pushes), always or never."
    )
  })
})

describe('artifact-name', () => {
  it('keeps a template, trimmed', () => {
    expect(read({ 'artifact-name': '  {stem}-py3.12 ' }).artifactName).toBe('{stem}-py3.12')
    expect(read({ 'artifact-name': 'app-{os}-{arch}-{version}-{mode}-{file}' }).artifactName).toBe('app-{os}-{arch}-{version}-{mode}-{file}')
  })

  it('refuses an unknown variable', () => {
    const e = inputError({ 'artifact-name': '{stem}-{python}' })
    expect(e.input).toBe('artifact-name')
    expect(e.message).toBe("Input 'artifact-name': '{python}' is not a template variable. Use {file}, {stem}, {os}, {arch}, {version}, {mode}.")
  })

  it('refuses a character artifact names cannot hold', () => {
    const e = inputError({ 'artifact-name': 'dist/{stem}' })
    expect(e.input).toBe('artifact-name')
    expect(e.message).toBe(`Input 'artifact-name': 'dist/{stem}' has a character artifact names cannot hold (" : < > | * ? \\ / or a line break). Remove it.`)
  })
})

describe('retention-days', () => {
  it.each([
    ['', undefined],
    ['  ', undefined],
    ['30', 30],
    [' 1 ', 1],
    ['90', 90]
  ])('reads %j as %p', (raw, expected) => {
    expect(read({ 'retention-days': raw }).retentionDays).toBe(expected)
  })

  it.each(['0', '91', '1.5', 'x', '-1', '30 days'])('refuses %j', (raw) => {
    const e = inputError({ 'retention-days': raw })
    expect(e.input).toBe('retention-days')
    expect(e.message).toBe(
      `Input 'retention-days': '${raw}' is not a whole number of days from 1 to 90. Give a number such as 30, or leave it empty for the repository default.`
    )
  })
})

describe('release', () => {
  const token = { 'github-token': 'ghs_abc' }

  it.each([
    ['true', 'true'],
    ['True', 'true'],
    ['TRUE', 'true'],
    ['required', 'required'],
    ['Required', 'required'],
    [' required ', 'required'],
    ['false', 'false'],
    ['False', 'false'],
    ['', 'false']
  ])('reads %j as %s', (raw, expected) => {
    expect(read({ release: raw, ...token }).release).toBe(expected)
  })

  it.each(['yes', 'on', '1', 'always'])('refuses %j', (raw) => {
    const e = inputError({ release: raw, ...token })
    expect(e.input).toBe('release')
    expect(e.message).toBe(
      `Input 'release': '${raw}' is not true or false. Write false (the default), true (on tag pushes; skipped on other refs) or required (fails on other refs).`
    )
  })

  it('keeps the token, trimmed', () => {
    expect(read({ release: 'true', 'github-token': ' ghs_abc \n' }).githubToken).toBe('ghs_abc')
  })

  it('does not need a token or GITHUB_REPOSITORY when release is false', () => {
    const c = read({ release: 'false' }, { RUNNER_TEMP: env.RUNNER_TEMP, GITHUB_WORKSPACE: env.GITHUB_WORKSPACE })
    expect(c.release).toBe('false')
    expect(c.githubToken).toBe('')
  })

  it.each(['true', 'required'])('with release %s refuses an empty github-token', (release) => {
    for (const raw of ['', '  ']) {
      const e = inputError({ release, 'github-token': raw })
      expect(e.input).toBe('github-token')
      expect(e.message).toBe(
        `Input 'github-token': is empty, and release is ${release}. ` +
          'Pass a token that may write releases (the default ${{ github.token }} with permissions: contents: write), or set release: false.'
      )
    }
  })

  it.each(['true', 'required'])('with release %s needs GITHUB_REPOSITORY', (release) => {
    for (const repo of [undefined, '']) {
      const e = inputError({ release, ...token }, { ...env, GITHUB_REPOSITORY: repo })
      expect(e.input).toBe('release')
      expect(e.message).toBe("Input 'release': needs GITHUB_REPOSITORY (owner/name), which is not set. Run on a GitHub runner, or set GITHUB_REPOSITORY.")
    }
  })

  it('asks for the token before GITHUB_REPOSITORY when both are missing', () => {
    expect(inputError({ release: 'true' }, { ...env, GITHUB_REPOSITORY: undefined }).input).toBe('github-token')
  })
})
