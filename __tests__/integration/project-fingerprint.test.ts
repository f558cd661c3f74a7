/**
 * The project's part of the build key, against real git: git's tree id of project-path in a clean checkout; every
 * file's hash as soon as anything in it differs from HEAD (a change, an untracked or an ignored file), or outside git;
 * the action's own folders inside the project left out; a file that cannot be read is a doubt.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { hashFolder, outsideFiles, projectFingerprint } from '../../src/reuse/project.js'
import { KeyDoubt } from '../../src/reuse/key.js'

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-fingerprint-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' }
function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, env: GIT_ENV, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}
const write = (file: string, content: string): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, content)
}

/** A repository with the project in `app/` and a file beside it, committed. */
function repo(): { root: string; project: string } {
  const root = fs.mkdtempSync(path.join(scratch, 'repo-'))
  const project = path.join(root, 'app')
  write(path.join(project, 'pyproject.toml'), '[project]\nname = "app"\n')
  write(path.join(project, 'src', 'app', '__init__.py'), 'GREETING = "hello"\n')
  write(path.join(root, '.gitignore'), '*.log\n')
  write(path.join(root, 'README.md'), 'elsewhere in the repository\n')
  git(root, 'init', '-q')
  git(root, 'add', '-A')
  git(root, 'commit', '-q', '-m', 'one')
  return { root, project }
}

describe('projectFingerprint', () => {
  it('is git’s tree id of project-path in a clean checkout, whatever changes outside it', async () => {
    const { root, project } = repo()
    const tree = git(root, 'rev-parse', 'HEAD:app')
    expect(await projectFingerprint(project, [])).toBe(`git tree ${tree}`)
    write(path.join(root, 'README.md'), 'changed outside the project\n')
    write(path.join(root, 'notes.txt'), 'untracked outside the project\n')
    expect(await projectFingerprint(project, [])).toBe(`git tree ${tree}`)
  })

  it('hashes the files as soon as project-path holds a change, an untracked or an ignored file', async () => {
    for (const change of [
      (p: string) => write(path.join(p, 'src', 'app', '__init__.py'), 'GREETING = "hi"\n'),
      (p: string) => write(path.join(p, 'src', 'app', 'new.py'), ''),
      (p: string) => write(path.join(p, 'build.log'), 'ignored, but in the project')
    ]) {
      const { project } = repo()
      change(project)
      expect(await projectFingerprint(project, [])).toMatch(/^files [0-9a-f]{64} \(\d+ files\)$/)
    }
  })

  it('gives the same hash for the same files, and another for one changed line or exec bit', async () => {
    const { project } = repo()
    write(path.join(project, 'extra.txt'), 'x')
    const first = await projectFingerprint(project, [])
    expect(await projectFingerprint(project, [])).toBe(first)
    write(path.join(project, 'src', 'app', '__init__.py'), 'GREETING = "hello!"\n')
    const edited = await projectFingerprint(project, [])
    expect(edited).not.toBe(first)
    fs.chmodSync(path.join(project, 'extra.txt'), 0o755)
    expect(await projectFingerprint(project, [])).not.toBe(edited)
  })

  it('leaves out the action’s folders inside the project (a local run’s .build-standalone, its output)', async () => {
    const { root, project } = repo()
    const tree = git(root, 'rev-parse', 'HEAD:app')
    const runnerTemp = path.join(project, '.build-standalone')
    write(path.join(runnerTemp, 'build-standalone', 'venv', 'x'), 'x')
    write(path.join(project, 'standalone-dist', 'app.tar.gz'), 'x')
    expect(await projectFingerprint(project, [runnerTemp, path.join(project, 'standalone-dist')])).toBe(`git tree ${tree}`)
    write(path.join(project, 'other.txt'), 'x')
    const hashed = await projectFingerprint(project, [runnerTemp, path.join(project, 'standalone-dist')])
    write(path.join(runnerTemp, 'build-standalone', 'venv', 'y'), 'y')
    expect(await projectFingerprint(project, [runnerTemp, path.join(project, 'standalone-dist')])).toBe(hashed)
  })

  it('gets a new tree id with a new commit', async () => {
    const { root, project } = repo()
    const before = await projectFingerprint(project, [])
    write(path.join(project, 'src', 'app', '__init__.py'), 'GREETING = "hi"\n')
    git(root, 'commit', '-q', '-am', 'two')
    const after = await projectFingerprint(project, [])
    expect(after).toMatch(/^git tree /)
    expect(after).not.toBe(before)
  })

  it('hashes every file outside git, or in a folder git ignores', async () => {
    const plain = fs.mkdtempSync(path.join(scratch, 'plain-'))
    write(path.join(plain, 'pyproject.toml'), '[project]\nname = "app"\n')
    expect(await projectFingerprint(plain, [])).toMatch(/^files [0-9a-f]{64} \(1 files\)$/)
    const { root } = repo()
    const ignored = path.join(root, 'copies.log', 'app')
    write(path.join(ignored, 'pyproject.toml'), '[project]\nname = "app"\n')
    expect(await projectFingerprint(ignored, [])).toMatch(/^files /)
  })

  it('is in doubt about a file it cannot hash', () => {
    const dir = fs.mkdtempSync(path.join(scratch, 'fifo-'))
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe')]).status).toBe(0)
    expect(() => hashFolder(dir)).toThrow(KeyDoubt)
    expect(() => hashFolder(dir)).toThrow(/pipe is neither a file, a folder nor a link/)
  })
})

describe('outsideFiles', () => {
  it('hashes what the inputs name outside the project (a file, a folder, a glob’s folder), not what lies inside', () => {
    const root = fs.mkdtempSync(path.join(scratch, 'outside-'))
    const project = path.join(root, 'proj')
    write(path.join(project, 'icon.ico'), 'inside')
    write(path.join(root, 'shared', 'data', 'a.json'), '{}')
    write(path.join(root, 'reqs.txt'), 'six\n')
    const named = [path.join(project, 'icon.ico'), path.join(root, 'shared', 'data'), path.join(root, 'shared', 'data', '*.json'), path.join(root, 'reqs.txt')]
    const first = outsideFiles(project, named)
    write(path.join(project, 'icon.ico'), 'inside, changed')
    expect(outsideFiles(project, named)).toBe(first)
    write(path.join(root, 'shared', 'data', 'b.json'), '[]')
    const added = outsideFiles(project, named)
    expect(added).not.toBe(first)
    write(path.join(root, 'reqs.txt'), 'six==1.17.0\n')
    expect(outsideFiles(project, named)).not.toBe(added)
  })
})
