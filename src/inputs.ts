/**
 * Reads and validates every input once, into a frozen Config. A bad value
 * throws an InputError that names the input, the problem and the fix.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { InputError } from './errors.js'
import { NO_PYPROJECT, normalizeName, parsePyproject, PyprojectError, type ProjectFacts } from './pyproject.js'
import { inputLines, inputList, splitWords, SplitError } from './words.js'

/** The PyInstaller release installed when `pyinstaller-version` is not set. */
export const DEFAULT_PYINSTALLER_VERSION = '6.22.3'
export const DEFAULT_PYTHON_VERSION = '3.11'
export const DEFAULT_SMOKE_TIMEOUT_SECONDS = 60

/** Every input of action.yml (a test keeps the two in step). */
export const INPUT_NAMES: readonly string[] = Object.freeze([
  'python-version',
  'project-path',
  'extras',
  'dependency-groups',
  'requirements',
  'pyinstaller-version',
  'spec',
  'name',
  'version',
  'smoke-test',
  'smoke-timeout',
  'output-dir'
])

export interface SmokeCommand {
  /** The line as the user wrote it. */
  readonly line: string
  /** The arguments passed to the executable. */
  readonly args: readonly string[]
}

export interface Config {
  readonly pythonVersion: string
  /** Absolute path of the project (the folder with pyproject.toml). */
  readonly projectDir: string
  readonly project: ProjectFacts
  /** Normalized extra names. */
  readonly extras: readonly string[]
  /** Normalized PEP 735 group names. */
  readonly dependencyGroups: readonly string[]
  /** Absolute paths of requirements files. */
  readonly requirements: readonly string[]
  /** A pip requirement for PyInstaller, e.g. `pyinstaller==6.22.3`. */
  readonly pyinstallerRequirement: string
  /** Absolute path of the .spec file. */
  readonly spec: string
  /** Base name of the archives; '' means the executable's own name. */
  readonly name: string
  /** The version in archive names; '' means the project's. */
  readonly version: string
  readonly smokeTests: readonly SmokeCommand[]
  readonly smokeTimeoutSeconds: number
  /** Absolute folder that receives the archives and SHA256SUMS. */
  readonly outputDir: string
  /** Absolute folder under RUNNER_TEMP that the action owns and may wipe. */
  readonly workDir: string
  /** The runner's tool cache, '' when there is none. */
  readonly toolCache: string
  /** GITHUB_REF, '' outside a workflow. */
  readonly ref: string
}

/** Reads one input's raw value ('' when unset). */
export type InputReader = (name: string) => string

export interface Environment {
  readonly [name: string]: string | undefined
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const PYTHON_VERSION = /^\d+(\.(\d+|x)){0,2}$/
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+!_-]*$/
const SPECIFIER = '(?:==|>=|<=|~=|!=|<|>)\\s*\\d[\\w.*+!-]*'
const PYINSTALLER_VERSION = new RegExp(`^(?:\\d[\\w.+!-]*|${SPECIFIER}(?:\\s*,\\s*${SPECIFIER})*)$`)

