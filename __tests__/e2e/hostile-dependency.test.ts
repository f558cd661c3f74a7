/**
 * A hostile dependency, through dist/index.js (issue 22): what an attacker who
 * controls one wheel of the project can do without any code of theirs running
 * in the action, and what their code run by the build sees.
 *
 * The project depends on four local wheels written by
 * __tests__/fixtures/hostile_wheels.py (nothing from the network but PyPI, for
 * uv, PyInstaller and setuptools): License-File entries that climb to
 * /proc/self/environ and /etc/hostname or name /dev/zero, a 500 MB license
 * text, a METADATA in Latin-1 that says `License: GNU GPL v3`, a
 * `GPL-3.0-or-later` license, a license no one can classify, and a PyInstaller
 * hook. Its setup.py, that hook and the smoke-tested program each write the
 * environment they were given to HOSTILE_ENV_DIR (a variable of the step's
 * env:, which children get), and the program also prints it.
 *
 * Two runs, with every secret input set and the runner's tokens in the
 * environment: README's deny list (GPL-3.0-only, AGPL-3.0-only) must fail,
 * naming the GPL-3.0-or-later and GNU GPL v3 distributions; without it the
 * build passes, and neither the archive, nor a child's environment, nor the log
 * holds a secret or a host file. And one local run (dist/cli) with the same
 * secrets as options, whose children must not see them either.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { errorAnnotation, expectExit, node24, REPO, runAction, sample, tempDir, untar, type ActionRun } from './harness.js'

const SECRETS = {
  'github-token': 'ghs_HOSTILE_DEP_GITHUB_TOKEN_0001',
  'windows-certificate': Buffer.from('HOSTILE-DEP-CERTIFICATE-0002').toString('base64'),
  'windows-certificate-password': 'HOSTILE-DEP-CERT-PASSWORD-0003',
  'macos-certificate-password': 'HOSTILE-DEP-MAC-PASSWORD-0004',
  'apple-app-password': 'HOSTILE-DEP-APPLE-PASSWORD-0005'
}
const RUNNER_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'HOSTILE-DEP-RUNTIME-TOKEN-0006',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'HOSTILE-DEP-OIDC-TOKEN-0007',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.invalid/HOSTILE-DEP-OIDC-URL-0008',
  GITHUB_TOKEN: 'ghs_HOSTILE_DEP_ENV_TOKEN_0009',
  GH_TOKEN: 'ghs_HOSTILE_DEP_GH_TOKEN_0010'
}
const SECRET_VALUES = [...Object.values(SECRETS), ...Object.values(RUNNER_SECRETS)]
const HUGE_MB = 500
const README_DENY = 'GPL-3.0-only, AGPL-3.0-only'
const UP = '../'.repeat(20)

/** The hostile wheels, written once inside the workspace (beside this file's copies of the samples). */
function hostileWheels(): string {
  const wheels = path.join(path.dirname(path.join(REPO, sample('tiny'))), 'hostile-wheels')
  const made = spawnSync('python3', [path.join(REPO, '__tests__', 'fixtures', 'hostile_wheels.py'), wheels, String(HUGE_MB)], { encoding: 'utf8' })
  if (made.status !== 0) throw new Error(made.stderr)
  return wheels
}

/**
 * A project (one copy per run: an install builds in the project's folder) with a console script that imports every
 * hostile distribution, a setup.py, and a requirements file naming the wheels.
 */
