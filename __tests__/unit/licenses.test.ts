import { describe, it, expect } from '@jest/globals'
import {
  canonicalId,
  choicesOf,
  denyVerdict,
  gnuFromName,
  isCopyleft,
  isDenied,
  isUnclassified,
  licenseFromText,
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

  it('keeps a License-Expression that is not SPDX as a name, marked invalid', () => {
    const l = licenseOf(md({ licenseExpression: 'Custom Thing' }))
    expect(l).toEqual({ expression: '', names: ['Custom Thing'], source: 'License-Expression', invalidExpression: 'Custom Thing' })
    expect(licenseText(l)).toBe('Custom Thing (not a valid SPDX expression)')
    expect(isUnclassified(l)).toBe(true)
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
      source: 'classifiers',
      family: ['Apache-1.0', 'Apache-1.1', 'Apache-2.0', '0BSD', 'BSD-*']
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

describe('license-deny fails closed (issue 22, defect 4)', () => {
  // README's example.
  const deny = ['GPL-3.0-only', 'AGPL-3.0-only']
  const verdict = (m: Partial<LicenseMetadata>, d = deny) => denyVerdict(licenseOf(md(m)), d)

  it('refuses GPL-3.0-or-later (and GPL-3.0+) under GPL-3.0-only: no later version exists to choose', () => {
    expect(verdict({ licenseExpression: 'GPL-3.0-or-later' })).toBe('denied')
    expect(verdict({ licenseExpression: 'GPL-3.0+' })).toBe('denied')
    expect(verdict({ license: 'GPLv3+' })).toBe('denied')
    expect(verdict({ licenseExpression: 'AGPL-3.0-or-later' })).toBe('denied')
    expect(licenseOf(md({ licenseExpression: 'GPL-3.0+' })).expression).toBe('GPL-3.0-or-later')
  })

  it('lets GPL-2.0-or-later through GPL-3.0-only (GPL-2.0 may be chosen), not through GPL-2.0-only and GPL-3.0-only', () => {
    expect(verdict({ licenseExpression: 'GPL-2.0-or-later' })).toBe('allowed')
    expect(verdict({ licenseExpression: 'GPL-2.0-or-later' }, ['GPL-2.0-only', 'GPL-3.0-only'])).toBe('denied')
    // A -or-later entry of license-deny refuses that version and every later one.
    expect(verdict({ licenseExpression: 'GPL-3.0-only' }, ['GPL-2.0-or-later'])).toBe('denied')
    expect(verdict({ licenseExpression: 'LGPL-2.1-only' }, ['LGPL-2.0-or-later'])).toBe('denied')
    expect(verdict({ licenseExpression: 'GPL-1.0-only' }, ['GPL-2.0-or-later'])).toBe('allowed')
  })

  it('reads GNU licenses named in words as their SPDX ids', () => {
    for (const [name, id] of [
      ['GNU GPL v3', 'GPL-3.0-only'],
      ['GPL-3', 'GPL-3.0-only'],
      ['GPL v3', 'GPL-3.0-only'],
      ['GNU General Public License v3.0', 'GPL-3.0-only'],
      ['GPL v2 or later', 'GPL-2.0-or-later'],
      ['GNU Lesser General Public License v2.1 or later', 'LGPL-2.1-or-later'],
      ['LGPL 3', 'LGPL-3.0-only'],
      ['AGPLv3', 'AGPL-3.0-only']
    ])
      expect([name, gnuFromName(name)]).toEqual([name, id])
    for (const other of ['GPL-compatible', 'dual MIT/GPL', 'GPL 4', 'MIT']) expect([other, gnuFromName(other)]).toEqual([other, undefined])
    expect(verdict({ license: 'GNU GPL v3' })).toBe('denied')
    expect(verdict({ license: 'GPL-3' })).toBe('denied')
  })

  it('cannot tell for the GPL classifier without a version: it may be GPL-3.0', () => {
    const generic = md({ classifiers: ['License :: OSI Approved :: GNU General Public License (GPL)'] })
    expect(licenseOf(generic)).toEqual({
      expression: '',
      names: ['GNU General Public License (GPL)'],
      source: 'classifiers',
      family: ['GPL-1.0-only', 'GPL-2.0-only', 'GPL-3.0-only']
    })
    expect(denyVerdict(licenseOf(generic), deny)).toBe('undecided')
    expect(denyVerdict(licenseOf(generic), ['GPL-1.0-or-later'])).toBe('denied')
    expect(denyVerdict(licenseOf(generic), ['AGPL-3.0-only'])).toBe('allowed')
    expect(verdict({ license: 'GPL' })).toBe('undecided')
  })

  it('knows a family that no denied license belongs to: BSD License passes a GPL deny list', () => {
    expect(verdict({ classifiers: ['License :: OSI Approved :: BSD License'] })).toBe('allowed')
    expect(verdict({ classifiers: ['License :: OSI Approved :: BSD License'] }, ['BSD-4-Clause'])).toBe('undecided')
    expect(verdict({ classifiers: ['License :: OSI Approved :: Apache Software License'] })).toBe('allowed')
  })

  it('reads a License field that holds a full license text', () => {
    const gpl3 =
      '                    GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007\n\n Copyright (C) 2007 Free Software Foundation'
    expect(licenseOf(md({ license: gpl3 })).expression).toBe('GPL-3.0-only')
    expect(verdict({ license: gpl3 })).toBe('denied')
    expect(licenseFromText('Permission is hereby granted, free of charge, to any person obtaining a copy of this software')).toBe('MIT')
    expect(licenseFromText('Redistribution and use in source and binary forms, with or without ... Neither the name of')).toBe('BSD-3-Clause')
  })

  it('falls back to the license texts a distribution ships when its metadata says nothing', () => {
    const l = licenseOf(md({}), [{ text: 'GNU AFFERO GENERAL PUBLIC LICENSE\n  Version 3, 19 November 2007' }])
    expect(l).toEqual({ expression: 'AGPL-3.0-only', names: [], source: 'license text' })
    expect(denyVerdict(l, deny)).toBe('denied')
  })

  it('cannot tell for an invalid expression or an unknown license', () => {
    expect(verdict({ licenseExpression: 'GPL-3.0-only OR' })).toBe('undecided')
    expect(verdict({ license: 'Proprietary, see the vendor' })).toBe('undecided')
    expect(verdict({})).toBe('undecided')
    expect(verdict({ classifiers: ['License :: Other/Proprietary License'] })).toBe('undecided')
    // Without license-deny, nothing is refused.
    expect(verdict({}, [])).toBe('allowed')
  })

  it('reads `+` of any id as its later versions that SPDX knows', () => {
    expect(choicesOf('MPL-1.1+')).toEqual(['MPL-1.1', 'MPL-2.0'])
    expect(choicesOf('GPL-2.0+')).toEqual(['GPL-2.0-only', 'GPL-3.0-only'])
    expect(choicesOf('LGPL-2.0-or-later')).toEqual(['LGPL-2.0-only', 'LGPL-2.1-only', 'LGPL-3.0-only'])
    expect(choicesOf('MIT')).toEqual(['MIT'])
  })
})
