import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, it, expect } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { NO_PYPROJECT } from '../../src/pyproject.js'
import {
  CHECK_ENTRYPOINTS_SCRIPT,
  defaultName,
  describeTarget,
  entrypointError,
  entrypointsFromLines,
  entrypointsFromProject,
  parseEntrypointLine,
  parseTarget,
  wrapperScript,
  type EntrypointProblem
} from '../../src/freeze/entrypoints.js'
import type { EntryPoint, ProjectFacts } from '../../src/config.js'

const ENTRY_FIX = 'Write each line as `name = package.module:function` or `name = path/to/script.py`, optionally followed by (windowed).'

function facts(over: Partial<ProjectFacts> = {}): ProjectFacts {
  return { ...NO_PYPROJECT, ...over }
}

/** The InputError `fn` throws; fails the test when it throws nothing or something else. */
function thrown(fn: () => unknown): InputError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError, nothing was thrown')
}

describe('parseTarget', () => {
  it('reads module:function', () => {
    expect(parseTarget('chatty.cli:main')).toEqual({ kind: 'function', module: 'chatty.cli', attr: 'main' })
    expect(parseTarget('app:run')).toEqual({ kind: 'function', module: 'app', attr: 'run' })
    expect(parseTarget('  _priv.mod_2:_go  ')).toEqual({ kind: 'function', module: '_priv.mod_2', attr: '_go' })
  })

  it('reads an attribute path after the colon', () => {
    expect(parseTarget('app:cli.main')).toEqual({ kind: 'function', module: 'app', attr: 'cli.main' })
    expect(parseTarget('pkg.mod:App.instance.run')).toEqual({ kind: 'function', module: 'pkg.mod', attr: 'App.instance.run' })
  })

  it('ignores extras after the reference', () => {
    expect(parseTarget('chatty.cli:main [gui]')).toEqual({ kind: 'function', module: 'chatty.cli', attr: 'main' })
    expect(parseTarget('chatty.cli:main[gui,web]')).toEqual({ kind: 'function', module: 'chatty.cli', attr: 'main' })
  })

  it('reads .py and .pyw script paths', () => {
    expect(parseTarget('tools/run.py')).toEqual({ kind: 'script', path: 'tools/run.py' })
    expect(parseTarget('gui/Launcher.pyw')).toEqual({ kind: 'script', path: 'gui/Launcher.pyw' })
    expect(parseTarget('RUN.PY')).toEqual({ kind: 'script', path: 'RUN.PY' })
    expect(parseTarget('my scripts/run it.py')).toEqual({ kind: 'script', path: 'my scripts/run it.py' })
  })

  it.each([
    [''],
    ['chatty'],
    ['chatty:'],
    [':main'],
    ['chatty.cli:main()'],
    ['1pkg:main'],
    ['pkg:1main'],
    ['pkg..cli:main'],
    ['a b:c'],
    ['run.sh'],
    ['run.py.bak'],
    ['pkg:main:x']
  ])('returns undefined for %j', (text) => {
    expect(parseTarget(text)).toBeUndefined()
  })
})

