/**
 * The project as it was installed: the distribution that the install stage
 * put into the build venv from project-path, and its metadata (name, version,
 * summary, author, maintainers and authors with their emails, license, home
 * page and project URLs, console_scripts and gui_scripts from entry_points.txt),
 * whatever built it (setuptools with setup.py or setup.cfg, Poetry, Hatch,
 * Flit, PDM, a dynamic version from setuptools-scm or hatch-vcs, …).
 */
import { excerpt } from '../errors.js'
import type { Command } from '../exec.js'
import type { MainModule } from '../main-module.js'
import { runJsonScript, scriptDir, venvScript } from '../venv-script.js'

export interface InstalledDistribution {
  readonly name: string
  readonly version: string
  readonly summary: string
  /** The first author's name ('' when none). */
  readonly author: string
  /** Maintainers, then authors, each as `Name <email>`, `Name` or `email` (as pyproject.ts reads [project]'s). */
  readonly contacts: readonly string[]
  /** License-Expression, else a one-line License field; '' when neither (or UNKNOWN, as old setuptools wrote). */
  readonly license: string
  /** Home-page (as Homepage) and the Project-URL entries: label → URL. */
  readonly urls: Readonly<Record<string, string>>
  /** console_scripts: executable name → `module:function`. */
  readonly scripts: Readonly<Record<string, string>>
  /** gui_scripts. */
  readonly guiScripts: Readonly<Record<string, string>>
  /** The `__main__.py` of its top-level packages, read only when it declares no scripts. */
  readonly mains: readonly MainModule[]
  /** How it was found: by the direct_url.json an install from a folder writes (PEP 610), or by the name pyproject.toml gives. */
  readonly foundBy: 'direct_url.json' | 'name'
}

/**
 * Prints, as JSON, the metadata of the distribution installed from the
 * folder argv[1] (its direct_url.json names it: pip, `uv pip install` and
 * `uv sync` all write one), or else of the distribution named argv[2];
 * `null` when there is none.
 */
export const INSTALLED_METADATA_SCRIPT = `
import email.utils, importlib.metadata as md, importlib.util, json, os, sys
from urllib.parse import urlparse
from urllib.request import url2pathname
project_dir, name = sys.argv[1], sys.argv[2]
def norm(p):
    return os.path.normcase(os.path.realpath(p))
def installed_from(dist):
    try:
        url = json.loads(dist.read_text('direct_url.json') or '{}').get('url', '')
    except Exception:
        return None
    u = urlparse(url)
    if u.scheme != 'file':
        return None
    return url2pathname(('//' + u.netloc if u.netloc and u.netloc != 'localhost' else '') + u.path)
found, how = None, ''
for dist in md.distributions():
    where = installed_from(dist)
    if where and norm(where) == norm(project_dir):
        found, how = dist, 'direct_url.json'
        break
if found is None and name:
    try:
        found, how = md.distribution(name), 'name'
    except md.PackageNotFoundError:
        pass
if found is None:
    print(json.dumps(None))
    sys.exit(0)
meta = found.metadata
def field(key):
    value = meta.get(key)
    value = value.strip() if isinstance(value, str) else ''
    return '' if value.upper() == 'UNKNOWN' else value
author = field('Author')
if not author:
    pairs = email.utils.getaddresses([field('Author-email')])
    author = next((n for n, _ in pairs if n), '')
def people(names_key, emails_key):
    names, emails = field(names_key), field(emails_key)
    pairs = [(n.strip(), e.strip()) for n, e in email.utils.getaddresses([emails]) if e.strip()] if emails else []
    if not pairs:
        return [names] if names else []
    if len(pairs) == 1 and not pairs[0][0] and names:
        # Author: Jane Doe with Author-email: jane@example.org (setup.py, Poetry) is one person.
        pairs = [(names, pairs[0][1])]
    return [f'{n} <{e}>' if n else e for n, e in pairs]
contacts = people('Maintainer', 'Maintainer-email') + people('Author', 'Author-email')
license = field('License-Expression')
if not license:
    text = field('License')
    license = text if text and '\\n' not in text and len(text) <= 100 else ''
urls = {}
if field('Home-page'):
    urls['Homepage'] = field('Home-page')
for entry in meta.get_all('Project-URL') or []:
    label, _, url = str(entry).partition(',')
    if label.strip() and url.strip():
        urls.setdefault(label.strip(), url.strip())
eps = list(found.entry_points)
scripts = {e.name: e.value for e in eps if e.group == 'console_scripts'}
gui = {e.name: e.value for e in eps if e.group == 'gui_scripts'}
mains = []
if not scripts and not gui:
    tops = set()
    for f in found.files or []:
        if len(f.parts) > 1:
            tops.add(f.parts[0])
    tops.update(line.strip() for line in (found.read_text('top_level.txt') or '').splitlines())
    for top in sorted(t for t in tops if t.isidentifier()):
        try:
            spec = importlib.util.find_spec(top)
        except Exception:
            continue
        for folder in (spec.submodule_search_locations or []) if spec else []:
            main = os.path.join(folder, '__main__.py')
            if os.path.isfile(main):
                with open(main, 'rb') as f:
                    mains.append({'package': top, 'source': f.read(65536).decode('utf-8', 'replace')})
                break
print(json.dumps({'name': field('Name'), 'version': field('Version'), 'summary': field('Summary'), 'author': author,
                  'contacts': contacts, 'license': license, 'urls': urls, 'scripts': scripts, 'guiScripts': gui, 'mains': mains, 'foundBy': how}))
`

/** The command that prints the installed project's metadata, run from an empty folder so that the source tree does not answer instead. */
export function installedMetadataCommand(python: string, projectDir: string, name: string, cwd: string): Command {
  return venvScript(python, INSTALLED_METADATA_SCRIPT, [projectDir, name], cwd)
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown): string => (typeof v === 'string' ? v : '')
const strings = (v: unknown): Record<string, string> =>
  isRecord(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {}

/** The script's answer, checked: undefined for `null` (nothing installed from the project) or anything else it should not print. */
export function parseInstalled(answer: unknown): InstalledDistribution | undefined {
  if (!isRecord(answer) || !text(answer.name)) return undefined
  const mains = Array.isArray(answer.mains) ? answer.mains.filter(isRecord).map((m) => ({ package: text(m.package), source: text(m.source) })) : []
  return Object.freeze({
    name: text(answer.name),
    version: text(answer.version),
    summary: text(answer.summary),
    author: text(answer.author),
    contacts: Object.freeze(Array.isArray(answer.contacts) ? answer.contacts.filter((c): c is string => typeof c === 'string' && c.trim() !== '') : []),
    license: text(answer.license),
    urls: Object.freeze(strings(answer.urls)),
    scripts: Object.freeze(strings(answer.scripts)),
    guiScripts: Object.freeze(strings(answer.guiScripts)),
    mains: Object.freeze(mains.filter((m) => m.package)),
    foundBy: answer.foundBy === 'name' ? 'name' : 'direct_url.json'
  })
}

/** Reads the installed project's metadata from the build venv; undefined when no distribution was installed from project-path. */
export async function readInstalled(python: string, projectDir: string, name: string, workDir: string): Promise<InstalledDistribution | undefined> {
  const cmd = installedMetadataCommand(python, projectDir, name, scriptDir(workDir))
  return parseInstalled(
    await runJsonScript<unknown>('install', cmd, `Could not read the metadata of the project installed from ${excerpt(projectDir, 200)}.`, null)
  )
}
