/**
 * The inputs of the python and install stages: which Python, where a missing
 * one comes from, what of the project to install (extras, dependency groups,
 * requirements files), with which installer, from the lock or not, cached or
 * not.
 */
import * as path from 'node:path'
import { type Config, DEFAULT_PYTHON_VERSION, type InstallerName, INSTALLERS, LOCK_MODES, type LockMode, type ProjectFacts } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import { readInputFile } from '../input-files.js'
import { parsePyproject } from '../pyproject.js'
import { DEFAULT_MANIFEST_URL, urlProblem } from '../python-install.js'
import { parseSpec, specFromVersionFile } from '../python-spec.js'
import { inputLines, inputList } from '../words.js'
import type { InputContext } from './context.js'
import type { InputReader } from './names.js'
import { checkName, parseBoolean } from './values.js'

export type PythonInputs = Pick<
  Config,
  'pythonVersion' | 'pythonManifest' | 'extras' | 'dependencyGroups' | 'requirements' | 'installer' | 'lock' | 'cache' | 'toolCache'
>

export function readPythonInputs(context: InputContext): PythonInputs {
  const { get, env, project, inProject } = context
  const pythonVersion = readPythonVersion(get, project, (file) => inProject('python-version-file', file, 'the version file'))
  const pythonManifest = get('python-versions-manifest').trim() || DEFAULT_MANIFEST_URL
  const manifestProblem = urlProblem(pythonManifest)
  if (manifestProblem)
    throw new InputError(
      'python-versions-manifest',
      `'${excerpt(pythonManifest, 200)}' ${manifestProblem}.`,
      'Give the https:// URL of a versions-manifest.json in the format of actions/python-versions (http:// only on 127.0.0.1, localhost or [::1]).'
    )

  const extras = inputList(get('extras')).map((e) => checkName('extras', e))
  checkExtras(extras, project)
  const dependencyGroups = inputList(get('dependency-groups')).map((g) => checkName('dependency-groups', g))
  checkGroups(dependencyGroups, project)
  const requirements = inputLines(get('requirements')).map((r) => inProject('requirements', r, 'the requirements file'))

  const installerInput = get('installer').trim().toLowerCase() || 'uv'
  if (!INSTALLERS.includes(installerInput as InstallerName))
    throw new InputError('installer', `'${installerInput}' is not an installer.`, 'Write uv (the default) or pip.')
  const lockInput = get('lock').trim().toLowerCase() || 'auto'
  if (!LOCK_MODES.includes(lockInput as LockMode))
    throw new InputError(
      'lock',
      `'${excerpt(lockInput)}' is not auto or ignore.`,
      "Write auto (the default: install exactly what the project's uv.lock or pylock.toml pins) or ignore (resolve the dependencies afresh)."
    )
  const cache = get('cache').trim() === '' ? true : parseBoolean('cache', get('cache'))
  return {
    pythonVersion,
    pythonManifest,
    extras: Object.freeze(extras),
    dependencyGroups: Object.freeze(dependencyGroups),
    requirements: Object.freeze(requirements),
    installer: installerInput as InstallerName,
    lock: lockInput as LockMode,
    cache,
    toolCache: env.RUNNER_TOOL_CACHE || env.AGENT_TOOLSDIRECTORY || ''
  }
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

/** python-version, or the version python-version-file gives, or 3.11. */
function readPythonVersion(get: InputReader, project: ProjectFacts, resolveFile: (file: string) => string): string {
  const direct = get('python-version').trim()
  const fileInput = get('python-version-file').trim()
  if (direct && fileInput)
    throw new InputError(
      'python-version-file',
      `is set, and so is python-version (${direct}).`,
      'Set one of them: python-version-file reads .python-version or requires-python of pyproject.toml.'
    )
  let spec = direct || DEFAULT_PYTHON_VERSION
  let input = 'python-version'
  if (fileInput) {
    input = 'python-version-file'
    const file = resolveFile(fileInput)
    const fix = 'Point it at a .python-version file or a pyproject.toml with requires-python.'
    // A regular file of at most 1 MiB; its content is quoted only as a short, sanitized excerpt.
    const text = readInputFile(input, file, fix)
    try {
      spec = specFromVersionFile(path.basename(file), text, /\.toml$/i.test(file) ? readRequiresPython(text, project) : '')
    } catch (e) {
      throw new InputError(input, `${(e as Error).message}.`, fix)
    }
  }
  try {
    parseSpec(spec)
  } catch (e) {
    const detail = (e as Error).message.startsWith(`'${spec}' is not`) ? '' : ` (${(e as Error).message})`
    throw new InputError(
      input,
      `'${spec}' is not a Python version${detail}.`,
      "Give a version such as '3.11', '3.11.9', '3.x' or a specifier such as '>=3.10,<3.13'."
    )
  }
  return spec
}

function readRequiresPython(text: string, project: ProjectFacts): string {
  try {
    return parsePyproject(text).requiresPython
  } catch {
    return project.requiresPython
  }
}
