/**
 * The inputs of the build stage: which builder and release, the project's
 * .spec file or the entry points, and what shapes a generated spec (mode,
 * icon, imports, collected packages, data, UPX, strip, compression), the
 * archives' name and version.
 */
import {
  type BuilderName,
  BUILDERS,
  type CollectKind,
  type CollectRule,
  type Config,
  DEFAULT_COMPRESSION_LEVEL,
  DEFAULT_NUITKA_VERSION,
  DEFAULT_PYINSTALLER_VERSION,
  type EntryPoint,
  type EntrypointOrigin
} from '../config.js'
import { excerpt, InputError } from '../errors.js'
import { readHead } from '../files.js'
import { entrypointsFromLines, entrypointsFromProject } from '../freeze/entrypoints.js'
import { iconProblem } from '../freeze/icon.js'
import { findMainModules, mainEntrypoint } from '../main-module.js'
import { normalizeName, scriptsAreStatic } from '../pyproject.js'
import { inputLines, inputList } from '../words.js'
import { readBuilderArgs } from './builder-args.js'
import { readDataLine, readProjectPath } from './project-paths.js'
import type { InputContext } from './context.js'
import { GENERATED_SPEC_INPUTS, type InputReader } from './names.js'
import { NAME, parseBoolean } from './values.js'

export type BuildInputs = Pick<
  Config,
  | 'builder'
  | 'builderRequirement'
  | 'spec'
  | 'entrypoints'
  | 'entrypointsFrom'
  | 'builderArgs'
  | 'hooksDirs'
  | 'runtimeHooks'
  | 'onefile'
  | 'onedir'
  | 'icon'
  | 'hiddenImports'
  | 'collect'
  | 'addData'
  | 'excludeModules'
  | 'upx'
  | 'strip'
  | 'compressionLevel'
  | 'name'
  | 'version'
>

const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+!_-]*$/
const SPECIFIER = '(?:==|>=|<=|~=|!=|<|>)\\s*\\d[\\w.*+!-]*'
const BUILDER_VERSION = new RegExp(`^(?:\\d[\\w.+!-]*|${SPECIFIER}(?:\\s*,\\s*${SPECIFIER})*)$`)

