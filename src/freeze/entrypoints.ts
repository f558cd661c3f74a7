/**
 * Entry points: what each executable runs. From the `entrypoint` input
 * (`[name =] module:function | script.py [(windowed)]`, one a line) or, when
 * neither `spec` nor `entrypoint` is set, from [project.scripts] and
 * [project.gui-scripts] in pyproject.toml, or else from console_scripts and
 * gui_scripts of the distribution the install stage installed.
 */
import * as path from 'node:path'
import { InputError } from '../errors.js'
import type { EntryPoint, ProjectFacts, Target } from '../config.js'
import { firstCollision } from '../unique.js'

export const EXECUTABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*'
const FUNCTION_TARGET = new RegExp(`^(${IDENTIFIER}(?:\\.${IDENTIFIER})*):(${IDENTIFIER}(?:\\.${IDENTIFIER})*)$`)
const LINE = /^(?:([^=\s]+)\s*=\s*)?(.+?)(?:\s*\((windowed|console)\))?$/

const ENTRY_FIX = 'Write each line as `name = package.module:function` or `name = path/to/script.py`, optionally followed by (windowed).'

/** Parses `module:function` (an entry point object reference, extras ignored) or a script path. */
export function parseTarget(text: string): Target | undefined {
  const value = text.replace(/\s*\[[^\]]*\]\s*$/, '').trim()
  const fn = FUNCTION_TARGET.exec(value)
  if (fn) return { kind: 'function', module: fn[1], attr: fn[2] }
  if (/\.pyw?$/i.test(value) && !/[\0\n]/.test(value)) return { kind: 'script', path: value }
  return undefined
}

/** One `entrypoint` line; `name` is undefined when the line gives none. */
export function parseEntrypointLine(line: string): { name?: string; target: Target; windowed: boolean } {
  const m = LINE.exec(line.trim())
  const target = m ? parseTarget(m[2]) : undefined
  if (!m || !target) throw new InputError('entrypoint', `\`${line}\` is neither module:function nor a .py script path.`, ENTRY_FIX)
  if (m[1] !== undefined && !EXECUTABLE_NAME.test(m[1]))
    throw new InputError('entrypoint', `'${m[1]}' in \`${line}\` is not a usable executable name.`, 'Use letters, digits, dots, dashes and underscores.')
  return { name: m[1], target, windowed: m[3] === 'windowed' }
}

