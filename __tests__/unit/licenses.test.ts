import { describe, it, expect } from '@jest/globals'
import {
  canonicalId,
  isCopyleft,
  isDenied,
  licenseOf,
  licenseText,
  parseExpression,
  formatExpression,
  spdxFromName,
  type LicenseMetadata
} from '../../src/inspect/licenses.js'
import { readLicenseDeny } from '../../src/inputs/checks.js'
import { InputError } from '../../src/errors.js'

const md = (over: Partial<LicenseMetadata>): LicenseMetadata => ({ licenseExpression: '', license: '', classifiers: [], ...over })
const expr = (e: string) => ({ expression: e, names: [], source: 'License-Expression' as const })

describe('licenseOf', () => {
  it('takes License-Expression first, with canonical ids and operators', () => {
    expect(licenseOf(md({ licenseExpression: 'mit', license: 'BSD', classifiers: ['License :: OSI Approved :: BSD License'] }))).toEqual(expr('MIT'))
    expect(licenseOf(md({ licenseExpression: 'apache-2.0 or (bsd-2-clause and mit)' })).expression).toBe('Apache-2.0 OR (BSD-2-Clause AND MIT)')
    expect(licenseOf(md({ licenseExpression: 'GPL-2.0-or-later WITH Classpath-exception-2.0' })).expression).toBe(
      'GPL-2.0-or-later WITH Classpath-exception-2.0'
    )
  })

  it('keeps a License-Expression that is not SPDX as a name', () => {
    expect(licenseOf(md({ licenseExpression: 'Custom Thing' }))).toEqual({ expression: '', names: ['Custom Thing'], source: 'License-Expression' })
  })

  it('reads a License field that is an SPDX expression or a well-known name', () => {
    expect(licenseOf(md({ license: 'MIT' }))).toEqual({ expression: 'MIT', names: [], source: 'License' })
    expect(licenseOf(md({ license: 'BSD-3-Clause' })).expression).toBe('BSD-3-Clause')
    for (const [name, id] of [
      ['Apache 2.0', 'Apache-2.0'],
      ['Apache License, Version 2.0', 'Apache-2.0'],
      ['Apache Software License 2.0', 'Apache-2.0'],
      ['MIT License', 'MIT'],
      ['new BSD', 'BSD-3-Clause'],
      ['3-Clause BSD License', 'BSD-3-Clause'],
      ['Simplified BSD', 'BSD-2-Clause'],
      ['PSF', 'PSF-2.0'],
      ['MPL 2.0', 'MPL-2.0'],
      ['GPLv3+', 'GPL-3.0-or-later'],
      ['LGPLv3', 'LGPL-3.0-only']
    ])
      expect([name, spdxFromName(name)]).toEqual([name, id])
  })

  it('falls back to the classifiers: SPDX ids where a classifier names one license, names otherwise', () => {
    expect(licenseOf(md({ license: 'UNKNOWN', classifiers: ['License :: OSI Approved :: MIT License'] }))).toEqual({
      expression: 'MIT',
      names: [],
      source: 'classifiers'
    })
    expect(licenseOf(md({ classifiers: ['License :: OSI Approved :: Apache Software License', 'License :: OSI Approved :: BSD License'] }))).toEqual({
      expression: '',
      names: ['Apache Software License', 'BSD License'],
      source: 'classifiers'
    })
    expect(
      licenseOf(
        md({
          classifiers: ['License :: OSI Approved :: GNU General Public License v3 (GPLv3)', 'License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)']
        })
      ).expression
    ).toBe('GPL-3.0-only OR MPL-2.0')
  })

  it('does not take a License field holding the whole text for a name', () => {
    const text = 'Copyright (c) 2020 Someone\n\nPermission is hereby granted, free of charge, ...'
    expect(licenseOf(md({ license: text }))).toEqual({ expression: '', names: [], source: 'unknown' })
    expect(licenseOf(md({ license: text, classifiers: ['License :: OSI Approved :: MIT License'] })).expression).toBe('MIT')
  })

  it('says unknown when the metadata says nothing', () => {
    const l = licenseOf(md({}))
    expect(l).toEqual({ expression: '', names: [], source: 'unknown' })
    expect(licenseText(l)).toBe('unknown')
    expect(licenseText(licenseOf(md({ license: 'Proprietary-ish' })))).toBe('Proprietary-ish')
  })
})

