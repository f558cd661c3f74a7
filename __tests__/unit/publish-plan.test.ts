import { describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import type { Asset } from '../../src/package.js'
import { platformFor } from '../../src/platform.js'
import { checkTemplate, isTag, planArtifacts, renderTemplate, shouldUpload, stem, tagName, TEMPLATE_VARIABLES } from '../../src/publish/plan.js'

const SHA = 'd'.repeat(64)

function asset(name: string, mode: Asset['mode']): Asset {
  return { name, path: `/out/${name}`, size: 100, sha256: SHA, mode }
}

function thrown(fn: () => unknown): InputError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError')
}

const TAG = 'refs/tags/v1.2.0'
const BRANCH = 'refs/heads/main'
const PULL = 'refs/pull/7/merge'

describe('isTag', () => {
  it('is true for tag refs only', () => {
    expect(isTag(TAG)).toBe(true)
    expect(isTag('refs/tags/release/2024')).toBe(true)
    expect(isTag(BRANCH)).toBe(false)
    expect(isTag('refs/heads/refs/tags/x')).toBe(false)
    expect(isTag(PULL)).toBe(false)
    expect(isTag('v1.2.0')).toBe(false)
    expect(isTag('')).toBe(false)
  })
})

describe('tagName', () => {
  it('is the tag of a tag ref and empty otherwise', () => {
    expect(tagName(TAG)).toBe('v1.2.0')
    expect(tagName('refs/tags/release/2024')).toBe('release/2024')
    expect(tagName(BRANCH)).toBe('')
    expect(tagName('v1.2.0')).toBe('')
    expect(tagName('')).toBe('')
  })
})

describe('shouldUpload', () => {
  it.each([
    ['tags', TAG, true],
    ['tags', BRANCH, false],
    ['tags', PULL, false],
    ['tags', '', false],
    ['always', TAG, true],
    ['always', BRANCH, true],
    ['always', '', true],
    ['never', TAG, false],
    ['never', BRANCH, false],
    ['never', '', false]
  ] as const)('upload %s on %j → %s', (when, ref, expected) => {
    expect(shouldUpload(when, ref)).toBe(expected)
  })
})

describe('TEMPLATE_VARIABLES', () => {
  it('lists the documented variables', () => {
    expect(TEMPLATE_VARIABLES).toEqual(['file', 'stem', 'os', 'arch', 'version', 'mode'])
  })
})

describe('checkTemplate', () => {
  it.each(['', 'app', '{file}', '{stem}', '{stem}-py3.12', 'app-{version}-{os}-{arch}-{mode}', 'bundle {stem} (x64)', '{file}{stem}{os}'])(
    'accepts %j',
    (template) => {
      expect(checkTemplate(template)).toBeUndefined()
    }
  )

  it('refuses an unknown variable and lists the known ones', () => {
    const e = thrown(() => checkTemplate('{name}-{os}'))
    expect(e.input).toBe('artifact-name')
    expect(e.message).toBe("Input 'artifact-name': '{name}' is not a template variable. Use {file}, {stem}, {os}, {arch}, {version}, {mode}.")
  })

  it('refuses variables in another case and the empty variable', () => {
    expect(thrown(() => checkTemplate('{Stem}')).message).toBe(
      "Input 'artifact-name': '{Stem}' is not a template variable. Use {file}, {stem}, {os}, {arch}, {version}, {mode}."
    )
    expect(thrown(() => checkTemplate('a{}b')).message).toBe(
      "Input 'artifact-name': '{}' is not a template variable. Use {file}, {stem}, {os}, {arch}, {version}, {mode}."
    )
  })

  it('names the first unknown variable', () => {
    expect(thrown(() => checkTemplate('{stem}-{py}-{abi}')).message).toContain("'{py}' is not a template variable.")
  })

  it.each(['a/b', 'a\\b', 'a:b', 'a"b', 'a<b', 'a>b', 'a|b', 'a*b', 'a?b', 'a\nb', 'a\rb', '{stem}/{os}'])(
    'refuses the forbidden character in %j',
    (template) => {
      const e = thrown(() => checkTemplate(template))
      expect(e.input).toBe('artifact-name')
      expect(e.message).toBe(`Input 'artifact-name': '${template}' has a character artifact names cannot hold (" : < > | * ? \\ / or a line break). Remove it.`)
    }
  )

  it('checks variables before characters', () => {
    expect(thrown(() => checkTemplate('{nope}/x')).message).toContain("'{nope}' is not a template variable.")
  })
})

describe('stem', () => {
  it('drops .tar.gz, .zip and .txt only', () => {
    expect(stem('app-1.0-linux-x64.tar.gz')).toBe('app-1.0-linux-x64')
    expect(stem('app-1.0-windows-x64.zip')).toBe('app-1.0-windows-x64')
    expect(stem('app-1.0-linux-x64-SHA256SUMS.txt')).toBe('app-1.0-linux-x64-SHA256SUMS')
    expect(stem('app.gz')).toBe('app.gz')
    expect(stem('app.tar')).toBe('app.tar')
    expect(stem('app.zip.sig')).toBe('app.zip.sig')
    expect(stem('SHA256SUMS')).toBe('SHA256SUMS')
  })
})

