/**
 * A package's `__main__` module (what `python -m package` runs), read to say
 * which function an entry point should name when a project declares no
 * scripts: `from .cli import main` then `main()` under the `__name__` guard
 * names `package.cli:main`. Read from the source text, never run.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { readHead } from './files.js'

export interface MainModule {
  /** The top-level package, e.g. `legacytool`. */
  readonly package: string
  /** The text of its `__main__.py` (its first 64 KiB). */
  readonly source: string
}

/** The most of a `__main__.py` that is read. */
export const MAIN_SOURCE_BYTES = 64 * 1024

const ID = '[A-Za-z_][A-Za-z0-9_]*'
const DOTTED = `${ID}(?:\\.${ID})*`
const IDENTIFIER = new RegExp(`^${ID}$`)

/** `from .cli import x` in package `pkg`'s __main__ → `pkg.cli`; undefined when it climbs above the package. */
function absoluteModule(pkg: string, written: string): string | undefined {
  const dots = /^\.*/.exec(written)![0].length
  if (!dots) return written
  const base = pkg.split('.')
  if (dots > base.length) return undefined
  const parent = base.slice(0, base.length - dots + 1)
  const rest = written.slice(dots)
  return [...parent, ...(rest ? [rest] : [])].join('.')
}

/**
 * The `module:function` that package `pkg`'s `__main__.py` runs: the last
 * call without arguments at the start of a line (`main()`,
 * `sys.exit(main())`, `raise SystemExit(cli.run())`), of a function it
 * defines or imports from the package. Undefined when there is none it can
 * follow (code at the top level, a call with arguments, a function of another
 * distribution).
 */
export function mainTarget(main: MainModule): string | undefined {
  const pkg = main.package
  const text = main.source
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, ''))
    .join('\n')
    // `from x import (a,\n b)` on one line
    .replace(/^(\s*from\s+\S+\s+import\s*)\(([^)]*)\)/gm, (_m, head: string, names: string) => `${head}${names.replace(/\s+/g, ' ')}`)
  const defined = new Set([...text.matchAll(new RegExp(`^(?:async\\s+)?def\\s+(${ID})\\s*\\(`, 'gm'))].map((m) => m[1]))
  /** local name → the module it is, or the module and the name it comes from. */
  const names = new Map<string, { module: string; attr?: string }>()
  for (const m of text.matchAll(new RegExp(`^\\s*from\\s+(\\.*(?:${DOTTED})?)\\s+import\\s+(.+)$`, 'gm'))) {
    const module = absoluteModule(pkg, m[1])
    if (!module) continue
    for (const part of m[2].split(',')) {
      const im = new RegExp(`^\\s*(${ID})(?:\\s+as\\s+(${ID}))?\\s*$`).exec(part)
      if (im) names.set(im[2] ?? im[1], { module, attr: im[1] })
    }
  }
  for (const m of text.matchAll(/^\s*import\s+(.+)$/gm))
    for (const part of m[1].split(',')) {
      const im = new RegExp(`^\\s*(${DOTTED})(?:\\s+as\\s+(${ID}))?\\s*$`).exec(part)
      if (im) names.set(im[2] ?? im[1], { module: im[1] })
    }
  const calls = [...text.matchAll(new RegExp(`^\\s*(?:(?:sys\\.)?exit\\(|raise\\s+SystemExit\\(|return\\s+)?\\s*(${DOTTED})\\(\\s*\\)\\s*\\)?\\s*$`, 'gm'))]
  for (const call of calls.reverse()) {
    const target = resolveCall(pkg, call[1], defined, names)
    if (target) return target
  }
  return undefined
}

function resolveCall(pkg: string, called: string, defined: Set<string>, names: Map<string, { module: string; attr?: string }>): string | undefined {
  const parts = called.split('.')
  let target: string | undefined
  if (parts.length === 1 && defined.has(called)) target = `${pkg}.__main__:${called}`
  else {
    // the longest imported name the call starts with: `pkg.cli.main()` after `import pkg.cli`
    for (let i = parts.length - 1; i >= 1 && !target; i--) {
      const known = names.get(parts.slice(0, i).join('.'))
      if (!known) continue
      const rest = parts.slice(i).join('.')
      if (known.attr === undefined) target = `${known.module}:${rest}`
      else if (known.module === pkg)
        target = `${pkg}.${known.attr}:${rest}` // `from . import cli` then `cli.main()`
      else target = `${known.module}:${[known.attr, rest].join('.')}`
    }
    const only = names.get(called)
    if (!target && only?.attr !== undefined) target = `${only.module}:${only.attr}`
  }
  if (!target) return undefined
  // Only a function of the project's own package: `sys.exit()` or another distribution's function is no entry point of it.
  const module = target.split(':')[0]
  const top = pkg.split('.')[0]
  return module === top || module.startsWith(`${top}.`) ? target : undefined
}

/** The `__main__.py` of the project's own top-level packages in its source tree (`pkg/` or `src/pkg/`). */
export function findMainModules(projectDir: string): MainModule[] {
  const found: MainModule[] = []
  for (const base of [projectDir, path.join(projectDir, 'src')]) {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(base, { withFileTypes: true })
    } catch {
      continue
    }
    for (const d of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!d.isDirectory() || !IDENTIFIER.test(d.name)) continue
      const file = path.join(base, d.name, '__main__.py')
      if (!fs.existsSync(path.join(base, d.name, '__init__.py')) || !isFile(file)) continue
      found.push({ package: d.name, source: Buffer.from(readHead(file, MAIN_SOURCE_BYTES)).toString('utf8') })
    }
  }
  return found
}

// A link is not followed: what the project's tree links to is not the project's.
const isFile = (file: string): boolean => fs.lstatSync(file, { throwIfNoEntry: false })?.isFile() === true

/** The `entrypoint` line that builds the first package whose `__main__` names a function, and where it was read. */
export function mainEntrypoint(mains: readonly MainModule[], executable: string): { line: string; file: string } | undefined {
  for (const main of mains) {
    const target = mainTarget(main)
    if (target) return { line: `${executable || main.package} = ${target}`, file: `${main.package}/__main__.py` }
  }
  return undefined
}
