/**
 * The project's files as the build's key sees them. In a git checkout whose
 * project-path holds nothing but what HEAD has (no change, no untracked file,
 * no ignored one), git's tree id of project-path says it all; otherwise every
 * file below project-path is hashed: path, kind, exec bit and content. The
 * action's own folders (RUNNER_TEMP, output-dir) are left out where they lie
 * inside the project. A file that cannot be read is a doubt (a miss).
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as io from '@actions/io'
import { runCommand } from '../exec.js'
import { KeyDoubt } from './key.js'

/** At most this many files, or bytes, are hashed: a bigger project-path outside a clean checkout is a miss. */
export const MAX_HASHED_FILES = 20_000
export const MAX_HASHED_BYTES = 2 * 1024 ** 3

/** `path` relative to `dir` when it lies inside it (forward slashes), else undefined. */
export function inside(dir: string, p: string): string | undefined {
  const rel = path.relative(dir, p)
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : undefined
}

/** The project's fingerprint: `git tree <id>` in a clean checkout, else `files <hash> (<n> files)`. */
export async function projectFingerprint(projectDir: string, excluded: readonly string[]): Promise<string> {
  const skip = excluded.map((e) => inside(projectDir, e)).filter((e): e is string => Boolean(e))
  const tree = await cleanTree(projectDir, skip)
  if (tree) return `git tree ${tree}`
  const { hash, files } = hashFolder(projectDir, skip)
  return `files ${hash} (${files} files)`
}

/** git's tree id of `dir` at HEAD when the folder holds exactly that (nothing changed, untracked or ignored); else ''. */
async function cleanTree(dir: string, skip: readonly string[]): Promise<string> {
  const git = await io.which('git', false)
  if (!git) return ''
  const run = (args: string[]): Promise<{ exitCode: number; stdout: string }> =>
    runCommand({ program: git, args: ['-C', dir, ...args], env: { GIT_OPTIONAL_LOCKS: '0' } }, { silent: true }).catch(() => ({ exitCode: 1, stdout: '' }))
  const tree = await run(['rev-parse', '--verify', '--quiet', 'HEAD:./'])
  const id = tree.stdout.trim()
  if (tree.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(id)) return ''
  const status = await run([
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=all',
    '--ignored=matching',
    '--',
    '.',
    ...skip.map((s) => `:(exclude,literal)${s}`)
  ])
  return status.exitCode === 0 && status.stdout === '' ? id : ''
}

/** Hashes every file below `dir` but `.git` and the `skip` paths (relative, forward slashes): one hash, and how many files. */
export function hashFolder(dir: string, skip: readonly string[] = []): { hash: string; files: number } {
  const hash = createHash('sha256')
  let files = 0
  let bytes = 0
  const visit = (folder: string, rel: string): void => {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true })
    } catch (e) {
      throw new KeyDoubt(`cannot list ${folder}: ${(e as Error).message}`)
    }
    for (const d of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const relPath = rel ? `${rel}/${d.name}` : d.name
      if (d.name === '.git' || skip.some((s) => relPath === s || relPath.startsWith(`${s}/`))) continue
      const full = path.join(folder, d.name)
      if (d.isDirectory()) {
        hash.update(`d ${relPath}\0`)
        visit(full, relPath)
        continue
      }
      if (++files > MAX_HASHED_FILES) throw new KeyDoubt(`project-path holds more than ${MAX_HASHED_FILES} files outside a clean git checkout`)
      try {
        if (d.isSymbolicLink()) {
          hash.update(`l ${relPath}\0${fs.readlinkSync(full)}\0`)
          continue
        }
        if (!d.isFile()) throw new KeyDoubt(`${full} is neither a file, a folder nor a link`)
        const st = fs.statSync(full)
        bytes += st.size
        if (bytes > MAX_HASHED_BYTES) throw new KeyDoubt(`project-path holds more than ${MAX_HASHED_BYTES / 1024 ** 3} GiB outside a clean git checkout`)
        hash.update(`f ${relPath} ${process.platform !== 'win32' && st.mode & 0o111 ? 'x' : '-'}\0`)
        hash.update(fs.readFileSync(full))
        hash.update('\0')
      } catch (e) {
        if (e instanceof KeyDoubt) throw e
        throw new KeyDoubt(`cannot read ${full}: ${(e as Error).message}`)
      }
    }
  }
  visit(dir, '')
  return { hash: hash.digest('hex'), files }
}

/**
 * Files the inputs name outside project-path, hashed: each path with its
 * content (a folder: all its files; a glob: the folder it searches). A path
 * inside the project is already in the project's fingerprint.
 */
export function outsideFiles(projectDir: string, paths: readonly string[]): string {
  const hash = createHash('sha256')
  for (const p of [...new Set(paths)].filter((p) => p && !inside(projectDir, p)).sort()) {
    const base = /[*?[]/.test(path.basename(p)) ? path.dirname(p) : p
    hash.update(`${p}\0`)
    const st = fs.statSync(base, { throwIfNoEntry: false })
    if (!st) hash.update('missing\0')
    else if (st.isDirectory()) hash.update(`${hashFolder(base).hash}\0`)
    else {
      try {
        hash.update(fs.readFileSync(base))
      } catch (e) {
        throw new KeyDoubt(`cannot read ${base}: ${(e as Error).message}`)
      }
      hash.update('\0')
    }
  }
  return hash.digest('hex')
}
