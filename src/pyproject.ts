/**
 * What the action needs to know from a project's pyproject.toml, read once:
 * its name, version, extras, PEP 735 dependency groups and entry points.
 */
import type { ProjectFacts } from './config.js'
import { parse } from 'smol-toml'

/** A pyproject.toml that is valid TOML but breaks a rule the action relies on. */
export class PyprojectError extends Error {}

export const NO_PYPROJECT: ProjectFacts = Object.freeze({
  hasProjectTable: false,
  name: '',
  version: '',
  dynamic: [],
  extras: [],
  dependencyGroups: {},
  scripts: {},
  guiScripts: {},
  requiresPython: '',
  license: '',
  urls: {},
  contacts: [],
  description: '',
  authors: [],
  buildBackend: ''
})

/** PEP 503/685 normalization of a project, extra or group name. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

type Table = Record<string, unknown>
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v)
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [])
const stringTable = (v: unknown): Record<string, string> =>
  isTable(v) ? (Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>) : {}

/** Parses pyproject.toml text. Throws with the parser's message on invalid TOML. */
export function parsePyproject(text: string): ProjectFacts {
  const doc = parse(text) as Table
  const project = isTable(doc.project) ? doc.project : {}
  const optional = isTable(project['optional-dependencies']) ? project['optional-dependencies'] : {}
  return Object.freeze({
    hasProjectTable: isTable(doc.project),
    name: typeof project.name === 'string' ? project.name : '',
    version: typeof project.version === 'string' ? project.version : '',
    dynamic: strings(project.dynamic),
    extras: Object.keys(optional).map(normalizeName),
    dependencyGroups: resolveDependencyGroups(isTable(doc['dependency-groups']) ? doc['dependency-groups'] : {}),
    scripts: stringTable(project.scripts),
    guiScripts: stringTable(project['gui-scripts']),
    requiresPython: typeof project['requires-python'] === 'string' ? project['requires-python'] : '',
    license: projectLicense(project.license),
    urls: stringTable(project.urls),
    contacts: [...contactsOf(project.maintainers), ...contactsOf(project.authors)],
    description: typeof project.description === 'string' ? project.description : '',
    authors: (Array.isArray(project.authors) ? project.authors : []).flatMap((a) => (isTable(a) && typeof a.name === 'string' ? [a.name] : [])),
    buildBackend: isTable(doc['build-system']) && typeof doc['build-system']['build-backend'] === 'string' ? doc['build-system']['build-backend'] : ''
  })
}

/** `[project] license`: a string (an SPDX expression, PEP 639), or `{text = …}` (its first line); a `{file = …}` says nothing here. */
function projectLicense(v: unknown): string {
  if (typeof v === 'string') return v.trim()
  if (isTable(v) && typeof v.text === 'string') return (v.text.trim().split('\n')[0] ?? '').trim()
  return ''
}

/** `authors` or `maintainers` entries as `Name <email>`, `Name`, or `email`. */
function contactsOf(v: unknown): string[] {
  return (Array.isArray(v) ? v : []).flatMap((a) => {
    if (!isTable(a)) return []
    const name = typeof a.name === 'string' ? a.name.trim() : ''
    const email = typeof a.email === 'string' ? a.email.trim() : ''
    return name && email ? [`${name} <${email}>`] : name || email ? [name || email] : []
  })
}

/**
 * Whether pyproject.toml's [project] table says what the scripts are: it is
 * there and none of the entry-point fields is dynamic. Then the built
 * distribution has exactly [project.scripts] and [project.gui-scripts]
 * (PEP 621: a backend must not add to a static field); otherwise only the
 * built metadata knows (setup.py, setup.cfg, [tool.poetry.scripts]).
 */
export function scriptsAreStatic(project: ProjectFacts): boolean {
  return project.hasProjectTable && !['scripts', 'gui-scripts', 'entry-points'].some((field) => project.dynamic.includes(field))
}

/** Build backends by module, as people call the projects that use them. */
const BACKENDS: readonly (readonly [string, string])[] = [
  ['setuptools', 'setuptools'],
  ['poetry', 'Poetry'],
  ['hatchling', 'Hatch'],
  ['flit_core', 'Flit'],
  ['pdm', 'PDM'],
  ['maturin', 'maturin'],
  ['scikit_build_core', 'scikit-build-core'],
  ['mesonpy', 'meson-python'],
  ['uv_build', 'uv']
]

/**
 * What kind of project it is, for the log: 'setup.py project' (setuptools with
 * a setup.py, the legacy backend included), 'setup.cfg project', 'Poetry
 * project', 'Hatch project', … or '<backend> project'.
 */
export function projectKind(project: ProjectFacts, has: (file: string) => boolean): string {
  const backend = project.buildBackend
  const root = backend.split(/[.:]/)[0]
  if (!backend || root === 'setuptools') {
    if (has('setup.py')) return 'setup.py project'
    if (has('setup.cfg')) return 'setup.cfg project'
    return backend ? 'setuptools project' : 'project without a build backend (setuptools by default)'
  }
  const known = BACKENDS.find(([module]) => root === module)
  return `${known ? known[1] : backend} project`
}

/** Resolves PEP 735 groups, following `{include-group = "…"}` and refusing cycles. */
export function resolveDependencyGroups(groups: Table): Record<string, string[]> {
  const raw = new Map<string, unknown>()
  for (const [key, value] of Object.entries(groups)) {
    const name = normalizeName(key)
    if (raw.has(name)) throw new PyprojectError(`[dependency-groups] defines '${name}' twice (names are compared after normalization, PEP 735)`)
    raw.set(name, value)
  }
  const resolved: Record<string, string[]> = {}
  const visit = (name: string, trail: string[]): string[] => {
    if (resolved[name]) return resolved[name]
    if (trail.includes(name)) throw new PyprojectError(`dependency group '${name}' includes itself (${[...trail, name].join(' → ')})`)
    if (!raw.has(name)) throw new PyprojectError(`dependency group '${name}' is included but not defined`)
    const entries = raw.get(name)
    if (!Array.isArray(entries)) throw new PyprojectError(`dependency group '${name}' is not a list of requirements`)
    const out: string[] = []
    for (const entry of entries) {
      if (typeof entry === 'string') out.push(entry)
      else if (isTable(entry) && typeof entry['include-group'] === 'string') out.push(...visit(normalizeName(entry['include-group']), [...trail, name]))
      else throw new PyprojectError(`dependency group '${name}' has an entry that is neither a requirement nor {include-group = "…"}`)
    }
    return (resolved[name] = out)
  }
  for (const name of raw.keys()) visit(name, [])
  return resolved
}
