/**
 * The bench's workspace: a git repository holding a copy of the project at the same path as in this repository, as a
 * runner's checkout does, so that the action keys its build on git's tree. A "next commit" edits one of the project's
 * source files and commits it: the dependency caches stay warm, the build's key changes.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { check, REPO, run } from './processes.js'

export interface Workspace {
  /** The repository (GITHUB_WORKSPACE of the action's runs). */
  readonly root: string
  /** The project inside it. */
  readonly projectDir: string
  /** project-path, relative to the workspace. */
  readonly projectPath: string
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.org',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.org'
}

/** What a build leaves in a project: never copied. */
const isLitter = (name: string): boolean => name === 'build' || name === '__pycache__' || name.endsWith('.egg-info')

async function git(root: string, args: string[]): Promise<void> {
  check(`git ${args[0]}`, await run('git', ['-c', 'init.defaultBranch=main', ...args], { cwd: root, env: { ...process.env, ...GIT_ENV } }))
}

/** A fresh repository under `root` with the project at its path in this repository, committed. */
export async function makeWorkspace(root: string, projectDir: string): Promise<Workspace> {
  const projectPath = path.relative(REPO, projectDir)
  const copy = path.join(root, projectPath)
  fs.mkdirSync(path.dirname(copy), { recursive: true })
  fs.cpSync(projectDir, copy, { recursive: true, filter: (src) => !isLitter(path.basename(src)) })
  await git(root, ['init', '-q'])
  await git(root, ['add', '-A'])
  await git(root, ['commit', '-q', '-m', 'bench: the project'])
  return { root, projectDir: copy, projectPath }
}

/** The module the next commit edits: the project's first package's __init__.py, which every entry point imports. */
export function editedModule(ws: Workspace): string {
  const src = fs.existsSync(path.join(ws.projectDir, 'src')) ? path.join(ws.projectDir, 'src') : ws.projectDir
  const pkg = fs.readdirSync(src).find((d) => fs.existsSync(path.join(src, d, '__init__.py')))
  if (!pkg) throw new Error(`no package with an __init__.py in ${src}`)
  return path.join(src, pkg, '__init__.py')
}

/** A next commit: one line added to a source file (a value the program holds), committed. */
export async function nextCommit(ws: Workspace, n: number): Promise<void> {
  fs.appendFileSync(editedModule(ws), `\nBENCH_COMMIT = ${n}\n`)
  await git(ws.root, ['commit', '-q', '-am', `bench: commit ${n}`])
}
