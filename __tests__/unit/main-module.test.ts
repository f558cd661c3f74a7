import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { findMainModules, mainEntrypoint, mainTarget } from '../../src/main-module.js'

const target = (source: string, pkg = 'tool'): string | undefined => mainTarget({ package: pkg, source })

describe('mainTarget', () => {
  it.each([
    ['from .cli import main\n\nif __name__ == "__main__":\n    main()\n', 'tool.cli:main'],
    ['from .cli import main\nraise SystemExit(main())\n', 'tool.cli:main'],
    ['import sys\nfrom tool.app import run as start\n\nif __name__ == "__main__":\n    sys.exit(start())\n', 'tool.app:run'],
    ['def main():\n    print("hi")\n\n\nif __name__ == "__main__":\n    main()\n', 'tool.__main__:main'],
    ['async def main():\n    pass\nmain()\n', 'tool.__main__:main'],
    ['from . import cli\n\nif __name__ == "__main__":\n    cli.main()\n', 'tool.cli:main'],
    ['import tool.cli\ntool.cli.main()\n', 'tool.cli:main'],
    ['import tool.cli as c\nexit(c.entry())\n', 'tool.cli:entry'],
    ['from .app import application\napplication.run()\n', 'tool.app:application.run'],
    ['from .cli import (\n    helper,\n    main,\n)\n# main() in a comment\nmain()  # run it\n', 'tool.cli:main'],
    ['from ..other import main\nmain()\n', undefined],
    ['import click\nfrom click_tool import cli\ncli()\n', undefined],
    ['import sys\nsys.exit()\n', undefined],
    ['from .cli import main\nmain(sys.argv[1:])\n', undefined],
    ['print("top-level code only")\n', undefined]
  ])('reads %j as %s', (source, expected) => {
    expect(target(source)).toBe(expected)
  })

  it('follows relative imports of a subpackage', () => {
    expect(target('from .cli import main\nmain()\n', 'tool.sub')).toBe('tool.sub.cli:main')
    expect(target('from .. import run\nrun()\n', 'tool.sub')).toBe('tool:run')
  })

  it('takes the last call it can follow', () => {
    expect(target('from .cli import main, setup\nsetup()\nmain()\n')).toBe('tool.cli:main')
    expect(target('from .cli import main\nmain()\nimport os\nos.getcwd()\n')).toBe('tool.cli:main')
  })

  it('names what python -m would run, for the suggestions of a real __main__.py', () => {
    // The suggestion must be importable as module:function: check one with Python itself.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-main-'))
    try {
      fs.mkdirSync(path.join(dir, 'tool'))
      fs.writeFileSync(path.join(dir, 'tool', '__init__.py'), '')
      fs.writeFileSync(path.join(dir, 'tool', 'cli.py'), 'def main():\n    print("ran main")\n')
      const source = 'from .cli import main\n\nif __name__ == "__main__":\n    main()\n'
      fs.writeFileSync(path.join(dir, 'tool', '__main__.py'), source)
      const [module, fn] = (target(source) as string).split(':')
      const r = spawnSync('python3', ['-c', `import importlib; getattr(importlib.import_module(${JSON.stringify(module)}), ${JSON.stringify(fn)})()`], {
        cwd: dir,
        encoding: 'utf8'
      })
      expect(r.stdout).toBe('ran main\n')
      expect(spawnSync('python3', ['-m', 'tool'], { cwd: dir, encoding: 'utf8' }).stdout).toBe('ran main\n')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('findMainModules and mainEntrypoint', () => {
  let root: string
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-mains-'))
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
      fs.writeFileSync(path.join(root, rel), text)
    }
    write('proj/src/alpha/__init__.py', '')
    write('proj/src/alpha/__main__.py', 'print("no function")\n')
    write('proj/src/beta/__init__.py', '')
    write('proj/src/beta/__main__.py', 'from .cli import main\nmain()\n')
    write('proj/gamma/__main__.py', 'from .cli import main\nmain()\n') // no __init__.py: not a package
    write('proj/not-a-package/__init__.py', '')
    write('proj/not-a-package/__main__.py', 'main()\n')
    write('elsewhere/__main__.py', 'from .cli import main\nmain()\n')
    write('proj/linked/__init__.py', '')
    fs.symlinkSync(path.join(root, 'elsewhere', '__main__.py'), path.join(root, 'proj', 'linked', '__main__.py'))
  })
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

  it('finds the packages of the project folder and of src/ with a __main__.py, not following links', () => {
    expect(findMainModules(path.join(root, 'proj')).map((m) => m.package)).toEqual(['alpha', 'beta'])
  })

  it('suggests the first one that names a function, with the executable name given', () => {
    expect(mainEntrypoint(findMainModules(path.join(root, 'proj')), 'beta-tool')).toEqual({ line: 'beta-tool = beta.cli:main', file: 'beta/__main__.py' })
    expect(mainEntrypoint(findMainModules(path.join(root, 'proj')), '')).toEqual({ line: 'beta = beta.cli:main', file: 'beta/__main__.py' })
    expect(mainEntrypoint([{ package: 'alpha', source: 'print(1)\n' }], 'x')).toBeUndefined()
    expect(findMainModules(path.join(root, 'missing'))).toEqual([])
  })
})
