// Writes the inputs and outputs tables of README.md from action.yml (between
// the <!-- inputs --> / <!-- outputs --> markers). `--check` fails when README
// is out of date instead (a unit test runs the same comparison).
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

const cell = (s) =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')

export function tables(actionYml) {
  const action = parse(actionYml)
  const inputs = [
    '| input | default | description |',
    '|---|---|---|',
    ...Object.entries(action.inputs).map(([name, i]) => `| \`${name}\` | ${i.default ? `\`${cell(i.default)}\`` : ''} | ${cell(i.description)} |`)
  ].join('\n')
  const outputs = [
    '| output | description |',
    '|---|---|',
    ...Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`)
  ].join('\n')
  return { inputs, outputs }
}

export function render(readme, actionYml) {
  const t = tables(actionYml)
  let out = readme
  for (const key of ['inputs', 'outputs']) {
    const re = new RegExp(`(<!-- ${key}:start -->)[\\s\\S]*?(<!-- ${key}:end -->)`)
    if (!re.test(out)) throw new Error(`README.md has no <!-- ${key}:start --> / <!-- ${key}:end --> markers`)
    out = out.replace(re, `$1\n${t[key]}\n$2`)
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readme = readFileSync('README.md', 'utf8')
  const fresh = render(readme, readFileSync('action.yml', 'utf8'))
  if (process.argv.includes('--check')) {
    if (fresh !== readme) {
      console.error('README.md tables differ from action.yml: run `node scripts/readme-tables.mjs`.')
      process.exit(1)
    }
  } else writeFileSync('README.md', fresh)
}