export function readBuildInputs(context: InputContext): BuildInputs {
  const { get, project, projectDir, inProject, exists } = context
  const name = get('name').trim()
  if (name && !NAME.test(name))
    throw new InputError('name', `'${name}' is not a usable file name.`, 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.')

  const { builder, builderRequirement } = readBuilder(get)

  const specInput = get('spec').trim()
  let spec = ''
  let entrypoints: EntryPoint[] = []
  let entrypointsFrom: EntrypointOrigin = 'spec'
  if (specInput) {
    if (builder === 'nuitka')
      throw new InputError(
        'spec',
        `is a PyInstaller .spec file (${specInput}), and builder is nuitka, which has no spec files.`,
        'Remove spec and give entrypoint lines (or let the action read [project.scripts]), or set builder: pyinstaller.'
      )
    if (!specInput.endsWith('.spec'))
      throw new InputError('spec', `'${specInput}' is not a .spec file.`, 'Give the path of the PyInstaller .spec file, relative to project-path.')
    spec = inProject('spec', specInput, 'the PyInstaller .spec file')
    const refused = GENERATED_SPEC_INPUTS.find((input) => get(input).trim() !== '' && !(isBoolean(input) && parseBoolean(input, get(input)) === false))
    if (refused)
      throw new InputError(
        refused,
        `shapes the spec the action generates from entry points, but spec is set (${specInput}), so it would have no effect.`,
        'Make the change in your .spec file, or remove spec.'
      )
  } else {
    const lines = inputLines(get('entrypoint'))
    if (lines.length) {
      entrypoints = entrypointsFromLines(lines, project, name)
      entrypointsFrom = 'entrypoint'
    } else if (scriptsAreStatic(project)) {
      // pyproject.toml says what the scripts are: read them (or fail) now. Otherwise only the built distribution
      // knows (setup.py, setup.cfg, Poetry, dynamic scripts): the install stage reads them (project.ts).
      const none = !Object.keys(project.scripts).length && !Object.keys(project.guiScripts).length
      const hint = none ? mainEntrypoint(findMainModules(projectDir), project.name ? normalizeName(project.name) : '') : undefined
      entrypoints = entrypointsFromProject(project, name, hint)
      entrypointsFrom = 'pyproject'
    } else entrypointsFrom = 'distribution'
    for (const e of entrypoints) if (e.target.kind === 'script') inProject('entrypoint', e.target.path, 'the script')
  }
  const { onefile, onedir } = parseMode(get('mode'))
  const iconInput = get('icon').trim()
  const icon = iconInput ? inProject('icon', iconInput, 'the icon file') : ''
  if (icon) {
    const problem = iconProblem(iconInput, readHead(icon, 8))
    if (problem) throw new InputError('icon', problem, 'Give a .ico file (Windows), a .icns file (macOS), or a .png (converted when Pillow is installed).')
  }
  const hiddenImports = inputList(get('hidden-imports')).map((m) => checkModule('hidden-imports', m))
  const excludeModules = inputList(get('exclude-modules')).map((m) => checkModule('exclude-modules', m))
  const collect = inputLines(get('collect')).map(parseCollect)
  const addData = inputLines(get('add-data')).map((line) => readDataLine(line, projectDir, exists))
  const hooksDirs = inputLines(get('hooks-dir')).map((line) =>
    readProjectPath('hooks-dir', line, projectDir, 'folder', 'a folder of PyInstaller hooks (hook-*.py)')
  )
  const runtimeHooks = inputLines(get('runtime-hooks')).map((line) => readProjectPath('runtime-hooks', line, projectDir, 'file', 'a runtime hook (a .py file)'))
  if (builder === 'nuitka') {
    const pyinstallerOnly = ['hooks-dir', 'runtime-hooks'].find((input) => get(input).trim())
    if (pyinstallerOnly)
      throw new InputError(
        pyinstallerOnly,
        'holds PyInstaller hooks, and builder is nuitka, which does not run them.',
        "Remove it, or set builder: pyinstaller; Nuitka's own package configuration goes in builder-args (--user-package-configuration-file=…)."
      )
  }
  const builderArgs = readBuilderArgs(inputLines(get('builder-args')), builder, spec !== '', projectDir, exists)
  const upx = parseBoolean('upx', get('upx'))
  const strip = parseBoolean('strip', get('strip'))
  const compressionLevel = parseCompressionLevel(get('compression-level'))

  const version = get('version').trim()
  if (version && !VERSION.test(version))
    throw new InputError('version', `'${version}' is not a usable version.`, "Use a version such as '1.2.3' (letters, digits, '.', '+', '!', '-', '_').")

  return {
    builder,
    builderRequirement,
    spec,
    entrypoints: Object.freeze(entrypoints),
    entrypointsFrom,
    builderArgs,
    hooksDirs: Object.freeze(hooksDirs),
    runtimeHooks: Object.freeze(runtimeHooks),
    onefile,
    onedir,
    icon,
    hiddenImports: Object.freeze(hiddenImports),
    collect: Object.freeze(collect),
    addData: Object.freeze(addData),
    excludeModules: Object.freeze(excludeModules),
    upx,
    strip,
    compressionLevel,
    name,
    version
  }
}

const BUILDER_VERSION_INPUTS: Readonly<Record<BuilderName, { input: string; fallback: string; example: string }>> = {
  pyinstaller: { input: 'pyinstaller-version', fallback: DEFAULT_PYINSTALLER_VERSION, example: '>=6.10,<7' },
  nuitka: { input: 'nuitka-version', fallback: DEFAULT_NUITKA_VERSION, example: '>=4.3,<5' }
}

/** `builder` and the requirement of the builder's release: the other builder's version input is refused, as it would do nothing. */
export function readBuilder(get: InputReader): { builder: BuilderName; builderRequirement: string } {
  const raw = get('builder').trim().toLowerCase() || 'pyinstaller'
  if (!BUILDERS.includes(raw as BuilderName)) throw new InputError('builder', `'${raw}' is not a builder.`, 'Write pyinstaller (the default) or nuitka.')
  const builder = raw as BuilderName
  for (const [other, { input }] of Object.entries(BUILDER_VERSION_INPUTS))
    if (other !== builder && get(input).trim())
      throw new InputError(input, `is set, but builder is ${builder}, so ${other} is not installed.`, `Remove ${input}, or set builder: ${other}.`)
  const { input, fallback, example } = BUILDER_VERSION_INPUTS[builder]
  const version = get(input).trim() || fallback
  if (!BUILDER_VERSION.test(version))
    throw new InputError(
      input,
      `'${version}' is not a version or version specifier.`,
      `Give a version such as '${fallback}' or a specifier such as '${example}'.`
    )
  return { builder, builderRequirement: /^\d/.test(version) ? `${builder}==${version}` : `${builder}${version.replace(/\s+/g, '')}` }
}

const BOOLEANS = ['upx', 'strip']
const isBoolean = (input: string): boolean => BOOLEANS.includes(input)

/** `mode`: onefile, onedir, or both (the default); 'onefile, onedir' means both too. */
export function parseMode(raw: string): { onefile: boolean; onedir: boolean } {
  const modes = inputList(raw.toLowerCase())
  if (!modes.length || modes.includes('both')) {
    if (modes.some((m) => m !== 'both')) throw new InputError('mode', `'${raw}' mixes both with another mode.`, 'Write onefile, onedir or both.')
    return { onefile: true, onedir: true }
  }
  const bad = modes.find((m) => m !== 'onefile' && m !== 'onedir')
  if (bad) throw new InputError('mode', `'${bad}' is not a build mode.`, 'Write onefile, onedir or both.')
  return { onefile: modes.includes('onefile'), onedir: modes.includes('onedir') }
}

const MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

function checkModule(input: string, value: string): string {
  if (!MODULE.test(value))
    throw new InputError(input, `'${value}' is not a module name.`, 'Give dotted module names such as uvicorn.logging, one a line or separated by commas.')
  return value
}

/** A `collect` line: `package` (everything), or `all:`, `submodules:` or `data:` before it. */
export function parseCollect(line: string): CollectRule {
  const m = /^(?:(all|submodules|data)\s*:\s*)?(\S+)$/.exec(line.trim())
  if (!m || !MODULE.test(m[2]))
    throw new InputError(
      'collect',
      `\`${line}\` is not [all|submodules|data:] package.`,
      'Write a package name (collects its submodules, data files and binaries), or submodules:package or data:package.'
    )
  return Object.freeze({ kind: (m[1] ?? 'all') as CollectKind, package: m[2] })
}

/** `compression-level`: a whole number from 0 to 9 ('' is the default). */
export function parseCompressionLevel(raw: string): number {
  const value = raw.trim()
  if (!value) return DEFAULT_COMPRESSION_LEVEL
  if (!/^[0-9]$/.test(value))
    throw new InputError(
      'compression-level',
      `'${excerpt(value, 40)}' is not a compression level from 0 to 9.`,
      `Write a whole number from 0 (no compression: fastest to pack, largest) to 9 (smallest, slowest); the default ${DEFAULT_COMPRESSION_LEVEL} packs a one-file build in half the time of 9 for a file under 1 % larger.`
    )
  return Number(value)
}