function hostileProject(name: string, wheels: string): string {
  const dir = path.join(path.dirname(wheels), name)
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    fs.writeFileSync(path.join(dir, rel), text)
  }
  write(
    'pyproject.toml',
    [
      '[build-system]',
      'requires = ["setuptools>=68"]',
      'build-backend = "setuptools.build_meta"',
      '[project]',
      'name = "hostile-app"',
      'version = "1.0.0"',
      'license = "MIT"',
      '[project.scripts]',
      'hostile-app = "hostile_app.cli:main"',
      '[tool.setuptools.packages.find]',
      'where = ["src"]',
      ''
    ].join('\n')
  )
  const dump = (stage: string): string =>
    `import json, os\nfolder = os.environ.get('HOSTILE_ENV_DIR')\nif folder:\n    with open(os.path.join(folder, '${stage}-%d.json' % os.getpid()), 'w') as f:\n        json.dump(dict(os.environ), f)\n`
  // Run by the build backend while the project installs.
  write('setup.py', `${dump('install')}from setuptools import setup\nsetup()\n`)
  write('src/hostile_app/__init__.py', '')
  write(
    'src/hostile_app/cli.py',
    `import json, os\nimport evil_license, gpl_later, latin_meta, odd_license\n\n\ndef main():\n${dump('smoke')
      .split('\n')
      .map((l) => (l ? `    ${l}` : l))
      .join(
        '\n'
      )}    for name in sorted(os.environ):\n        print('%s=%s' % (name, os.environ[name]))\n    print('MY_STEP_VARIABLE=%s (%d variables)' % (os.environ.get('MY_STEP_VARIABLE'), len(os.environ)))\n`
  )
  write(
    'requirements-hostile.txt',
    `${fs
      .readdirSync(wheels)
      .map((w) => path.join(wheels, w))
      .join('\n')}\n`
  )
  return dir
}

/** Every file under a folder. */
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : d.isFile() ? [path.join(dir, d.name)] : []))

/** The seconds a stage took, from its log line. */
const stageSeconds = (run: ActionRun, stage: string): number =>
  Number(new RegExp(`^${stage}: (?:done|failed) in ([\\d.]+) s$`, 'm').exec(run.stdout)?.[1] ?? NaN)

