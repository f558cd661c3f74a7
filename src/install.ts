/**
 * Installing the project (extras, PEP 735 dependency groups, requirements
 * files) and PyInstaller into the build venv, and reading the version that
 * was installed.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Config } from './inputs.js'
import { runChecked, type Command } from './exec.js'
import { StageError } from './errors.js'

export interface PlannedFile {
  readonly path: string
  readonly content: string
}

export interface InstallPlan {
  readonly files: readonly PlannedFile[]
  readonly commands: readonly Command[]
}

/** The environment every installer run gets: quiet, non-interactive, no user site. */
export const INSTALL_ENV = Object.freeze({
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
  PIP_NO_INPUT: '1',
  PYTHONNOUSERSITE: '1',
  PYTHONPATH: undefined,
  PYTHONHOME: undefined
})

/** `path[extra1,extra2]`, pip's form for a local project with extras. */
export function projectRequirement(projectDir: string, extras: readonly string[]): string {
  return extras.length ? `${projectDir}[${extras.join(',')}]` : projectDir
}

/** The requirements of the chosen dependency groups, one a line, in order, without repeats. */
export function groupRequirements(config: Pick<Config, 'dependencyGroups' | 'project'>): string[] {
  const out: string[] = []
  for (const group of config.dependencyGroups) for (const req of config.project.dependencyGroups[group] ?? []) if (!out.includes(req)) out.push(req)
  return out
}

export function planInstall(config: Config, python: string): InstallPlan {
  const groups = groupRequirements(config)
  const groupFile = path.join(config.workDir, 'dependency-groups.txt')
  const files = groups.length ? [{ path: groupFile, content: `${groups.join('\n')}\n` }] : []
  const args = ['-m', 'pip', 'install', projectRequirement(config.projectDir, config.extras)]
  if (groups.length) args.push('-r', groupFile)
  for (const file of config.requirements) args.push('-r', file)
  args.push(config.pyinstallerRequirement)
  return { files, commands: [{ program: python, args, cwd: config.projectDir, env: INSTALL_ENV }] }
}

/** Folders where a setuptools build leaves `build/` and `*.egg-info` in the source tree. */
export function litterDirs(projectDir: string): string[] {
  return [projectDir, path.join(projectDir, 'src')]
}

/** Entries of `after` that a build of the project left behind and that were not in `before`. */
export function newLitter(before: readonly string[], after: readonly string[]): string[] {
  return after.filter((name) => !before.includes(name) && (name === 'build' || name.endsWith('.egg-info')))
}

const listDir = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir) : [])

export async function install(config: Config, python: string): Promise<void> {
  const before = litterDirs(config.projectDir).map(listDir)
  try {
    await runInstall(config, python)
  } finally {
    // pip builds the project in its own folder; leave the user's tree as it was.
    litterDirs(config.projectDir).forEach((dir, i) => {
      for (const name of newLitter(before[i], listDir(dir))) fs.rmSync(path.join(dir, name), { recursive: true, force: true })
    })
  }
}

async function runInstall(config: Config, python: string): Promise<void> {
  const plan = planInstall(config, python)
  for (const file of plan.files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true })
    fs.writeFileSync(file.path, file.content)
  }
  for (const cmd of plan.commands)
    await runChecked(
      'install',
      cmd,
      'The project or PyInstaller could not be installed: check the dependency that pip names above, and the extras, dependency-groups and requirements inputs.'
    )
}

const VERSION_SCRIPT = 'import importlib.metadata as m,sys;print(m.version(sys.argv[1]))'

/** The command that prints the installed distribution's version. */
export function installedVersionCommand(python: string, distribution: string): Command {
  return { program: python, args: ['-c', VERSION_SCRIPT, distribution], env: INSTALL_ENV }
}

/** The version for archive names: the input, the static one, or the installed distribution's. */
export async function resolveVersion(config: Config, python: string): Promise<string> {
  if (config.version) return config.version
  if (config.project.version) return config.project.version
  if (config.project.name) {
    const result = await runChecked('install', installedVersionCommand(python, config.project.name), '', { silent: true }).catch(() => undefined)
    const version = result?.stdout.trim().split('\n').pop()
    if (version) return version
  }
  throw new StageError(
    'install',
    'the project version is unknown (pyproject.toml has no static [project] version and the installed distribution has none). Set the `version` input.'
  )
}