export function readConfig(get: InputReader, env: Environment, exists: (p: string) => boolean = fs.existsSync): Config {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const runnerTemp = env.RUNNER_TEMP
  if (!runnerTemp)
    throw new InputError(
      'RUNNER_TEMP',
      'the environment variable is not set.',
      'Run the action on a GitHub runner, or use the command-line entry (dist/cli/index.js), which sets it.'
    )
  const workDir = path.resolve(runnerTemp, 'build-standalone')

  const pythonVersion = get('python-version').trim() || DEFAULT_PYTHON_VERSION
  if (!PYTHON_VERSION.test(pythonVersion))
    throw new InputError('python-version', `'${pythonVersion}' is not a Python version.`, "Give a version such as '3.11', '3.11.9' or '3.x'.")

  const projectInput = get('project-path').trim() || '.'
  const projectDir = path.resolve(workspace, projectInput)
  if (!exists(projectDir))
    throw new InputError(
      'project-path',
      `'${projectInput}' does not exist (looked for ${projectDir}).`,
      'Give the folder that holds pyproject.toml, relative to the workspace.'
    )
  const project = readProject(projectDir, exists)
  const inProject = (input: string, value: string, what: string): string => {
    const full = path.resolve(projectDir, value)
    if (!exists(full))
      throw new InputError(input, `${value} does not exist (looked for ${full}).`, `Give the path of ${what} relative to project-path (${projectInput}).`)
    return full
  }

  const extras = inputList(get('extras')).map((e) => checkName('extras', e))
  checkExtras(extras, project)
  const dependencyGroups = inputList(get('dependency-groups')).map((g) => checkName('dependency-groups', g))
  checkGroups(dependencyGroups, project)
  const requirements = inputLines(get('requirements')).map((r) => inProject('requirements', r, 'the requirements file'))

  const pyinstallerVersion = get('pyinstaller-version').trim() || DEFAULT_PYINSTALLER_VERSION
  if (!PYINSTALLER_VERSION.test(pyinstallerVersion))
    throw new InputError(
      'pyinstaller-version',
      `'${pyinstallerVersion}' is not a version or version specifier.`,
      `Give a version such as '${DEFAULT_PYINSTALLER_VERSION}' or a specifier such as '>=6.10,<7'.`
    )
  const pyinstallerRequirement = /^\d/.test(pyinstallerVersion) ? `pyinstaller==${pyinstallerVersion}` : `pyinstaller${pyinstallerVersion.replace(/\s+/g, '')}`

  const specInput = get('spec').trim()
  if (!specInput) throw new InputError('spec', 'is empty.', 'Give the path of the PyInstaller .spec file, relative to project-path.')
  if (!specInput.endsWith('.spec'))
    throw new InputError('spec', `'${specInput}' is not a .spec file.`, 'Give the path of the PyInstaller .spec file, relative to project-path.')
  const spec = inProject('spec', specInput, 'the PyInstaller .spec file')

  const name = get('name').trim()
  if (name && !NAME.test(name))
    throw new InputError('name', `'${name}' is not a usable file name.`, 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.')
  const version = get('version').trim()
  if (version && !VERSION.test(version))
    throw new InputError('version', `'${version}' is not a usable version.`, "Use a version such as '1.2.3' (letters, digits, '.', '+', '!', '-', '_').")

  const smokeTests = inputLines(get('smoke-test')).map((line) => {
    try {
      return Object.freeze({ line, args: Object.freeze(splitWords(line)) })
    } catch (e) {
      throw new InputError(
        'smoke-test',
        `the line \`${line}\` cannot be split into arguments: ${(e as SplitError).message}.`,
        'Close the quote or escape the character with a backslash.'
      )
    }
  })
  const smokeTimeoutSeconds = positiveNumber('smoke-timeout', get('smoke-timeout'), DEFAULT_SMOKE_TIMEOUT_SECONDS)

  const outputInput = get('output-dir').trim()
  const outputDir = outputInput ? path.resolve(workspace, outputInput) : path.join(workDir, 'out')

  return Object.freeze({
    pythonVersion,
    projectDir,
    project,
    extras: Object.freeze(extras),
    dependencyGroups: Object.freeze(dependencyGroups),
    requirements: Object.freeze(requirements),
    pyinstallerRequirement,
    spec,
    name,
    version,
    smokeTests: Object.freeze(smokeTests),
    smokeTimeoutSeconds,
    outputDir,
    workDir,
    toolCache: env.RUNNER_TOOL_CACHE || env.AGENT_TOOLSDIRECTORY || '',
    ref: env.GITHUB_REF || ''
  })
}

function readProject(projectDir: string, exists: (p: string) => boolean): ProjectFacts {
  const file = path.join(projectDir, 'pyproject.toml')
  if (!exists(file)) {
    if (exists(path.join(projectDir, 'setup.py')) || exists(path.join(projectDir, 'setup.cfg'))) return NO_PYPROJECT
    throw new InputError(
      'project-path',
      `${projectDir} has no pyproject.toml, setup.py or setup.cfg.`,
      'Point project-path at the folder of the Python project to build.'
    )
  }
  try {
    return parsePyproject(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    if (e instanceof PyprojectError) throw new InputError('project-path', `${file}: ${e.message}.`, 'Fix pyproject.toml.')
    throw new InputError('project-path', `${file} is not valid TOML: ${(e as Error).message.split('\n')[0]}.`, 'Fix pyproject.toml.')
  }
}

function checkName(input: string, value: string): string {
  if (!NAME.test(value))
    throw new InputError(
      input,
      `'${value}' is not a valid name.`,
      'Names use letters, digits, dots, dashes and underscores; give one a line or separate them with commas.'
    )
  return normalizeName(value)
}

/** An extra the project does not define fails, and says when a dependency group of that name exists instead. */
export function checkExtras(extras: readonly string[], project: ProjectFacts): void {
  // Without a [project] table (setup.cfg, setup.py or Poetry metadata) the extras are not known here.
  if (!project.hasProjectTable || project.dynamic.includes('optional-dependencies')) return
  for (const extra of extras) {
    if (project.extras.includes(extra)) continue
    const defined = project.extras.length ? `It defines: ${project.extras.join(', ')}.` : 'It defines no extras.'
    if (extra in project.dependencyGroups)
      throw new InputError(
        'extras',
        `the project defines no extra '${extra}', but it has a dependency group '${extra}' ([dependency-groups] in pyproject.toml).`,
        `Use \`dependency-groups: ${extra}\` instead of \`extras: ${extra}\`.`
      )
    throw new InputError(
      'extras',
      `the project defines no extra '${extra}' in [project.optional-dependencies]; pip would only warn and install without it. ${defined}`,
      'Remove it or use one the project defines.'
    )
  }
}

export function checkGroups(groups: readonly string[], project: ProjectFacts): void {
  for (const group of groups) {
    if (group in project.dependencyGroups) continue
    const defined = Object.keys(project.dependencyGroups)
    const hint = project.extras.includes(group)
      ? ` It has an extra '${group}': use \`extras: ${group}\` instead.`
      : defined.length
        ? ` It defines: ${defined.join(', ')}.`
        : ''
    throw new InputError(
      'dependency-groups',
      `the project defines no dependency group '${group}' in [dependency-groups] of pyproject.toml.${hint}`,
      project.extras.includes(group) ? '' : 'Remove it or use one the project defines.'
    )
  }
}

function positiveNumber(input: string, raw: string, fallback: number): number {
  const value = raw.trim()
  if (!value) return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new InputError(input, `'${value}' is not a positive number of seconds.`, `Give a number such as ${fallback}.`)
  return n
}