/** The local entry, dist/cli/index.js, as a maintainer runs it: every input an option, in a shell that has no runner variables. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_)/.test(k)))
  const child = spawn(node24(), [path.join(REPO, 'dist', 'cli', 'index.js'), ...args], {
    cwd: REPO,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr.on('data', (c: Buffer) => (out += c.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })))
}

describe('a hostile dependency through dist/index.js', () => {
  let envDir = { denied: '', passed: '', cli: '' }
  let local: { code: number | null; out: string }
  let denied: ActionRun
  let passed: ActionRun
  const seconds = { denied: 0, passed: 0 }

  beforeAll(async () => {
    const wheels = hostileWheels()
    const projects = {
      denied: hostileProject('hostile-denied', wheels),
      passed: hostileProject('hostile-passed', wheels),
      cli: hostileProject('hostile-cli', wheels)
    }
    envDir = { denied: tempDir('env-denied'), passed: tempDir('env-passed'), cli: tempDir('env-cli') }
    const inputs = {
      requirements: 'requirements-hostile.txt',
      mode: 'onedir',
      'smoke-test': 'hostile-app',
      upload: 'never',
      cache: 'false',
      ...SECRETS
    }
    const env = (dir: string) => ({ ...RUNNER_SECRETS, HOSTILE_ENV_DIR: dir, MY_STEP_VARIABLE: 'from-the-step-env' })
    const timed = async (run: Promise<ActionRun>): Promise<[ActionRun, number]> => {
      const started = Date.now()
      const r = await run
      return [r, (Date.now() - started) / 1000]
    }
    const cliTemp = tempDir('cli-temp')
    const at = (dir: string) => ({ 'project-path': path.relative(REPO, dir) })
    const cliArgs = Object.entries({ ...inputs, ...at(projects.cli), 'output-dir': path.join(cliTemp, 'out') }).flatMap(([k, v]) => [`--${k}`, v])
    ;[[denied, seconds.denied], [passed, seconds.passed], local] = await Promise.all([
      timed(runAction({ ...inputs, ...at(projects.denied), 'license-deny': README_DENY }, { env: env(envDir.denied) })),
      timed(runAction({ ...inputs, ...at(projects.passed) }, { env: env(envDir.passed) })),
      runCli(cliArgs, { ...env(envDir.cli), RUNNER_TEMP: cliTemp })
    ])
    console.log(
      `hostile dependency: denied run ${seconds.denied.toFixed(1)} s (inspect ${stageSeconds(denied, 'inspect')} s), passing run ${seconds.passed.toFixed(1)} s (inspect ${stageSeconds(passed, 'inspect')} s)`
    )
  }, 600_000)

  describe("under README's deny list", () => {
    it('fails at inspect, naming the GPL-3.0-or-later and GNU GPL v3 distributions, and the license it cannot classify', () => {
      expectExit(denied, 1)
      const error = errorAnnotation(denied)
      expect(error).toContain(
        `inspect failed: the builds ship distributions under a license that license-deny refuses (GPL-3.0-only, AGPL-3.0-only): gpl-later 1.0 (GPL-3.0-or-later), latin-meta 1.0 (GPL-3.0-only).`
      )
      expect(error).toContain('odd-license 1.0 (Proprietary, see the vendor: not a license the action knows)')
      expect(error).toContain('set license-unknown: allow')
      expect(denied.stdout).not.toMatch(/^smoke: /m)
    })

    it('reads the 500 MB license text and /dev/zero not at all: the inspect stage takes seconds', () => {
      expect(stageSeconds(denied, 'inspect')).toBeLessThan(60)
    })
  })

  describe('without a deny list', () => {
    let extracted = ''
    beforeAll(() => {
      expectExit(passed, 0)
      extracted = tempDir('hostile-archive')
      const archives = (passed.outputs.archives ?? '').split('\n').filter(Boolean)
      expect(archives).toHaveLength(1)
      untar(archives[0], extracted)
    })

    it('builds, and the smoke-tested program runs', () => {
      expect(passed.stdout).toMatch(/^ {2}passed in [\d.]+ s$/m)
      expect(stageSeconds(passed, 'inspect')).toBeLessThan(60)
    })

    it("ships notices that name each refused license file, and hold no host file's content", () => {
      const notices = fs.readFileSync(path.join(extracted, 'hostile-app', 'THIRD-PARTY-NOTICES.txt'), 'utf8')
      expect(notices).toContain('MIT License\n\nCopyright (c) the evil-license authors')
      for (const line of [
        `Not included: '${UP}proc/self/environ', named by its metadata, climbs out of the distribution's folders (..).`,
        `Not included: '${UP}etc/hostname', named by its metadata, climbs out of the distribution's folders (..).`,
        "Not included: '/etc/hostname', named by its metadata, is an absolute path.",
        `Not included: '${UP}dev/zero', named by its metadata, climbs out of the distribution's folders (..).`,
        "Not included: '/dev/zero', named by its metadata, is an absolute path.",
        `Not included: 'HUGE.txt', named by its metadata, is ${HUGE_MB * 1024 * 1024} bytes, more than the 2097152 a license text may have.`
      ])
        expect(notices).toContain(line)
      expect(notices.length).toBeLessThan(64 * 1024)
      // The only license texts in it: the ones inside evil-license's own metadata folder.
      expect([...notices.matchAll(/^(.+):\n-{78}$/gm)].map((m) => m[1]).sort()).toEqual(['LICENSE', 'LINKED', 'PIPE'])
      expect(notices).not.toContain('HOSTILE_ENV_DIR')
      expect(notices).not.toContain('MY_STEP_VARIABLE')
    })

    it('holds no secret in any file of the archive', () => {
      for (const file of filesUnder(extracted)) {
        const bytes = fs.readFileSync(file)
        for (const secret of SECRET_VALUES) expect([path.relative(extracted, file), bytes.includes(secret)]).toEqual([path.relative(extracted, file), false])
      }
    })

    it("gives every child (the project's build backend, the dependency's PyInstaller hook, the smoke-tested program) no input, no runner token, no GitHub token", () => {
      const dumps = fs.readdirSync(envDir.passed)
      for (const stage of ['install', 'build', 'smoke']) expect([stage, dumps.some((d) => d.startsWith(`${stage}-`))]).toEqual([stage, true])
      for (const dump of dumps) {
        const env = JSON.parse(fs.readFileSync(path.join(envDir.passed, dump), 'utf8')) as Record<string, string>
        const names = Object.keys(env)
        expect([dump, names.filter((n) => /^(INPUT_|ACTIONS_|STATE_)/i.test(n) || ['GITHUB_TOKEN', 'GH_TOKEN'].includes(n))]).toEqual([dump, []])
        for (const secret of SECRET_VALUES) expect([dump, JSON.stringify(env).includes(secret)]).toEqual([dump, false])
        // What it needs: the search path, a home, and the variables of the step's env:.
        expect([dump, Boolean(env.PATH), Boolean(env.HOME), env.MY_STEP_VARIABLE]).toEqual([dump, true, true, 'from-the-step-env'])
      }
    })

    it('the local entry (dist/cli) gives its children no secret either: the options it was given arrive as INPUT_* in its own environment only', () => {
      expect([local.code, local.out.slice(-2000)]).toEqual([0, expect.any(String)])
      const dumps = fs.readdirSync(envDir.cli)
      expect(dumps.some((d) => d.startsWith('smoke-'))).toBe(true)
      for (const dump of dumps) {
        const env = JSON.parse(fs.readFileSync(path.join(envDir.cli, dump), 'utf8')) as Record<string, string>
        expect([dump, Object.keys(env).filter((n) => /^(INPUT_|ACTIONS_)/i.test(n))]).toEqual([dump, []])
        for (const secret of SECRET_VALUES) expect([dump, JSON.stringify(env).includes(secret)]).toEqual([dump, false])
      }
      for (const secret of SECRET_VALUES) expect(local.out.includes(secret)).toBe(false)
    })

    it('prints no secret in the log, though the smoke-tested program printed its environment there', () => {
      // The log keeps the last 40 lines of the output: the last line says the variable of the step's env: arrived.
      expect(passed.stdout).toMatch(/^ {2}MY_STEP_VARIABLE=from-the-step-env \(\d+ variables\)$/m)
      // The runner reads ::add-mask:: lines (every secret input is masked at once) and shows none of them.
      const masked = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('::add-mask::'))
      for (const secret of Object.values(SECRETS)) expect(masked(passed.stdout)).toContain(`::add-mask::${secret}`)
      for (const text of [passed.stdout, passed.stderr, denied.stdout, denied.stderr, passed.summary]) {
        const shown = text
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n')
        for (const secret of SECRET_VALUES) expect([secret, shown.includes(secret)]).toEqual([secret, false])
      }
      expect(passed.stdout).not.toContain('Traceback')
    })

    it('names in the log and the summary the license files it left out, the license it cannot classify, and the METADATA that is not UTF-8', () => {
      expect(passed.stdout).toMatch(/::warning::hostile-app: 6 license files named by the metadata left out of THIRD-PARTY-NOTICES\.txt/)
      expect(passed.stdout).toContain(
        '::warning::latin-meta 1.0 (latin_meta-1.0.dist-info): its METADATA is not UTF-8 (byte 0xe9 at offset 64): read with that byte replaced.'
      )
      expect(passed.summary).toContain(
        'Licenses the action cannot classify (not an SPDX expression, nor a name it knows): odd-license 1.0 (Proprietary, see the vendor)'
      )
      expect(passed.summary).toContain(`evil-license 1.0: '${UP}proc/self/environ' climbs out of the distribution's folders (..)`)
      expect(passed.summary).toContain('latin-meta 1.0 (latin_meta-1.0.dist-info): its METADATA is not UTF-8')
    })
  })
})
