/**
 * What every group of inputs reads against: the workspace, RUNNER_TEMP, the
 * action's work folder, and the project (project-path and its
 * pyproject.toml), with the rule that a path input names a file inside the
 * project.
 */
import * as path from 'node:path'
import type { ProjectFacts } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import { expectFile, readInputFile, resolveInside, type Root } from '../input-files.js'
import { NO_PYPROJECT, parsePyproject, PyprojectError } from '../pyproject.js'
import type { Environment, InputReader } from './names.js'

export interface InputContext {
  readonly get: InputReader
  readonly env: Environment
  readonly exists: (p: string) => boolean
  /** Absolute GITHUB_WORKSPACE (or the current folder). */
  readonly workspace: string
  readonly runnerTemp: string
  /** RUNNER_TEMP/build-standalone: the folder the action owns. */
  readonly workDir: string
  /** The folders path inputs may resolve into: the workspace. */
  readonly roots: readonly Root[]
  /** project-path as given ('.' when empty), for messages. */
  readonly projectInput: string
  /** Absolute project folder. */
  readonly projectDir: string
  readonly project: ProjectFacts
  /** The absolute path of a file input, which must exist inside the project (links followed). */
  readonly inProject: (input: string, value: string, what: string) => string
}

export function readContext(get: InputReader, env: Environment, exists: (p: string) => boolean): InputContext {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const runnerTemp = env.RUNNER_TEMP
  if (!runnerTemp)
    throw new InputError(
      'RUNNER_TEMP',
      'the environment variable is not set.',
      'Run the action on a GitHub runner, or use the command-line entry (dist/cli/index.js), which sets it.'
    )
  const workDir = path.resolve(runnerTemp, 'build-standalone')

  // Every path input resolves inside the workspace, links followed: nothing of the host outside it is read.
  const roots: Root[] = [{ dir: workspace, name: 'the workspace' }]
  const projectInput = get('project-path').trim() || '.'
  const projectFix = 'Give the folder that holds pyproject.toml, relative to the workspace.'
  const projectDir = resolveInside('project-path', projectInput, workspace, roots, projectFix)
  if (!exists(projectDir)) throw new InputError('project-path', `'${projectInput}' does not exist (looked for ${projectDir}).`, projectFix)
  const project = readProject(projectDir, roots, exists)
  const inProject = (input: string, value: string, what: string): string => {
    const fix = `Give the path of ${what} relative to project-path (${projectInput}).`
    const full = resolveInside(input, value, projectDir, roots, fix)
    if (!exists(full)) throw new InputError(input, `${value} does not exist (looked for ${full}).`, fix)
    // Every such input names a file: a folder (or a device) would fail later with a raw EISDIR.
    expectFile(input, value, full, fix)
    return full
  }
  return { get, env, exists, workspace, runnerTemp, workDir, roots, projectInput, projectDir, project, inProject }
}

function readProject(projectDir: string, roots: readonly Root[], exists: (p: string) => boolean): ProjectFacts {
  const file = resolveInside('project-path', 'pyproject.toml', projectDir, roots, 'Point project-path at a Python project inside the workspace.')
  if (!exists(file)) {
    if (exists(path.join(projectDir, 'setup.py')) || exists(path.join(projectDir, 'setup.cfg'))) return NO_PYPROJECT
    throw new InputError(
      'project-path',
      `${projectDir} has no pyproject.toml, setup.py or setup.cfg.`,
      'Point project-path at the folder of the Python project to build.'
    )
  }
  try {
    return parsePyproject(readInputFile('project-path', file, 'Fix pyproject.toml.'))
  } catch (e) {
    if (e instanceof InputError) throw e
    if (e instanceof PyprojectError) throw new InputError('project-path', `${file}: ${excerpt(e.message, 200)}.`, 'Fix pyproject.toml.')
    throw new InputError('project-path', `${file} is not valid TOML: ${excerpt((e as Error).message.split('\n')[0], 200)}.`, 'Fix pyproject.toml.')
  }
}
