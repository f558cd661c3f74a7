import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { cycles, fileGraph, folderGraph, importsOf } from '../import-graph.js'

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src')

/** A throw-away source tree: file path → its text. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-'))
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    fs.writeFileSync(path.join(root, name), text)
  }
  return root
}

describe('the import graph of src/', () => {
  it('has no cycle between folders (each file directly in src/ counts as a folder of its own)', () => {
    expect(cycles(folderGraph(SRC))).toEqual([])
  })

  it('has no cycle between files, inside a folder either', () => {
    expect(cycles(fileGraph(SRC))).toEqual([])
  })

  it('has the configuration types at the bottom: config.ts imports nothing of the project', () => {
    expect(importsOf(path.join(SRC, 'config.ts'))).toEqual([])
  })

  it('has no stage that imports the input parser', () => {
    const graph = folderGraph(SRC)
    const importers = [...graph].filter(([, to]) => to.has('inputs/')).map(([from]) => from)
    // main.ts runs the pipeline and cli-args.ts lists the input names for the command line; no stage does.
    expect(importers.sort()).toEqual(['cli-args.ts', 'main.ts'])
  })
})

describe('the cycle check (it really finds cycles)', () => {
  it('finds a cycle between two folders through a file in each', () => {
    const root = tree({
      'a/one.ts': "import { two } from '../b/two.js'\nexport const one = 1 + two\n",
      'b/two.ts': "import type { X } from '../a/types.js'\nexport const two = 2\n",
      'a/types.ts': 'export type X = number\n',
      'c.ts': "import { one } from './a/one.js'\n"
    })
    expect(cycles(folderGraph(root))).toEqual([['a/', 'b/']])
  })

  it('finds a cycle between a file in src/ and a folder; the file graph finds the one inside the folder too', () => {
    const root = tree({
      'inputs.ts': "import { f } from './freeze/index.js'\n",
      'freeze/index.ts': "import { g } from './plan.js'\nexport { readConfig } from '../inputs.js'\n",
      'freeze/plan.ts': "import { h } from './index.js'\n"
    })
    expect(cycles(folderGraph(root))).toEqual([['freeze/', 'inputs.ts']])
    expect(cycles(fileGraph(root))).toEqual([['freeze/index.ts', 'freeze/plan.ts', 'inputs.ts']])
  })

  it('finds a circle between files of one folder, through a type-only import, that the folder graph cannot see', () => {
    const root = tree({
      'main.ts': "import { build } from './freeze/index.js'\n",
      'freeze/index.ts': "import { one } from './one.js'\nexport type Build = { name: string }\n",
      'freeze/one.ts': "import type { Build } from './index.js'\nexport const one = (b: Build) => b\n",
      'freeze/two.ts': "import { one } from './one.js'\n"
    })
    expect(cycles(folderGraph(root))).toEqual([])
    expect(cycles(fileGraph(root))).toEqual([['freeze/index.ts', 'freeze/one.ts']])
  })
})
