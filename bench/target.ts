/**
 * What the bench builds: the project's spec file, or one console script of its [project.scripts] built one-file
 * from its entry point alone, as a user without a spec would.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseTarget, wrapperScript } from '../src/freeze/entrypoints.js'
import { parsePyproject } from '../src/pyproject.js'
import type { Options } from './options.js'
import { usageError } from './options.js'

export type Target =
  | { readonly kind: 'spec'; readonly spec: string }
  | {
      readonly kind: 'entry'
      /** The executable's name: the console script's. */
      readonly name: string
      /** `module:function`. */
      readonly ref: string
      /** The module's top-level package: its data files are what `--collect-data` must add. */
      readonly topPackage: string
      /** The script PyInstaller starts from: the action's own wrapper for that entry point. */
      readonly wrapper: string
    }

/** The target of `opts` in `projectDir`; a usage error when the spec or the entry point is not there. */
export function benchTarget(opts: Pick<Options, 'spec' | 'entry'>, projectDir: string): Target {
  if (opts.spec) {
    const spec = path.resolve(projectDir, opts.spec)
    if (!fs.existsSync(spec)) usageError(`${spec} does not exist`)
    return { kind: 'spec', spec }
  }
  const pyproject = path.join(projectDir, 'pyproject.toml')
  const scripts = parsePyproject(fs.readFileSync(pyproject, 'utf8')).scripts
  const names = Object.keys(scripts)
  if (!names.length) usageError(`${pyproject} has no [project.scripts] entry to build; give --spec`)
  const name = opts.entry || names[0]
  if (!Object.hasOwn(scripts, name)) usageError(`--entry ${name}: ${pyproject} has no such [project.scripts] entry (it has ${names.join(', ')})`)
  const target = parseTarget(scripts[name])
  if (target?.kind !== 'function') usageError(`[project.scripts] ${name} = '${scripts[name]}' is not 'module:function'`)
  return { kind: 'entry', name, ref: scripts[name], topPackage: target.module.split('.')[0], wrapper: wrapperScript(target) }
}

/**
 * PyInstaller's arguments after `pyinstaller --noconfirm --distpath … --workpath …` for the hand-written build: the
 * spec, or `--onefile` with PyInstaller's defaults plus `--collect-data` of the project's package — the one option a
 * project with data files cannot do without (the action collects them itself) — on the wrapper written into `dir`.
 */
export function plainBuildArgs(target: Target, dir: string): string[] {
  if (target.kind === 'spec') return [target.spec]
  const script = path.join(dir, `${target.name}-entry.py`)
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(script, target.wrapper)
  return ['--onefile', '--name', target.name, '--collect-data', target.topPackage, '--specpath', dir, script]
}