describe('parseEntrypointLine', () => {
  it('reads name = target', () => {
    expect(parseEntrypointLine('chatty = chatty.cli:main')).toEqual({
      name: 'chatty',
      target: { kind: 'function', module: 'chatty.cli', attr: 'main' },
      windowed: false
    })
    expect(parseEntrypointLine('chatty=chatty.cli:main')).toEqual({
      name: 'chatty',
      target: { kind: 'function', module: 'chatty.cli', attr: 'main' },
      windowed: false
    })
    expect(parseEntrypointLine('  serve = tools/serve.py  ')).toEqual({ name: 'serve', target: { kind: 'script', path: 'tools/serve.py' }, windowed: false })
  })

  it('reads a line without a name', () => {
    expect(parseEntrypointLine('chatty.cli:main')).toEqual({
      name: undefined,
      target: { kind: 'function', module: 'chatty.cli', attr: 'main' },
      windowed: false
    })
    expect(parseEntrypointLine('tools/run.py')).toEqual({ name: undefined, target: { kind: 'script', path: 'tools/run.py' }, windowed: false })
  })

  it('reads (windowed) and (console)', () => {
    expect(parseEntrypointLine('chatty-gui = chatty.gui:main (windowed)')).toEqual({
      name: 'chatty-gui',
      target: { kind: 'function', module: 'chatty.gui', attr: 'main' },
      windowed: true
    })
    expect(parseEntrypointLine('chatty = chatty.cli:main (console)')).toEqual({
      name: 'chatty',
      target: { kind: 'function', module: 'chatty.cli', attr: 'main' },
      windowed: false
    })
    expect(parseEntrypointLine('gui/app.pyw(windowed)')).toEqual({ name: undefined, target: { kind: 'script', path: 'gui/app.pyw' }, windowed: true })
    expect(parseEntrypointLine('g = chatty.gui:main [gui] (windowed)')).toEqual({
      name: 'g',
      target: { kind: 'function', module: 'chatty.gui', attr: 'main' },
      windowed: true
    })
  })

  it.each([['chatty'], ['chatty ='], ['= chatty.cli:main'], ['chatty = chatty.cli'], ['chatty = chatty.cli:main (hidden)'], ['a = b = c:d'], ['x = run.sh']])(
    'refuses the malformed line %j',
    (line) => {
      const e = thrown(() => parseEntrypointLine(line))
      expect(e.input).toBe('entrypoint')
      expect(e.message).toBe(`Input 'entrypoint': \`${line}\` is neither module:function nor a .py script path. ${ENTRY_FIX}`)
    }
  )

  it('reports a line with spaces in the name as malformed (the name part cannot hold spaces)', () => {
    const e = thrown(() => parseEntrypointLine('my tool = app:main'))
    expect(e.message).toBe(`Input 'entrypoint': \`my tool = app:main\` is neither module:function nor a .py script path. ${ENTRY_FIX}`)
  })

  it.each([['-tool'], ['.tool'], ['to/ol'], ['tool$'], ['tööl']])('refuses the executable name %j', (name) => {
    const line = `${name} = app:main`
    const e = thrown(() => parseEntrypointLine(line))
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(`Input 'entrypoint': '${name}' in \`${line}\` is not a usable executable name. Use letters, digits, dots, dashes and underscores.`)
  })
})

describe('defaultName', () => {
  const project = facts({ scripts: { chat: 'chatty.cli:main [extra]' }, guiScripts: { 'chat-window': 'chatty.gui:run' } })
  const fn = (module: string, attr: string) => ({ kind: 'function', module, attr }) as const

  it('uses the name input for a single line', () => {
    expect(defaultName(fn('chatty.cli', 'main'), project, 'custom', true)).toBe('custom')
    expect(defaultName({ kind: 'script', path: 'tools/run.py' }, project, 'custom', true)).toBe('custom')
  })

  it('does not use the name input when there are several lines', () => {
    expect(defaultName(fn('other.mod', 'main'), project, 'custom', false)).toBe('mod')
  })

  it('uses a script basename without .py or .pyw', () => {
    expect(defaultName({ kind: 'script', path: 'tools/run.py' }, project, '', true)).toBe('run')
    expect(defaultName({ kind: 'script', path: 'gui/Launcher.PYW' }, project, '', false)).toBe('Launcher')
  })

  it('uses the matching [project.scripts] or [project.gui-scripts] name, extras ignored', () => {
    expect(defaultName(fn('chatty.cli', 'main'), project, '', true)).toBe('chat')
    expect(defaultName(fn('chatty.gui', 'run'), project, '', false)).toBe('chat-window')
  })

  it('falls back to the last part of the module', () => {
    expect(defaultName(fn('chatty.cli', 'other'), project, '', true)).toBe('cli')
    expect(defaultName(fn('tool', 'main'), facts(), '', true)).toBe('tool')
  })
})

describe('entrypointsFromLines', () => {
  const project = facts({ scripts: { chat: 'chatty.cli:main' } })

  it('builds entries with names and sources', () => {
    expect(entrypointsFromLines(['chatty.cli:main', 'chatty-gui = chatty.gui:main (windowed)', 'tools/web.py'], project, 'ignored')).toEqual([
      { name: 'chat', target: { kind: 'function', module: 'chatty.cli', attr: 'main' }, windowed: false, source: 'entrypoint `chatty.cli:main`' },
      {
        name: 'chatty-gui',
        target: { kind: 'function', module: 'chatty.gui', attr: 'main' },
        windowed: true,
        source: 'entrypoint `chatty-gui = chatty.gui:main (windowed)`'
      },
      { name: 'web', target: { kind: 'script', path: 'tools/web.py' }, windowed: false, source: 'entrypoint `tools/web.py`' }
    ])
  })

  it('gives a single unnamed line the name input', () => {
    expect(entrypointsFromLines(['chatty.cli:main'], project, 'my-tool').map((e) => e.name)).toEqual(['my-tool'])
  })

  it('refuses two entries with the same name', () => {
    const e = thrown(() => entrypointsFromLines(['a = x:main', 'a = y:main'], project, ''))
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe("Input 'entrypoint': two entry points are named 'a'. Give each line its own name: `name = module:function`.")
  })

  it('compares names case-insensitively', () => {
    const e = thrown(() => entrypointsFromLines(['Tool = x:main', 'tool = y:main'], project, ''))
    expect(e.message).toBe("Input 'entrypoint': two entry points are named 'tool'. Give each line its own name: `name = module:function`.")
  })

  it('refuses two unnamed lines that default to the same name', () => {
    const e = thrown(() => entrypointsFromLines(['a.cli:main', 'b.cli:main'], facts(), ''))
    expect(e.message).toBe("Input 'entrypoint': two entry points are named 'cli'. Give each line its own name: `name = module:function`.")
  })
})