describe('renderTemplate', () => {
  const vars = { file: 'a-1.0-linux-x64.tar.gz', stem: 'a-1.0-linux-x64', os: 'linux', arch: 'x64', version: '1.0', mode: 'onefile' }

  it('replaces every variable, each time it appears', () => {
    expect(renderTemplate('{stem}', vars)).toBe('a-1.0-linux-x64')
    expect(renderTemplate('{file}', vars)).toBe('a-1.0-linux-x64.tar.gz')
    expect(renderTemplate('app-{version}-{os}-{arch}-{mode}', vars)).toBe('app-1.0-linux-x64-onefile')
    expect(renderTemplate('{os}{os}', vars)).toBe('linuxlinux')
  })

  it('leaves text without variables alone', () => {
    expect(renderTemplate('plain name', vars)).toBe('plain name')
    expect(renderTemplate('', vars)).toBe('')
  })
})

describe('planArtifacts', () => {
  const linuxAssets = [
    asset('app-1.0-linux-x64.tar.gz', 'onefile'),
    asset('app-1.0-linux-x64-onedir.tar.gz', 'onedir'),
    asset('app-1.0-linux-x64-SHA256SUMS.txt', 'checksums')
  ]

  it('without a template uploads each file as it is, under its own name', () => {
    expect(planArtifacts(linuxAssets, '', platformFor('linux', 'x64'), '1.0')).toEqual([
      { asset: linuxAssets[0], skipArchive: true, name: 'app-1.0-linux-x64.tar.gz' },
      { asset: linuxAssets[1], skipArchive: true, name: 'app-1.0-linux-x64-onedir.tar.gz' },
      { asset: linuxAssets[2], skipArchive: true, name: 'app-1.0-linux-x64-SHA256SUMS.txt' }
    ])
  })

  it('with a template renders the names and zips the files (linux)', () => {
    expect(planArtifacts(linuxAssets, '{stem}-py3.12', platformFor('linux', 'x64'), '1.0')).toEqual([
      { asset: linuxAssets[0], skipArchive: false, name: 'app-1.0-linux-x64-py3.12' },
      { asset: linuxAssets[1], skipArchive: false, name: 'app-1.0-linux-x64-onedir-py3.12' },
      { asset: linuxAssets[2], skipArchive: false, name: 'app-1.0-linux-x64-SHA256SUMS-py3.12' }
    ])
  })

  it('with a template fills os, arch, version, mode and file (windows)', () => {
    const win = [asset('app-2.0-windows-arm64.zip', 'onefile'), asset('app-2.0-windows-arm64-SHA256SUMS.txt', 'checksums')]
    expect(planArtifacts(win, 'x-{os}-{arch}-{version}-{mode} {file}', platformFor('win32', 'arm64'), '2.0')).toEqual([
      { asset: win[0], skipArchive: false, name: 'x-windows-arm64-2.0-onefile app-2.0-windows-arm64.zip' },
      { asset: win[1], skipArchive: false, name: 'x-windows-arm64-2.0-checksums app-2.0-windows-arm64-SHA256SUMS.txt' }
    ])
  })

  it('with a template fills os and arch (macos)', () => {
    const mac = [asset('app-3.1-macos-arm64-onedir.tar.gz', 'onedir')]
    expect(planArtifacts(mac, '{os}-{arch}-{mode}', platformFor('darwin', 'arm64'), '3.1')).toEqual([
      { asset: mac[0], skipArchive: false, name: 'macos-arm64-onedir' }
    ])
  })

  it('plans nothing for no assets', () => {
    expect(planArtifacts([], '{stem}', platformFor('linux', 'x64'), '1.0')).toEqual([])
    expect(planArtifacts([], '', platformFor('linux', 'x64'), '1.0')).toEqual([])
  })

  it('refuses a template that gives two files the same name, naming artifact-name', () => {
    const e = thrown(() => planArtifacts(linuxAssets, 'app-{os}-{arch}', platformFor('linux', 'x64'), '1.0'))
    expect(e.input).toBe('artifact-name')
    expect(e.message).toBe(
      "Input 'artifact-name': 'app-{os}-{arch}' names both app-1.0-linux-x64.tar.gz and app-1.0-linux-x64-onedir.tar.gz 'app-linux-x64'. " +
        'Put {file} or {stem} in the template so that every file gets its own artifact.'
    )
  })

  it('refuses a duplicate that is not between the first two files', () => {
    const assets = [asset('a.tar.gz', 'onefile'), asset('b.tar.gz', 'onedir'), asset('c.tar.gz', 'onedir')]
    expect(thrown(() => planArtifacts(assets, '{mode}', platformFor('linux', 'x64'), '1.0')).message).toBe(
      "Input 'artifact-name': '{mode}' names both b.tar.gz and c.tar.gz 'onedir'. Put {file} or {stem} in the template so that every file gets its own artifact."
    )
  })
})
