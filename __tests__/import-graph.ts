/**
 * The import graph of src/, read with TypeScript's own pre-processor (not a
 * regex), at two levels: the one the layout promises (each folder of src/ is
 * one node, each file directly in src/ is a node of its own), and files (each
 * file is a node, so a circle between two files of one folder shows too).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import ts from 'typescript'

/** node → the nodes it imports (itself excluded). */
export type Graph = Map<string, Set<string>>

const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]))

/** The node a file belongs to: `freeze/` for src/freeze/spec.ts, `inputs.ts` for src/inputs.ts. */
export function nodeOf(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep)
  return rel.length > 1 ? `${rel[0]}/` : rel[0]
}

/** The project-relative imports of one file, as absolute .ts paths. */
export function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true)
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.resolve(path.dirname(file), name).replace(/\.js$/, '.ts'))
}

/** The graph of `root`'s .ts files, each file named by `node` (its folder, or its own relative path). */
function graph(root: string, node: (root: string, file: string) => string): Graph {
  const graph: Graph = new Map()
  for (const file of walk(root).filter((f) => f.endsWith('.ts'))) {
    const from = node(root, file)
    const edges = graph.get(from) ?? new Set<string>()
    graph.set(from, edges)
    for (const target of importsOf(file)) {
      const to = node(root, target)
      if (to !== from) edges.add(to)
    }
  }
  return graph
}

/** Folders of `root` (and the files directly in it) as nodes. */
export const folderGraph = (root: string): Graph => graph(root, nodeOf)

/** Every file as a node, named by its path relative to `root` with `/` (`freeze/spec.ts`). */
export const fileGraph = (root: string): Graph => graph(root, (r, file) => path.relative(r, file).split(path.sep).join('/'))

/** Every cycle's nodes (strongly connected components of more than one node), by Tarjan's algorithm. */
export function cycles(graph: Graph): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}
