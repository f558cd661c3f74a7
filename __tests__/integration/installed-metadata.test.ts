/**
 * The installed-metadata script, run for real: two setuptools projects (one
 * with console and GUI scripts declared in setup.py, one with none but a
 * __main__.py) installed with pip from their folders into a venv made with
 * `python -m venv`; the script finds each by the direct_url.json pip wrote
 * (also when project-path is given through a symbolic link), else by name,
 * and reads name, version, summary, author, the maintainers and authors with
 * their emails, the license, the URLs, the script tables and the __main__
 * modules.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { tempDir } from '../e2e/harness.js'
import { installedMetadataCommand, parseInstalled, type InstalledDistribution } from '../../src/install/metadata.js'

let root: string
let python: string

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
  fs.writeFileSync(path.join(root, rel), text)
}

/** Runs the script as the install stage does and parses its last line. */
function lookUp(projectDir: string, name: string): InstalledDistribution | undefined {
  const cmd = installedMetadataCommand(python, projectDir, name, path.join(root, 'empty'))
  const r = spawnSync(cmd.program, cmd.args, { cwd: cmd.cwd, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return parseInstalled(JSON.parse(r.stdout.trim().split('\n').pop() as string))
}

beforeAll(() => {
  root = tempDir('installed-metadata')
  fs.mkdirSync(path.join(root, 'empty'))
  write('with-scripts/pyproject.toml', '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n')
  write(
    'with-scripts/setup.py',
    [
      'from setuptools import setup',
      'setup(name="Legacy_Tool", version="3.1.4", description="legacy", author="Grace Hopper", author_email="grace@example.org",',
      '      maintainer="Alan Turing", maintainer_email="alan@example.org", license="MIT", url="https://example.org/legacy",',
      '      project_urls={"Source": "https://example.org/legacy/src"}, packages=["legacy_tool"],',
      '      entry_points={"console_scripts": ["legacy-tool = legacy_tool.cli:main"], "gui_scripts": ["legacy-gui = legacy_tool.gui:main"]})',
      ''
    ].join('\n')
  )
  write('with-scripts/legacy_tool/__init__.py', '')
  write('with-scripts/legacy_tool/__main__.py', 'from .cli import main\nmain()\n')
  write(
    'no-scripts/pyproject.toml',
    '[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "quiet"\nversion = "0.2"\nlicense = "Apache-2.0 OR MIT"\nauthors = [{name = "Ada Lovelace", email = "ada@example.org"}, {email = "bob@example.org"}]\n[project.urls]\nRepository = "https://example.org/quiet"\n[tool.setuptools]\npackages = ["quiet"]\n'
  )
  write('no-scripts/quiet/__init__.py', '')
  write('no-scripts/quiet/__main__.py', 'from quiet.app import run\n\nif __name__ == "__main__":\n    run()\n')
  fs.symlinkSync(path.join(root, 'with-scripts'), path.join(root, 'linked'))
  const venv = path.join(root, 'venv')
  const made = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8' })
  if (made.status !== 0) throw new Error(made.stderr)
  python = path.join(venv, 'bin', 'python')
  const pip = spawnSync(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-q', path.join(root, 'with-scripts'), path.join(root, 'no-scripts')],
    { encoding: 'utf8', timeout: 300_000 }
  )
  if (pip.status !== 0) throw new Error(pip.stderr)
}, 360_000)

describe('the installed-metadata script in a real venv', () => {
  it('finds the distribution installed from the folder and reads its metadata and scripts', () => {
    expect(lookUp(path.join(root, 'with-scripts'), '')).toEqual({
      name: 'Legacy_Tool',
      version: '3.1.4',
      summary: 'legacy',
      author: 'Grace Hopper',
      contacts: ['Alan Turing <alan@example.org>', 'Grace Hopper <grace@example.org>'],
      license: 'MIT',
      urls: { Homepage: 'https://example.org/legacy', Source: 'https://example.org/legacy/src' },
      scripts: { 'legacy-tool': 'legacy_tool.cli:main' },
      guiScripts: { 'legacy-gui': 'legacy_tool.gui:main' },
      mains: [],
      foundBy: 'direct_url.json'
    })
  })

  it('finds it when project-path is given through a symbolic link', () => {
    expect(lookUp(path.join(root, 'linked'), '')?.name).toBe('Legacy_Tool')
  })

  it('reads the __main__ module of a distribution without scripts, the authors from Author-email, License-Expression and Project-URL', () => {
    expect(lookUp(path.join(root, 'no-scripts'), '')).toMatchObject({
      name: 'quiet',
      version: '0.2',
      author: 'Ada Lovelace',
      contacts: ['Ada Lovelace <ada@example.org>', 'bob@example.org'],
      license: 'Apache-2.0 OR MIT',
      urls: { Repository: 'https://example.org/quiet' },
      scripts: {},
      guiScripts: {},
      mains: [{ package: 'quiet', source: 'from quiet.app import run\n\nif __name__ == "__main__":\n    run()\n' }]
    })
  })

  it('falls back to the name pyproject.toml gives, and answers nothing when there is none', () => {
    expect(lookUp(path.join(root, 'empty'), 'quiet')).toMatchObject({ name: 'quiet', foundBy: 'name' })
    expect(lookUp(path.join(root, 'empty'), '')).toBeUndefined()
    expect(lookUp(path.join(root, 'empty'), 'not-installed')).toBeUndefined()
  })
})

describe('parseInstalled', () => {
  it('keeps only the strings it expects', () => {
    expect(parseInstalled(null)).toBeUndefined()
    expect(parseInstalled({ name: '' })).toBeUndefined()
    expect(
      parseInstalled({
        name: 'x',
        version: 1,
        contacts: ['A <a@example.org>', 3, ' '],
        urls: { Home: 'https://x.example', bad: {} },
        scripts: { a: 'b:c', n: 2 },
        mains: [{ package: 'p', source: 's' }, 'junk', { source: 'no package' }]
      })
    ).toEqual({
      name: 'x',
      version: '',
      summary: '',
      author: '',
      contacts: ['A <a@example.org>'],
      license: '',
      urls: { Home: 'https://x.example' },
      scripts: { a: 'b:c' },
      guiScripts: {},
      mains: [{ package: 'p', source: 's' }],
      foundBy: 'direct_url.json'
    })
  })
})