describe('entrypointsFromProject duplicates', () => {
  it('refuses a name in both [project.scripts] and [project.gui-scripts], even when name picks it', () => {
    const both = facts({ scripts: { app: 'app.cli:main' }, guiScripts: { app: 'app.gui:main' } })
    for (const name of ['', 'app']) {
      expect(() => entrypointsFromProject(both, name)).toThrow(
        "Input 'entrypoint': two entry points are named 'app'. Rename one of them in pyproject.toml, or set entrypoint."
      )
    }
  })
})

describe('entrypointsFromProject', () => {
  const project = facts({
    scripts: { chatty: 'chatty.cli:main', 'chatty-web': 'chatty.web:serve [web]' },
    guiScripts: { 'chatty-gui': 'chatty.gui:main' }
  })

  it('takes console scripts, then windowed gui-scripts, in order', () => {
    expect(entrypointsFromProject(project, '')).toEqual([
      {
        name: 'chatty',
        target: { kind: 'function', module: 'chatty.cli', attr: 'main' },
        windowed: false,
        source: '[project.scripts] chatty in pyproject.toml'
      },
      {
        name: 'chatty-web',
        target: { kind: 'function', module: 'chatty.web', attr: 'serve' },
        windowed: false,
        source: '[project.scripts] chatty-web in pyproject.toml'
      },
      {
        name: 'chatty-gui',
        target: { kind: 'function', module: 'chatty.gui', attr: 'main' },
        windowed: true,
        source: '[project.gui-scripts] chatty-gui in pyproject.toml'
      }
    ])
  })

  it('picks one entry with the name input', () => {
    expect(entrypointsFromProject(project, 'chatty-gui')).toEqual([
      {
        name: 'chatty-gui',
        target: { kind: 'function', module: 'chatty.gui', attr: 'main' },
        windowed: true,
        source: '[project.gui-scripts] chatty-gui in pyproject.toml'
      }
    ])
  })

  it('refuses an unknown name and lists the names there are', () => {
    const e = thrown(() => entrypointsFromProject(project, 'chat'))
    expect(e.input).toBe('name')
    expect(e.message).toBe(
      "Input 'name': pyproject.toml has no [project.scripts] or [project.gui-scripts] entry named 'chat'; it has: chatty, chatty-web, chatty-gui. Give one of those, or leave name empty to build them all."
    )
  })

  it('asks for entrypoint or spec when the project has no scripts', () => {
    const e = thrown(() => entrypointsFromProject(facts(), ''))
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      "Input 'entrypoint': is not set, nor is spec, and pyproject.toml has no [project.scripts] or [project.gui-scripts] to build from. Set entrypoint (e.g. `mytool = mypackage.cli:main`), or spec (a PyInstaller .spec file)."
    )
  })

  it('refuses a pyproject entry that is not name and module:function', () => {
    const e = thrown(() => entrypointsFromProject(facts({ guiScripts: { 'my tool': 'app:main' } }), ''))
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      'Input \'entrypoint\': [project.gui-scripts] entry `my tool = "app:main"` in pyproject.toml is not an executable name and module:function. Fix it in pyproject.toml, or set entrypoint.'
    )
    const s = thrown(() => entrypointsFromProject(facts({ scripts: { run: 'tools/run.py' } }), ''))
    expect(s.message).toBe(
      'Input \'entrypoint\': [project.scripts] entry `run = "tools/run.py"` in pyproject.toml is not an executable name and module:function. Fix it in pyproject.toml, or set entrypoint.'
    )
  })
})

describe('describeTarget', () => {
  it('gives module:function or the script path', () => {
    expect(describeTarget({ kind: 'function', module: 'a.b', attr: 'c.d' })).toBe('a.b:c.d')
    expect(describeTarget({ kind: 'script', path: 'tools/run.py' })).toBe('tools/run.py')
  })
})

