/**
 * Installing a missing Python as actions/setup-python does, against a
 * versions manifest and an archive served on 127.0.0.1 (nothing comes from
 * the internet): the archive is this machine's own CPython, packed in the
 * layout of actions/python-versions, with a setup.sh made like theirs
 * (installers/nix-setup-template.sh: copy into the tool cache, add the
 * `python` symlinks, remove itself from the copy, touch <arch>.complete), so
 * the branch real archives take is the one that runs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as path from 'node:path'
import { expectExit, hostPython, runAction, sample, tempDir, type ActionRun } from './harness.js'

const BUILD_TIMEOUT = 600_000

/** A setup.sh as actions/python-versions makes them (installers/nix-setup-template.sh), without the pip upgrade from PyPI. */
function setupScript(version: string, arch: string): string {
  return `set -e
PYTHON_FULL_VERSION="${version}"
ARCH="${arch}"
MAJOR_VERSION=$(echo $PYTHON_FULL_VERSION | cut -d '.' -f 1)
MINOR_VERSION=$(echo $PYTHON_FULL_VERSION | cut -d '.' -f 2)
PYTHON_MAJOR=python$MAJOR_VERSION
PYTHON_MAJOR_DOT_MINOR=python$MAJOR_VERSION.$MINOR_VERSION
PYTHON_MAJORMINOR=python$MAJOR_VERSION$MINOR_VERSION
if [ -z \${AGENT_TOOLSDIRECTORY+x} ]; then
    TOOLCACHE_ROOT=$RUNNER_TOOL_CACHE
else
    TOOLCACHE_ROOT=$AGENT_TOOLSDIRECTORY
fi
PYTHON_TOOLCACHE_PATH=$TOOLCACHE_ROOT/Python
PYTHON_TOOLCACHE_VERSION_PATH=$PYTHON_TOOLCACHE_PATH/$PYTHON_FULL_VERSION
PYTHON_TOOLCACHE_VERSION_ARCH_PATH=$PYTHON_TOOLCACHE_VERSION_PATH/$ARCH
if [ ! -d $PYTHON_TOOLCACHE_PATH ]; then
    mkdir -p $PYTHON_TOOLCACHE_PATH
elif [ -d $PYTHON_TOOLCACHE_VERSION_PATH ]; then
    rm -rf $PYTHON_TOOLCACHE_VERSION_PATH
fi
mkdir -p $PYTHON_TOOLCACHE_VERSION_ARCH_PATH
echo "Copy Python binaries to hostedtoolcache folder"
cp -R ./* $PYTHON_TOOLCACHE_VERSION_ARCH_PATH
rm $PYTHON_TOOLCACHE_VERSION_ARCH_PATH/setup.sh
cd $PYTHON_TOOLCACHE_VERSION_ARCH_PATH
ln -s ./bin/$PYTHON_MAJOR_DOT_MINOR python
cd bin/
[ -e $PYTHON_MAJORMINOR ] || ln -s $PYTHON_MAJOR_DOT_MINOR $PYTHON_MAJORMINOR
if [ ! -f python ]; then
    ln -s $PYTHON_MAJOR_DOT_MINOR python
fi
chmod +x ../python $PYTHON_MAJOR $PYTHON_MAJOR_DOT_MINOR $PYTHON_MAJORMINOR python
echo "Create complete file"
touch $PYTHON_TOOLCACHE_VERSION_PATH/$ARCH.complete
`
}

describe('a Python that is not installed is downloaded into the tool cache', () => {
  let server: http.Server
  let base: string
  let version: string
  const requests: string[] = []
  const root = tempDir('pyinstall')
  const toolCache = path.join(root, 'toolcache')

  beforeAll(async () => {
    const host = hostPython()
    version = host.version
    const prefix = path.dirname(path.dirname(host.executable))
    const archive = path.join(root, 'python.tar.gz')
    const minor = version.split('.').slice(0, 2).join('.')
    const scriptDir = path.join(root, 'setup-script')
    fs.mkdirSync(scriptDir)
    fs.writeFileSync(path.join(scriptDir, 'setup.sh'), setupScript(version, 'x64'))
    const tar = spawnSync(
      'tar',
      [
        '-czf',
        archive,
        '-C',
        prefix,
        `--exclude=lib/python${minor}/test`,
        `--exclude=lib/python${minor}/site-packages`,
        '--exclude=__pycache__',
        '--exclude=idlelib',
        '--exclude=turtledemo',
        'bin',
        'lib',
        'include',
        '-C',
        scriptDir,
        'setup.sh'
      ],
      { encoding: 'utf8' }
    )
    if (tar.status !== 0) throw new Error(tar.stderr)
    const osRelease = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : ''
    const platformVersion = /^VERSION_ID="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? ''
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '')
      if (req.url === '/versions-manifest.json') {
        const file = (pv: string) => ({
          filename: 'python.tar.gz',
          arch: 'x64',
          platform: 'linux',
          platform_version: pv,
          download_url: `${base}/python.tar.gz`
        })
        res.end(
          JSON.stringify([
            { version: '3.99.0', stable: false, files: [file(platformVersion)] },
            { version, stable: true, files: [file('0.0-not-this-one'), file(platformVersion)] }
          ])
        )
      } else if (req.url === '/python.tar.gz') fs.createReadStream(archive).pipe(res)
      else res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  }, 120_000)

  afterAll(() => {
    server.close()
  })

  const build = (): Promise<ActionRun> =>
    runAction(
      {
        'project-path': sample('tiny'),
        spec: 'packaging/tiny.spec',
        'python-version': version,
        'python-versions-manifest': `${base}/versions-manifest.json`,
        installer: 'pip',
        'smoke-test': 'hello'
      },
      // PATH has /usr/bin (tar) and maybe a system Python, but not this exact version.
      { env: { RUNNER_TOOL_CACHE: toolCache, PATH: '/usr/bin:/bin' } }
    )

  it(
    'installs the newest stable match into RUNNER_TOOL_CACHE/Python/<version>/<arch>, then builds with it',
    async () => {
      const run = await build()
      expectExit(run, 0)
      expect(run.stdout).toContain(`Downloading Python ${version}: ${base}/python.tar.gz`)
      expect(run.stdout).toContain(`Using Python ${version} from the tool cache`)
      expect(run.outputs['python-version']).toBe(version)
      expect(fs.existsSync(path.join(toolCache, 'Python', version, 'x64.complete'))).toBe(true)
      expect(fs.existsSync(path.join(toolCache, 'Python', version, 'x64', 'bin', 'python3'))).toBe(true)
      expect(requests).toEqual(['/versions-manifest.json', '/python.tar.gz'])
      // The archive's setup.sh installed it (tc.cacheDir makes neither the top-level symlink nor these lines).
      expect(run.stdout).toContain('Copy Python binaries to hostedtoolcache folder')
      expect(run.stdout).toContain('Create complete file')
      const installed = path.join(toolCache, 'Python', version, 'x64')
      expect(fs.readlinkSync(path.join(installed, 'python'))).toBe(`./bin/python${version.split('.').slice(0, 2).join('.')}`)
      expect(fs.existsSync(path.join(installed, 'setup.sh'))).toBe(false)
    },
    BUILD_TIMEOUT
  )

  it(
    'reuses it on the next run, as a self-hosted runner would: nothing is downloaded',
    async () => {
      requests.length = 0
      const run = await build()
      expectExit(run, 0)
      expect(run.stdout).toContain(`Using Python ${version} from the tool cache`)
      expect(run.stdout).not.toContain('Downloading Python')
      expect(requests).toEqual([])
    },
    BUILD_TIMEOUT
  )
})
