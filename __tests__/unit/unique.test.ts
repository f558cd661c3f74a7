import { describe, expect, it } from '@jest/globals'
import { firstCollision } from '../../src/unique.js'

describe('firstCollision', () => {
  it('returns the first two items with the same key, earlier one first', () => {
    expect(firstCollision(['a.tar.gz', 'b.zip', 'c.tar.gz', 'd.zip'], (f) => f.split('.').pop() as string)).toEqual(['a.tar.gz', 'c.tar.gz'])
  })

  it('is undefined when every key is unique', () => {
    expect(firstCollision(['A', 'b'], (s) => s)).toBeUndefined()
    expect(firstCollision(['A', 'a'], (s) => s.toLowerCase())).toEqual(['A', 'a'])
  })
})
