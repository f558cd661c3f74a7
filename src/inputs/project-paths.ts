/**
 * Paths of the project that go into a build: `add-data` lines (and
 * builder-args' --add-binary), shipped inside the executables; `hooks-dir`
 * folders and `runtime-hooks` files, run by the build. Each lies inside the
 * project, links followed, unless its line ends with (outside-project): a file
 * of the machine that builds never gets into a build by a typo or a link.
 */
import * as path from 'node:path'
import type { DataRule } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import { checkPathText, isInside, kindOf, linkLeaving, realPath } from '../input-files.js'

/** Marks a line whose path may lie outside the project: `source:destination (outside-project)`. */
export const OUTSIDE_PROJECT = '(outside-project)'

/** A line without its (outside-project) mark, and whether it had one. */
function withoutMark(raw: string): { line: string; outside: boolean } {
  const outside = raw.endsWith(OUTSIDE_PROJECT)
  return { line: outside ? raw.slice(0, -OUTSIDE_PROJECT.length).trimEnd() : raw, outside }
}

/** What a path outside the project would do, and what it is called in the fixes. */
interface Use {
  readonly effect: string
  readonly what: string
  readonly verb: string
}

const SHIPPED: Use = { effect: 'a file of the machine that builds would be shipped inside the executables', what: 'a file or folder', verb: 'ship' }
const RUN: Use = { effect: 'the build would run code of the machine that builds', what: 'a path', verb: 'use' }

/**
 * The real path of `source` (`written` in messages), checked to lie inside
 * the project, with no link in it (a folder) leading out; `line` is the whole
 * line, quoted in the fix.
 */
function insideProject(input: string, written: string, source: string, projectDir: string, line: string, use: Use, checkLinks: boolean): string {
  const real = realPath(source)
  if (real === undefined || !isInside(source, projectDir) || !isInside(real, realPath(projectDir) ?? projectDir))
    throw new InputError(
      input,
      `${excerpt(written, 200)} leads outside the project (${projectDir})${real !== undefined && isInside(source, projectDir) ? ' through a symbolic link' : ''}, so ${use.effect}.`,
      `Give ${use.what} inside project-path, or end the line with ${OUTSIDE_PROJECT} to ${use.verb} it on purpose: \`${excerpt(line, 200)} ${OUTSIDE_PROJECT}\`.`
    )
  // A folder is used with what its links point at: none may lead out of the project either.
  const leaving = checkLinks && kindOf(real) === 'folder' ? linkLeaving(real, projectDir) : undefined
  if (leaving !== undefined)
    throw new InputError(
      input,
      `${excerpt(written, 200)} holds a symbolic link that leads outside the project (${excerpt(leaving, 200)}), so ${use.effect}.`,
      `Remove the link, or end the line with ${OUTSIDE_PROJECT} to ${use.verb} what it points at on purpose.`
    )
  return real
}

/**
 * An add-data line: `source:destination`, the source inside the project
 * (links followed; a glob is checked up to its first wildcard) unless the
 * line ends with (outside-project), the destination a relative folder inside
 * the bundle. `input` names the input in messages (builder-args for
 * --add-binary).
 */
export function readDataLine(raw: string, projectDir: string, exists: (p: string) => boolean, input = 'add-data'): DataRule {
  checkPathText(input, raw, 'Write each line as `path/in/project:folder/in/bundle`.')
  const { line, outside } = withoutMark(raw)
  const m = /^(.+?)\s*[:;]\s*([^:;]+)$/.exec(line)
  if (!m)
    throw new InputError(
      input,
      `\`${excerpt(line, 200)}\` is not source:destination.`,
      'Write each line as `path/in/project:folder/in/bundle` (use `.` for the top folder).'
    )
  const dest = m[2].trim()
  if (path.isAbsolute(dest) || path.win32.isAbsolute(dest) || dest.split(/[\\/]/).includes('..'))
    throw new InputError(
      input,
      `the destination '${excerpt(dest, 200)}' leaves the bundle.`,
      'Give a folder inside the bundle, relative to its top (`.` for the top).'
    )
  const source = path.resolve(projectDir, m[1])
  // A glob is checked up to its first wildcard: the folder it matches in.
  const parts = source.split(path.sep)
  const firstGlob = parts.findIndex((p) => /[*?[]/.test(p))
  const probe = firstGlob < 0 ? source : parts.slice(0, firstGlob).join(path.sep) || path.sep
  if (!exists(probe)) throw new InputError(input, `${m[1]} does not exist (looked for ${probe}).`, 'Give a file or folder relative to project-path.')
  if (!outside) {
    if (firstGlob >= 0 && !isInside(source, projectDir)) insideProject(input, m[1], source, projectDir, line, SHIPPED, false)
    const real = insideProject(input, m[1], probe, projectDir, line, SHIPPED, firstGlob < 0)
    if (firstGlob < 0) return Object.freeze({ source: real, dest })
  }
  return Object.freeze({ source, dest, ...(outside ? { outside: true } : {}) })
}

/**
 * A hooks-dir or runtime-hooks line: a folder (or file) inside the project,
 * links followed, unless the line ends with (outside-project). Returns its
 * real path (the path as written, resolved, when outside on purpose).
 */
export function readProjectPath(input: string, raw: string, projectDir: string, kind: 'folder' | 'file', what: string): string {
  const fix = `Give the path of ${what} relative to project-path.`
  checkPathText(input, raw, fix)
  const { line, outside } = withoutMark(raw)
  const full = path.resolve(projectDir, line)
  const found = kindOf(full)
  if (found === 'missing') throw new InputError(input, `${excerpt(line, 200)} does not exist (looked for ${full}).`, fix)
  if (found !== kind)
    throw new InputError(
      input,
      `${excerpt(line, 200)} is ${found === 'other' ? 'not a regular file or folder' : `a ${found}`} (${full}), and ${what} is a ${kind}.`,
      fix
    )
  if (outside) return full
  return insideProject(input, line, full, projectDir, line, RUN, kind === 'folder')
}
