/**
 * `add-data` lines: files of the project shipped inside the executables, and
 * the rule that keeps the machine's own files out of them.
 */
import * as path from 'node:path'
import type { DataRule } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import { checkPathText, isInside, kindOf, linkLeaving, realPath } from '../input-files.js'

/** Marks an add-data line whose source may lie outside the project: `source:destination (outside-project)`. */
export const OUTSIDE_PROJECT = '(outside-project)'

/**
 * An add-data line: `source:destination`, the source inside the project
 * (links followed; a glob is checked up to its first wildcard) unless the
 * line ends with (outside-project), the destination a relative folder inside
 * the bundle.
 */
export function readDataLine(raw: string, projectDir: string, exists: (p: string) => boolean): DataRule {
  checkPathText('add-data', raw, 'Write each line as `path/in/project:folder/in/bundle`.')
  const outside = raw.endsWith(OUTSIDE_PROJECT)
  const line = outside ? raw.slice(0, -OUTSIDE_PROJECT.length).trimEnd() : raw
  const m = /^(.+?)\s*[:;]\s*([^:;]+)$/.exec(line)
  if (!m)
    throw new InputError(
      'add-data',
      `\`${excerpt(line, 200)}\` is not source:destination.`,
      'Write each line as `path/in/project:folder/in/bundle` (use `.` for the top folder).'
    )
  const dest = m[2].trim()
  if (path.isAbsolute(dest) || path.win32.isAbsolute(dest) || dest.split(/[\\/]/).includes('..'))
    throw new InputError(
      'add-data',
      `the destination '${excerpt(dest, 200)}' leaves the bundle.`,
      'Give a folder inside the bundle, relative to its top (`.` for the top).'
    )
  const source = path.resolve(projectDir, m[1])
  // A glob is checked up to its first wildcard: the folder it matches in.
  const parts = source.split(path.sep)
  const firstGlob = parts.findIndex((p) => /[*?[]/.test(p))
  const probe = firstGlob < 0 ? source : parts.slice(0, firstGlob).join(path.sep) || path.sep
  if (!exists(probe)) throw new InputError('add-data', `${m[1]} does not exist (looked for ${probe}).`, 'Give a file or folder relative to project-path.')
  if (!outside) {
    const real = realPath(probe)
    if (real === undefined || !isInside(source, projectDir) || !isInside(real, realPath(projectDir) ?? projectDir))
      throw new InputError(
        'add-data',
        `${excerpt(m[1], 200)} leads outside the project (${projectDir})${real !== undefined && isInside(source, projectDir) ? ' through a symbolic link' : ''}, so a file of the machine that builds would be shipped inside the executables.`,
        `Give a file or folder inside project-path, or end the line with ${OUTSIDE_PROJECT} to ship it on purpose: \`${excerpt(line, 200)} ${OUTSIDE_PROJECT}\`.`
      )
    // A folder is copied with what its links point at: none may lead out of the project either.
    const leaving = firstGlob < 0 && kindOf(real) === 'folder' ? linkLeaving(real, projectDir) : undefined
    if (leaving !== undefined)
      throw new InputError(
        'add-data',
        `${excerpt(m[1], 200)} holds a symbolic link that leads outside the project (${excerpt(leaving, 200)}), so a file of the machine that builds would be shipped inside the executables.`,
        `Remove the link, or end the line with ${OUTSIDE_PROJECT} to ship what it points at on purpose.`
      )
    if (firstGlob < 0) return Object.freeze({ source: real, dest })
  }
  return Object.freeze({ source, dest, ...(outside ? { outside: true } : {}) })
}