describe('wrapperScript', () => {
  it('imports the function and exits with its result', () => {
    expect(wrapperScript({ kind: 'function', module: 'chatty.cli', attr: 'main' })).toBe(
      [
        '# Generated by build-standalone: runs chatty.cli:main',
        'import sys',
        'from chatty.cli import main',
        '',
        "if __name__ == '__main__':",
        '    sys.exit(main())',
        ''
      ].join('\n')
    )
  })

  it('imports the head of an attribute path and calls the whole path', () => {
    expect(wrapperScript({ kind: 'function', module: 'app', attr: 'cli.main' })).toBe(
      [
        '# Generated by build-standalone: runs app:cli.main',
        'import sys',
        'from app import cli',
        '',
        "if __name__ == '__main__':",
        '    sys.exit(cli.main())',
        ''
      ].join('\n')
    )
  })
})

describe('entrypointError', () => {
  const entries: EntryPoint[] = [
    { name: 'chatty', target: { kind: 'function', module: 'chatty.cli', attr: 'main' }, windowed: false, source: 'entrypoint `chatty = chatty.cli:main`' },
    { name: 'gui', target: { kind: 'function', module: 'chatty.gui', attr: 'app.run' }, windowed: true, source: '[project.gui-scripts] gui in pyproject.toml' }
  ]

  it('returns undefined without problems', () => {
    expect(entrypointError([], entries)).toBeUndefined()
  })

  it('reports a module that cannot be found, with and without detail', () => {
    const e = entrypointError([{ ref: 'chatty.cli:main', problem: 'module', detail: '' }], entries) as InputError
    expect(e).toBeInstanceOf(InputError)
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      "Input 'entrypoint': the module 'chatty.cli' of entrypoint `chatty = chatty.cli:main` cannot be found in the build environment. Check the module path: it must be importable once the project is installed."
    )
    const d = entrypointError([{ ref: 'chatty.cli:main', problem: 'module', detail: "ModuleNotFoundError: No module named 'chatty'" }], entries) as InputError
    expect(d.message).toBe(
      "Input 'entrypoint': the module 'chatty.cli' of entrypoint `chatty = chatty.cli:main` cannot be found in the build environment (ModuleNotFoundError: No module named 'chatty'). Check the module path: it must be importable once the project is installed."
    )
  })

  it('reports a missing attribute by the head of its path', () => {
    const e = entrypointError([{ ref: 'chatty.gui:app.run', problem: 'attr', detail: '/venv/lib/chatty/gui.py' }], entries) as InputError
    expect(e.input).toBe('entrypoint')
    expect(e.message).toBe(
      "Input 'entrypoint': the module 'chatty.gui' of [project.gui-scripts] gui in pyproject.toml defines no 'app' (/venv/lib/chatty/gui.py). Check the function name after the colon."
    )
  })

  it('reports a syntax error', () => {
    const e = entrypointError([{ ref: 'chatty.cli:main', problem: 'syntax', detail: 'invalid syntax (<unknown>, line 3)' }], entries) as InputError
    expect(e.message).toBe(
      "Input 'entrypoint': the module 'chatty.cli' of entrypoint `chatty = chatty.cli:main` has a syntax error: invalid syntax (<unknown>, line 3). Fix the module."
    )
  })

  it('reports only the first problem, and names the ref when no entry matches', () => {
    const problems: EntrypointProblem[] = [
      { ref: 'other:main', problem: 'attr', detail: '/x/other.py' },
      { ref: 'chatty.cli:main', problem: 'module', detail: '' }
    ]
    expect((entrypointError(problems, entries) as InputError).message).toBe(
      "Input 'entrypoint': the module 'other' of other:main defines no 'main' (/x/other.py). Check the function name after the colon."
    )
  })
})