/** The name an unnamed entry point gets. */
export function defaultName(target: Target, project: ProjectFacts, nameInput: string, single: boolean): string {
  if (single && nameInput) return nameInput
  if (target.kind === 'script') return path.basename(target.path).replace(/\.pyw?$/i, '')
  const ref = `${target.module}:${target.attr}`
  const fromProject = Object.entries({ ...project.scripts, ...project.guiScripts }).find(([, v]) => v.replace(/\s*\[.*$/, '').trim() === ref)
  if (fromProject) return fromProject[0]
  return target.module.split('.').pop() as string
}

/** Entry points from the `entrypoint` input lines. */
export function entrypointsFromLines(lines: readonly string[], project: ProjectFacts, nameInput: string): EntryPoint[] {
  const entries = lines.map((line) => {
    const parsed = parseEntrypointLine(line)
    const name = parsed.name ?? defaultName(parsed.target, project, nameInput, lines.length === 1)
    return { name, target: parsed.target, windowed: parsed.windowed, source: `entrypoint \`${line}\`` }
  })
  return checkUnique(entries, 'entrypoint')
}

/** A project's script tables, and how messages name them and where they were read. */
export interface ScriptTables {
  /** Executable name → `module:function`. */
  readonly console: Readonly<Record<string, string>>
  readonly gui: Readonly<Record<string, string>>
  /** `[project.scripts]`, or `console_scripts`. */
  readonly consoleTable: string
  /** `[project.gui-scripts]`, or `gui_scripts`. */
  readonly guiTable: string
  /** Where they were read: `pyproject.toml`, or the installed distribution's entry_points.txt. */
  readonly file: string
  /** Where a bad entry is fixed. */
  readonly fixIn: string
}

/** [project.scripts] and [project.gui-scripts] of pyproject.toml. */
export function pyprojectScripts(project: ProjectFacts): ScriptTables {
  return {
    console: project.scripts,
    gui: project.guiScripts,
    consoleTable: '[project.scripts]',
    guiTable: '[project.gui-scripts]',
    file: 'pyproject.toml',
    fixIn: 'pyproject.toml'
  }
}

/** console_scripts and gui_scripts of an installed distribution's entry_points.txt; `kind` says what made it ('setup.py project'). */
export function distributionScripts(scripts: Readonly<Record<string, string>>, guiScripts: Readonly<Record<string, string>>, kind: string): ScriptTables {
  return {
    console: scripts,
    gui: guiScripts,
    consoleTable: 'console_scripts',
    guiTable: 'gui_scripts',
    file: `the installed distribution's entry_points.txt (${kind})`,
    fixIn: 'the project where it declares its scripts (setup.py, setup.cfg, [tool.poetry.scripts], …)'
  }
}

/** Entry points from [project.scripts] (console) and [project.gui-scripts] (windowed); `name` picks one. */
export function entrypointsFromProject(project: ProjectFacts, nameInput: string, hint?: MainHint): EntryPoint[] {
  return entrypointsFromScripts(pyprojectScripts(project), nameInput, hint)
}

/** The `entrypoint` line a project's `__main__` module suggests, and the file it was read from. */
export interface MainHint {
  readonly line: string
  readonly file: string
}

/** The error when a project declares no scripts: names the inputs to set, with the line that builds its `__main__` module when it has one. */
export function noScriptsError(tables: ScriptTables, hint: MainHint | undefined): InputError {
  return new InputError(
    'entrypoint',
    `is not set, nor is spec, and ${tables.file} has no ${tables.consoleTable} or ${tables.guiTable} to build from.`,
    hint
      ? `Set entrypoint to what its __main__ module (${hint.file}) runs: \`entrypoint: ${hint.line}\`, or spec (a PyInstaller .spec file).`
      : 'Set entrypoint (e.g. `mytool = mypackage.cli:main`), or spec (a PyInstaller .spec file).'
  )
}

/** Entry points from a project's script tables (console, then GUI: windowed); `name` picks one. */
export function entrypointsFromScripts(tables: ScriptTables, nameInput: string, hint?: MainHint): EntryPoint[] {
  const all: EntryPoint[] = []
  const add = (table: Readonly<Record<string, string>>, windowed: boolean, where: string): void => {
    for (const [name, ref] of Object.entries(table)) {
      const target = parseTarget(ref)
      if (!target || target.kind !== 'function' || !EXECUTABLE_NAME.test(name))
        throw new InputError(
          'entrypoint',
          `${where} entry \`${name} = "${ref}"\` in ${tables.file} is not an executable name and module:function.`,
          `Fix it in ${tables.fixIn}, or set entrypoint.`
        )
      all.push({ name, target, windowed, source: `${where} ${name} in ${tables.file}` })
    }
  }
  add(tables.console, false, tables.consoleTable)
  add(tables.gui, true, tables.guiTable)
  if (!all.length) throw noScriptsError(tables, hint)
  checkUnique(all, 'entrypoint', `Rename one of them in ${tables.fixIn}, or set entrypoint.`)
  if (!nameInput) return all
  const picked = all.filter((e) => e.name === nameInput)
  if (!picked.length)
    throw new InputError(
      'name',
      `${tables.file} has no ${tables.consoleTable} or ${tables.guiTable} entry named '${nameInput}'; it has: ${all.map((e) => e.name).join(', ')}.`,
      'Give one of those, or leave name empty to build them all.'
    )
  return picked
}

function checkUnique(entries: EntryPoint[], input: string, fix = 'Give each line its own name: `name = module:function`.'): EntryPoint[] {
  const clash = firstCollision(entries, (e) => e.name.toLowerCase())
  if (clash) throw new InputError(input, `two entry points are named '${clash[1].name}'.`, fix)
  return entries
}

/** `module:function` or the script path, for messages. */
export function describeTarget(target: Target): string {
  return target.kind === 'function' ? `${target.module}:${target.attr}` : target.path
}

/** The wrapper script PyInstaller analyses for a `module:function` entry point. */
export function wrapperScript(target: Extract<Target, { kind: 'function' }>): string {
  const [head, ...rest] = target.attr.split('.')
  const call = [head, ...rest].join('.')
  return [
    `# Generated by build-standalone: runs ${target.module}:${target.attr}`,
    'import sys',
    `from ${target.module} import ${head}`,
    '',
    "if __name__ == '__main__':",
    `    sys.exit(${call}())`,
    ''
  ].join('\n')
}

/**
 * A Python program that checks, in the build venv, that every `module:function`
 * exists: the module is importable and defines the name at its top level
 * (read from its source, without running it). Prints a JSON list of problems.
 */
export const CHECK_ENTRYPOINTS_SCRIPT = `
import ast, importlib.util, json, sys
problems = []
for ref in sys.argv[1:]:
    module, _, attr = ref.partition(':')
    try:
        spec = importlib.util.find_spec(module)
    except Exception as e:
        problems.append({'ref': ref, 'problem': 'module', 'detail': '%s: %s' % (type(e).__name__, e)})
        continue
    if spec is None:
        problems.append({'ref': ref, 'problem': 'module', 'detail': ''})
        continue
    head = attr.split('.')[0]
    origin = spec.origin or ''
    if not origin.endswith('.py'):
        continue
    names = set()
    try:
        tree = ast.parse(open(origin, 'rb').read())
    except SyntaxError as e:
        problems.append({'ref': ref, 'problem': 'syntax', 'detail': str(e)})
        continue
    def collect(body):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    names.update(n.id for n in ast.walk(t) if isinstance(n, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split('.')[0] for a in node.names)
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                # definitions under if/try/with (platform switches, optional imports) count
                for part in ('body', 'orelse', 'finalbody'):
                    collect(getattr(node, part, []))
                for handler in getattr(node, 'handlers', []):
                    collect(handler.body)
    collect(tree.body)
    if '__getattr__' in names:
        continue  # a module-level __getattr__ (PEP 562) can provide any name
    if head not in names and origin.endswith('__init__.py'):
        try:
            if importlib.util.find_spec(module + '.' + head) is not None:
                continue  # package:submodule.function
        except Exception:
            pass
    if head not in names:
        problems.append({'ref': ref, 'problem': 'attr', 'detail': origin})
print(json.dumps(problems))
`

export interface EntrypointProblem {
  readonly ref: string
  readonly problem: 'module' | 'attr' | 'syntax'
  readonly detail: string
}

/** The error for the first problem the check found. */
export function entrypointError(problems: readonly EntrypointProblem[], entries: readonly EntryPoint[]): InputError | undefined {
  const p = problems[0]
  if (!p) return undefined
  const entry = entries.find((e) => describeTarget(e.target) === p.ref)
  const where = entry ? entry.source : p.ref
  const [module, attr] = p.ref.split(':')
  if (p.problem === 'module')
    return new InputError(
      'entrypoint',
      `the module '${module}' of ${where} cannot be found in the build environment${p.detail ? ` (${p.detail})` : ''}.`,
      'Check the module path: it must be importable once the project is installed.'
    )
  if (p.problem === 'syntax') return new InputError('entrypoint', `the module '${module}' of ${where} has a syntax error: ${p.detail}.`, 'Fix the module.')
  return new InputError(
    'entrypoint',
    `the module '${module}' of ${where} defines no '${attr.split('.')[0]}' (${p.detail}).`,
    'Check the function name after the colon.'
  )
}
