/** README's inputs and outputs tables are generated from action.yml and cannot drift from it. */
import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'

const root = path.resolve(import.meta.dirname, '..', '..')
const read = (f: string): string => fs.readFileSync(path.join(root, f), 'utf8')
type Render = (readme: string, actionYml: string) => string
const { render } = (await import(path.join(root, 'scripts', 'readme-tables.mjs'))) as { render: Render }

describe('README tables', () => {
  it('match action.yml (run `node scripts/readme-tables.mjs` after changing an input)', () => {
    expect(render(read('README.md'), read('action.yml'))).toBe(read('README.md'))
  })

  it('list every input and output of action.yml', () => {
    const action = parse(read('action.yml')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> }
    const readme = read('README.md')
    for (const name of Object.keys(action.inputs)) expect(readme).toContain(`| \`${name}\` |`)
    for (const name of Object.keys(action.outputs)) expect(readme).toContain(`| \`${name}\` |`)
  })

  it('change when an input description changes', () => {
    const changed = read('action.yml').replace("description: 'Seconds each smoke-test command", "description: 'Whole seconds each smoke-test command")
    expect(render(read('README.md'), changed)).toContain('| `smoke-timeout` | `60` | Whole seconds each smoke-test command')
  })
})