describe('CHECK_ENTRYPOINTS_SCRIPT', () => {
  let dir: string
  const modules: Record<string, string> = {
    'plain.py': 'def main():\n    return 0\n',
    'platformed.py': "import sys\nif sys.platform == 'win32':\n    def main():\n        return 1\nelse:\n    def main():\n        return 0\n",
    'optional.py': 'try:\n    from fast_impl import run\nexcept ImportError:\n    def run():\n        return 0\n',
    'managed.py': 'with open(__file__) as f:\n    cli = f.read\n',
    'annotated.py': 'main: object = print\n',
    'classy.py': 'class App:\n    def run(self):\n        return 0\n\n\napp = App()\n',
    'asyncy.py': 'async def main():\n    return 0\n',
    'aliased.py': 'from os import getcwd as main\nimport os.path\n',
    'mainguard.py': "def helper():\n    return 0\n\n\nif __name__ == '__main__':\n    pass\n",
    'mainassigned.py': 'if __name__ == "__main__":\n    main = print\n',
    'nested.py': 'def outer():\n    def main():\n        return 0\n    return main\n',
    'lazy.py': 'def __getattr__(name):\n    raise AttributeError(name)\n',
    'broken.py': 'x = 1\ndef main(:\n    pass\n',
    'sideeffect.py': "raise SystemExit('imported')\n\n\ndef main():\n    return 0\n",
    'pkg/__init__.py': 'from .cli import main\n',
    'pkg/cli.py': 'def main():\n    return 0\n\n\ndef run():\n    return 0\n',
    'badinit/__init__.py': 'import does_not_exist_xyz\n',
    'badinit/cli.py': 'def main():\n    return 0\n',
    'app/__init__.py': '',
    'app/cli.py': 'def main():\n    return 0\n'
  }

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-check-ep-'))
    for (const [rel, text] of Object.entries(modules)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
      fs.writeFileSync(path.join(dir, rel), text)
    }
  })

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  function check(...refs: string[]): EntrypointProblem[] {
    const env: Record<string, string | undefined> = { ...process.env, PYTHONPATH: dir, PYTHONDONTWRITEBYTECODE: '1' }
    delete env.PYTHONHOME
    const r = spawnSync('python3', ['-c', CHECK_ENTRYPOINTS_SCRIPT, ...refs], { cwd: dir, env, encoding: 'utf8' })
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    return JSON.parse(lines[0]) as EntrypointProblem[]
  }

  it('finds plain, async, annotated, imported and class attribute definitions', () => {
    expect(
      check('plain:main', 'asyncy:main', 'annotated:main', 'aliased:main', 'aliased:os', 'classy:app.run', 'classy:App', 'pkg:main', 'pkg.cli:run')
    ).toEqual([])
  })

  it('accepts package:submodule.function, which the wrapper imports as `from package import submodule`', () => {
    expect(check('app:cli.main')).toEqual([])
    expect(check('app:nope.main')).toEqual([{ ref: 'app:nope.main', problem: 'attr', detail: path.join(dir, 'app', '__init__.py') }])
  })

  it('counts definitions under if, else, try, except and with', () => {
    expect(check('platformed:main', 'optional:run', 'managed:cli')).toEqual([])
  })

  it('counts a name assigned under `if __name__ == "__main__":` (it collects every if body)', () => {
    expect(check('mainassigned:main')).toEqual([])
  })

  it('reports a module with only an `if __name__ == "__main__": pass` block and no main', () => {
    expect(check('mainguard:main', 'mainguard:helper')).toEqual([{ ref: 'mainguard:main', problem: 'attr', detail: path.join(dir, 'mainguard.py') }])
  })

  it('does not count a function defined inside another function', () => {
    expect(check('nested:main', 'nested:outer')).toEqual([{ ref: 'nested:main', problem: 'attr', detail: path.join(dir, 'nested.py') }])
  })

  it('reports a missing attribute in a submodule by its file', () => {
    expect(check('pkg.cli:missing')).toEqual([{ ref: 'pkg.cli:missing', problem: 'attr', detail: path.join(dir, 'pkg', 'cli.py') }])
  })

  it('reports a module whose package fails to import, with the exception', () => {
    expect(check('badinit.cli:main')).toEqual([
      { ref: 'badinit.cli:main', problem: 'module', detail: "ModuleNotFoundError: No module named 'does_not_exist_xyz'" }
    ])
  })

  it('accepts any name from a module with a module-level __getattr__', () => {
    expect(check('lazy:anything', 'lazy:main.sub')).toEqual([])
  })

  it('reports missing modules: top level without detail, under a missing package with the exception', () => {
    expect(check('nomodule:main', 'nopackage.sub:main', 'pkg.nosub:main')).toEqual([
      { ref: 'nomodule:main', problem: 'module', detail: '' },
      { ref: 'nopackage.sub:main', problem: 'module', detail: "ModuleNotFoundError: No module named 'nopackage'" },
      { ref: 'pkg.nosub:main', problem: 'module', detail: '' }
    ])
  })

  it('reports a syntax error with its line', () => {
    const problems = check('broken:main', 'plain:main')
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ ref: 'broken:main', problem: 'syntax' })
    expect(problems[0].detail).toMatch(/^.+ \(<unknown>, line 2\)$/)
  })

  it('reads the source without running the module', () => {
    expect(check('sideeffect:main', 'sideeffect:other')).toEqual([{ ref: 'sideeffect:other', problem: 'attr', detail: path.join(dir, 'sideeffect.py') }])
  })

  it('reports nothing for no refs', () => {
    expect(check()).toEqual([])
  })
})