describe('parseExpression', () => {
  it('refuses what is not an SPDX expression', () => {
    for (const bad of ['', 'BSD', 'MIT OR', '(MIT', 'MIT)', 'MIT AND AND ISC', 'Apache 2.0']) expect([bad, parseExpression(bad)]).toEqual([bad, undefined])
  })

  it('writes parentheses only where the precedence needs them', () => {
    const e = parseExpression('(MIT AND ISC) OR Apache-2.0')
    expect(e && formatExpression(e)).toBe('(MIT AND ISC) OR Apache-2.0')
    const f = parseExpression('MIT AND ISC OR Apache-2.0')
    expect(f && formatExpression(f)).toBe('(MIT AND ISC) OR Apache-2.0')
  })
})

describe('isCopyleft', () => {
  it('flags GPL, LGPL, AGPL and MPL, from ids or names', () => {
    for (const e of ['GPL-3.0-only', 'LGPL-2.1-or-later', 'AGPL-3.0-only', 'MPL-2.0', 'MIT AND LGPL-3.0-only'])
      expect([e, isCopyleft(expr(e))]).toEqual([e, true])
    expect(isCopyleft({ expression: '', names: ['GNU General Public License (GPL)'], source: 'classifiers' })).toBe(true)
  })

  it('does not flag permissive licenses, or a choice that offers one', () => {
    for (const e of ['MIT', 'BSD-3-Clause', 'Apache-2.0 OR BSD-2-Clause', 'MIT OR GPL-3.0-only']) expect([e, isCopyleft(expr(e))]).toEqual([e, false])
    expect(isCopyleft({ expression: '', names: ['BSD License'], source: 'classifiers' })).toBe(false)
  })
})

describe('isDenied', () => {
  const deny = ['GPL-3.0-only', 'AGPL-3.0-only']

  it('matches a denied id, in any case and in its deprecated form', () => {
    expect(isDenied(expr('GPL-3.0-only'), deny)).toBe(true)
    expect(isDenied(expr('GPL-3.0'), deny)).toBe(true)
    expect(isDenied(expr('MIT AND AGPL-3.0-only'), ['agpl-3.0-only'])).toBe(true)
    expect(canonicalId('GPL-3.0+')).toBe('GPL-3.0-or-later')
  })

  it('passes a choice with an allowed license, other versions, and unknown licenses', () => {
    expect(isDenied(expr('MIT OR GPL-3.0-only'), deny)).toBe(false)
    expect(isDenied(expr('GPL-3.0-or-later'), deny)).toBe(false)
    expect(isDenied(expr('GPL-2.0-only'), deny)).toBe(false)
    expect(isDenied({ expression: '', names: ['unknown'], source: 'unknown' }, deny)).toBe(false)
    expect(isDenied(expr('GPL-3.0-only'), [])).toBe(false)
  })
})

describe('license-deny input', () => {
  it('reads SPDX ids, one a line or separated by commas, in canonical case', () => {
    expect(readLicenseDeny('GPL-3.0-only, agpl-3.0-only\nLicenseRef-Internal')).toEqual(['GPL-3.0-only', 'AGPL-3.0-only', 'LicenseRef-Internal'])
    expect(readLicenseDeny('')).toEqual([])
  })

  it('refuses what is not an SPDX id, naming the input', () => {
    for (const bad of [';rm', 'GPL3', 'GPL-3.0-only;rm -rf /', '$(id)']) {
      expect(() => readLicenseDeny(bad)).toThrow(InputError)
      expect(() => readLicenseDeny(bad)).toThrow(/^Input 'license-deny': '.*' is not an SPDX license id/)
    }
  })
})
