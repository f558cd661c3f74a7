/**
 * The project as the build sees it, once it is installed: name, version,
 * summary, authors and maintainers, license, URLs and entry points, each from
 * the first that has it — the inputs, pyproject.toml's static [project]
 * values, then the metadata of the distribution installed from project-path,
 * whatever built it. The log says where each came from; a deb or msi with
 * nobody to name as its maintainer is refused here, before the build.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { InputError, StageError } from './errors.js'
import { describeTarget, distributionScripts, entrypointsFromScripts } from './freeze/entrypoints.js'
import { readInstalled, type InstalledDistribution } from './install/metadata.js'
import { missingMaintainer } from './installers/meta.js'
import { mainEntrypoint } from './main-module.js'
import { normalizeName, projectKind } from './pyproject.js'
import type { Config, EntryPoint } from './config.js'

export interface ProjectAsBuilt {
  /** The config with the project's facts and entry points completed. */
  readonly config: Config
  /** The version for archive names and version resources. */
  readonly version: string
  /** Lines for the log: where the version, the name and the entry points came from. */
  readonly notes: readonly string[]
}

const INSTALLED = "the installed distribution's metadata"

/** Reads the distribution installed from project-path in the build venv and completes the config with it; logs where each fact came from. */
export async function projectAsInstalled(inputs: Config, python: string): Promise<ProjectAsBuilt> {
  const installed = await readInstalled(python, inputs.projectDir, inputs.project.name, inputs.workDir)
  const done = completeProject(
    inputs,
    installed,
    projectKind(inputs.project, (file) => fs.existsSync(path.join(inputs.projectDir, file)))
  )
  for (const line of done.notes) core.info(line)
  return done
}

/**
 * Completes `config` from the installed distribution (undefined when none was
 * installed from project-path); `kind` names the project for the log
 * ('setup.py project', 'Poetry project').
 */
export function completeProject(config: Config, installed: InstalledDistribution | undefined, kind: string): ProjectAsBuilt {
  const notes: string[] = []
  const from = `${INSTALLED} (${kind})`
  const p = config.project

  let version: string
  if (config.version) version = note(notes, 'Version', config.version, 'the version input')
  else if (p.version) version = note(notes, 'Version', p.version, '[project] version in pyproject.toml')
  else if (installed?.version) version = note(notes, 'Version', installed.version, from)
  else
    throw new StageError(
      'install',
      `the project version is unknown: pyproject.toml has no static [project] version${installed ? `, and ${INSTALLED} has none` : ', and no distribution installed from project-path was found in the build environment'}. Set the \`version\` input.`
    )

  const name = p.name || installed?.name || ''
  if (name) note(notes, 'Name', name, p.name ? '[project] name in pyproject.toml' : from)
  const project = Object.freeze({
    ...p,
    name,
    version: p.version || (installed?.version ?? ''),
    description: p.description || (installed?.summary ?? ''),
    authors: p.authors.length ? p.authors : installed?.author ? [installed.author] : [],
    contacts: p.contacts.length ? p.contacts : (installed?.contacts ?? []),
    license: p.license || (installed?.license ?? ''),
    urls: Object.keys(p.urls).length ? p.urls : (installed?.urls ?? {})
  })
  const installers = config.formats.some((f) => f !== 'archive')
  if (installers && !config.packageMaintainer && !p.contacts.length && project.contacts.length)
    notes.push(`Package maintainer ${project.contacts[0]}, from ${from}.`)
  const nobody = missingMaintainer(
    { ...config, project },
    installed ? `pyproject.toml or ${from}` : 'pyproject.toml (and no distribution installed from project-path was found to read)',
    "name the project's maintainer or author with an email where its metadata is written (setup()'s author and author_email, [tool.poetry] authors, or [project] authors)"
  )
  if (nobody) throw nobody

  let entrypoints = config.entrypoints
  if (config.entrypointsFrom === 'distribution') {
    if (!installed)
      throw new InputError(
        'entrypoint',
        'is not set, nor is spec; pyproject.toml has no static [project] scripts, and no distribution installed from project-path was found in the build environment to read its entry_points.txt.',
        'Set entrypoint (e.g. `mytool = mypackage.cli:main`), or spec (a PyInstaller .spec file).'
      )
    const hint = mainEntrypoint(installed.mains, normalizeName(installed.name))
    entrypoints = Object.freeze(entrypointsFromScripts(distributionScripts(installed.scripts, installed.guiScripts, kind), config.name, hint))
  }
  const where = {
    spec: '',
    entrypoint: 'the entrypoint input',
    pyproject: '[project.scripts] and [project.gui-scripts] of pyproject.toml',
    distribution: `the installed distribution's entry_points.txt (${kind})`
  }[config.entrypointsFrom]
  if (where) notes.push(`Entry points from ${where}: ${entrypoints.map(describeEntry).join(', ')}.`)

  return { config: Object.freeze({ ...config, project, entrypoints }), version, notes }
}

function note(notes: string[], what: string, value: string, from: string): string {
  notes.push(`${what} ${value}, from ${from}.`)
  return value
}

const describeEntry = (e: EntryPoint): string => `${e.name} = ${describeTarget(e.target)}${e.windowed ? ' (windowed)' : ''}`
