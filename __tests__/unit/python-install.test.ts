import { describe, it, expect } from '@jest/globals'
import { platformFor } from '../../src/platform.js'
import {
  checksumProblem,
  chooseRelease,
  DEFAULT_MANIFEST_URL,
  linuxVersionId,
  manifestPlatform,
  setupScriptCommand,
  unpackCommand,
  type ManifestFile,
  type ManifestRelease,
  urlProblem
} from '../../src/python-install.js'

const linux = platformFor('linux', 'x64')
const linuxArm = platformFor('linux', 'arm64')
const windows = platformFor('win32', 'x64')
const windowsArm = platformFor('win32', 'arm64')
const windows32 = platformFor('win32', 'ia32')
const mac = platformFor('darwin', 'arm64')
const macIntel = platformFor('darwin', 'x64')

const BASE = 'https://github.com/actions/python-versions/releases/download'

/** A file entry as actions/python-versions writes it. */
function file(version: string, platform: string, arch: string, platformVersion?: string): ManifestFile {
  const ext = platform === 'win32' ? 'zip' : 'tar.gz'
  const filename = `python-${version}-${platform}${platformVersion ? `-${platformVersion}` : ''}-${arch}.${ext}`
  return {
    filename,
    arch,
    platform,
    ...(platformVersion ? { platform_version: platformVersion } : {}),
    download_url: `${BASE}/${version}-1234567890/${filename}`
  }
}

// Deliberately not sorted: chooseRelease must find the newest itself.
const MANIFEST: ManifestRelease[] = [
  {
    version: '3.12.8',
    stable: true,
    files: [
      file('3.12.8', 'darwin', 'arm64'),
      file('3.12.8', 'darwin', 'x64'),
      file('3.12.8', 'linux', 'arm64', '22.04'),
      file('3.12.8', 'linux', 'x64', '22.04'),
      file('3.12.8', 'linux', 'arm64', '24.04'),
      file('3.12.8', 'linux', 'x64', '24.04'),
      file('3.12.8', 'win32', 'x64'),
      file('3.12.8', 'win32', 'x86')
    ]
  },
  {
    version: '3.15.0',
    stable: false,
    files: [file('3.15.0', 'linux', 'x64', '22.04'), file('3.15.0', 'linux', 'x64', '24.04'), file('3.15.0', 'darwin', 'arm64'), file('3.15.0', 'win32', 'x64')]
  },
  {
    version: '3.14.0-beta.1',
    stable: true,
    files: [file('3.14.0-beta.1', 'linux', 'x64', '22.04'), file('3.14.0-beta.1', 'darwin', 'arm64'), file('3.14.0-beta.1', 'win32', 'x64')]
  },
  {
    version: '3.13.2',
    stable: true,
    files: [
      file('3.13.2', 'darwin', 'arm64'),
      file('3.13.2', 'darwin', 'x64'),
      file('3.13.2', 'linux', 'x64-freethreaded', '24.04'),
      file('3.13.2', 'linux', 'x64', '24.04'),
      file('3.13.2', 'linux', 'arm64', '24.04'),
      file('3.13.2', 'win32', 'x64-freethreaded'),
      file('3.13.2', 'win32', 'x64'),
      file('3.13.2', 'win32', 'arm64')
    ]
  },
  {
    version: '3.13.1',
    stable: true,
    files: [file('3.13.1', 'darwin', 'arm64'), file('3.13.1', 'linux', 'x64', '22.04'), file('3.13.1', 'linux', 'x64', '24.04'), file('3.13.1', 'win32', 'x64')]
  },
  {
    version: '3.13.0-rc.3',
    stable: false,
    files: [file('3.13.0-rc.3', 'linux', 'x64', '22.04'), file('3.13.0-rc.3', 'darwin', 'arm64')]
  },
  {
    version: '3.11.9',
    stable: true,
    files: [
      file('3.11.9', 'darwin', 'x64'),
      file('3.11.9', 'linux', 'x64', '20.04'),
      file('3.11.9', 'linux', 'x64', '22.04'),
      file('3.11.9', 'win32', 'x64'),
      file('3.11.9', 'win32', 'x86')
    ]
  },
  {
    version: '3.10.11',
    stable: true,
    files: [
      { ...file('3.10.11', 'darwin', 'arm64'), platform_version: '11.0' },
      file('3.10.11', 'linux', 'x64', '22.04'),
      { ...file('3.10.11', 'win32', 'arm64'), platform_version: '2022' }
    ]
  },
  {
    version: '3.8.18',
    stable: true,
    files: [file('3.8.18', 'linux', 'x64'), file('3.8.18', 'win32', 'x64')]
  }
]

/** The file object of the manifest, so results are checked by identity. */
function manifestFile(version: string, filename: string): ManifestFile {
  const found = MANIFEST.find((r) => r.version === version)?.files.find((f) => f.filename === filename)
  if (!found) throw new Error(`no ${filename} in ${version}`)
  return found
}

describe('DEFAULT_MANIFEST_URL', () => {
  it('is the actions/python-versions manifest', () => {
    expect(DEFAULT_MANIFEST_URL).toBe('https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json')
  })
})

describe('manifestPlatform', () => {
  it('names linux, win32 and darwin', () => {
    expect(manifestPlatform(linux)).toBe('linux')
    expect(manifestPlatform(linuxArm)).toBe('linux')
    expect(manifestPlatform(windows)).toBe('win32')
    expect(manifestPlatform(mac)).toBe('darwin')
    expect(manifestPlatform(macIntel)).toBe('darwin')
  })
})

describe('chooseRelease on Linux', () => {
  it('picks the newest stable release with a file for this distribution version', () => {
    const choice = chooseRelease(MANIFEST, '3.x', linux, '24.04')
    expect(choice).toEqual({ version: '3.13.2', file: manifestFile('3.13.2', 'python-3.13.2-linux-24.04-x64.tar.gz') })
    expect(choice?.file).toBe(manifestFile('3.13.2', 'python-3.13.2-linux-24.04-x64.tar.gz'))
    expect(choice?.file.download_url).toBe(`${BASE}/3.13.2-1234567890/python-3.13.2-linux-24.04-x64.tar.gz`)
  })

  it('skips a newer release that has no file for this distribution version', () => {
    // 3.13.2 is built for 24.04 only.
    expect(chooseRelease(MANIFEST, '3.x', linux, '22.04')).toEqual({
      version: '3.13.1',
      file: manifestFile('3.13.1', 'python-3.13.1-linux-22.04-x64.tar.gz')
    })
    expect(chooseRelease(MANIFEST, '3.13', linux, '22.04')?.version).toBe('3.13.1')
  })

  it('never picks an unstable release or a pre-release version', () => {
    expect(chooseRelease(MANIFEST, '3.15', linux, '24.04')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '3.14', linux, '22.04')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '>=3.14', linux, '22.04')).toBeUndefined()
  })

  it('respects the architecture, never taking a free-threaded build', () => {
    expect(chooseRelease(MANIFEST, '3.13', linuxArm, '24.04')).toEqual({
      version: '3.13.2',
      file: manifestFile('3.13.2', 'python-3.13.2-linux-24.04-arm64.tar.gz')
    })
    expect(chooseRelease(MANIFEST, '3.13', linuxArm, '22.04')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '3.x', linuxArm, '22.04')).toEqual({
      version: '3.12.8',
      file: manifestFile('3.12.8', 'python-3.12.8-linux-22.04-arm64.tar.gz')
    })
    expect(chooseRelease(MANIFEST, '3.13.2', linux, '24.04')?.file.arch).toBe('x64')
  })

  it('applies PEP 440 specifiers', () => {
    expect(chooseRelease(MANIFEST, '>=3.10,<3.13', linux, '22.04')).toEqual({
      version: '3.12.8',
      file: manifestFile('3.12.8', 'python-3.12.8-linux-22.04-x64.tar.gz')
    })
    expect(chooseRelease(MANIFEST, '~=3.10.2', linux, '22.04')).toEqual({
      version: '3.10.11',
      file: manifestFile('3.10.11', 'python-3.10.11-linux-22.04-x64.tar.gz')
    })
    expect(chooseRelease(MANIFEST, '==3.11.*', linux, '20.04')).toEqual({
      version: '3.11.9',
      file: manifestFile('3.11.9', 'python-3.11.9-linux-20.04-x64.tar.gz')
    })
    expect(chooseRelease(MANIFEST, '>=3.10,!=3.13.*', linux, '24.04')?.version).toBe('3.12.8')
  })

  it('takes a file without platform_version for any distribution version', () => {
    expect(chooseRelease(MANIFEST, '3.8', linux, '24.04')).toEqual({ version: '3.8.18', file: manifestFile('3.8.18', 'python-3.8.18-linux-x64.tar.gz') })
    expect(chooseRelease(MANIFEST, '3.x', linux, '12')).toEqual({ version: '3.8.18', file: manifestFile('3.8.18', 'python-3.8.18-linux-x64.tar.gz') })
    expect(chooseRelease(MANIFEST, '3.x', linux, '')).toEqual({ version: '3.8.18', file: manifestFile('3.8.18', 'python-3.8.18-linux-x64.tar.gz') })
  })

  it('is undefined when nothing matches', () => {
    expect(chooseRelease(MANIFEST, '3.12', linux, '20.04')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '3.11.8', linux, '22.04')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '4', linux, '24.04')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '3.9', linux, '22.04')).toBeUndefined()
    expect(chooseRelease([], '3.x', linux, '22.04')).toBeUndefined()
  })
})

describe('chooseRelease on macOS and Windows', () => {
  it('picks the newest stable darwin build for the architecture', () => {
    expect(chooseRelease(MANIFEST, '3.x', mac, '')).toEqual({ version: '3.13.2', file: manifestFile('3.13.2', 'python-3.13.2-darwin-arm64.tar.gz') })
    expect(chooseRelease(MANIFEST, '3.11', mac, '')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '3.11', macIntel, '')).toEqual({ version: '3.11.9', file: manifestFile('3.11.9', 'python-3.11.9-darwin-x64.tar.gz') })
  })

  it('ignores platform_version and the given OS version on macOS', () => {
    expect(chooseRelease(MANIFEST, '3.10', mac, '')).toEqual({
      version: '3.10.11',
      file: manifestFile('3.10.11', 'python-3.10.11-darwin-arm64.tar.gz')
    })
    expect(chooseRelease(MANIFEST, '3.10', mac, '24.04')?.version).toBe('3.10.11')
    expect(chooseRelease(MANIFEST, '3.13', mac, '22.04')?.version).toBe('3.13.2')
  })

  it('picks the win32 build for the architecture, never the free-threaded one', () => {
    expect(chooseRelease(MANIFEST, '3.13', windows, '')).toEqual({ version: '3.13.2', file: manifestFile('3.13.2', 'python-3.13.2-win32-x64.zip') })
    expect(chooseRelease(MANIFEST, '3.x', windowsArm, '')).toEqual({ version: '3.13.2', file: manifestFile('3.13.2', 'python-3.13.2-win32-arm64.zip') })
    expect(chooseRelease(MANIFEST, '3.13', windows32, '')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '3.x', windows32, '')).toEqual({ version: '3.12.8', file: manifestFile('3.12.8', 'python-3.12.8-win32-x86.zip') })
  })

  it('ignores platform_version on Windows', () => {
    expect(chooseRelease(MANIFEST, '3.10', windowsArm, '')).toEqual({
      version: '3.10.11',
      file: manifestFile('3.10.11', 'python-3.10.11-win32-arm64.zip')
    })
    expect(chooseRelease(MANIFEST, '3.10', windowsArm, '22.04')?.version).toBe('3.10.11')
  })

  it('does not take a Linux file on another OS', () => {
    expect(chooseRelease(MANIFEST, '3.9', windows, '')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '3.8', mac, '')).toBeUndefined()
    expect(chooseRelease(MANIFEST, '3.8', macIntel, '')).toBeUndefined()
  })
})

const UBUNTU = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=noble
`

const DEBIAN = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`

const ALPINE = `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.19.1
PRETTY_NAME="Alpine Linux v3.19"
`

describe('linuxVersionId', () => {
  it('reads a quoted VERSION_ID', () => {
    expect(linuxVersionId(UBUNTU)).toBe('24.04')
    expect(linuxVersionId(DEBIAN)).toBe('12')
  })

  it('reads an unquoted VERSION_ID', () => {
    expect(linuxVersionId(ALPINE)).toBe('3.19.1')
    expect(linuxVersionId(UBUNTU.replace('VERSION_ID="24.04"', 'VERSION_ID=22.04'))).toBe('22.04')
  })

  it('reads VERSION_ID on the first or the last line', () => {
    expect(linuxVersionId('VERSION_ID="22.04"\nID=ubuntu')).toBe('22.04')
    expect(linuxVersionId('ID=ubuntu\nVERSION_ID="22.04"')).toBe('22.04')
  })

  it('is empty without VERSION_ID', () => {
    expect(linuxVersionId('NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\n')).toBe('')
    expect(linuxVersionId('')).toBe('')
  })

  it('does not take a variable that only ends in VERSION_ID', () => {
    expect(linuxVersionId('NAME="X"\nSOME_VERSION_ID="9"\n')).toBe('')
  })
})

/** An `exists` that knows only these paths. */
const only =
  (...present: string[]) =>
  (p: string): boolean =>
    present.includes(p)

describe('setupScriptCommand', () => {
  it('runs bash setup.sh in the extracted folder on Linux, with its lib/ on LD_LIBRARY_PATH as setup-python does', () => {
    // setup.sh runs the extracted interpreter (ensurepip), which links libpython from the archive's lib/.
    const cmd = setupScriptCommand(linux, '/tmp/x/python', only('/tmp/x/python/setup.sh'))
    expect(cmd).toMatchObject({ program: 'bash', args: ['/tmp/x/python/setup.sh'], cwd: '/tmp/x/python' })
    expect(cmd?.env?.LD_LIBRARY_PATH).toBe('/tmp/x/python/lib')
  })

  it('runs bash setup.sh on macOS', () => {
    expect(setupScriptCommand(mac, '/Users/runner/work/_temp/abc', only('/Users/runner/work/_temp/abc/setup.sh'))).toMatchObject({
      program: 'bash',
      args: ['/Users/runner/work/_temp/abc/setup.sh'],
      cwd: '/Users/runner/work/_temp/abc'
    })
  })

  it('runs setup.ps1 with Windows PowerShell, which every Windows has (PowerShell 7, pwsh, is often missing on self-hosted machines)', () => {
    for (const p of [windows, windowsArm, windows32]) {
      const cmd = setupScriptCommand(p, 'D:\\a\\_temp\\abc', only('D:\\a\\_temp\\abc\\setup.ps1'))
      expect(cmd?.program).toBe('powershell')
      expect(cmd?.cwd).toBe('D:\\a\\_temp\\abc')
      // The script is unsigned: a machine's execution policy must not stop it; -File runs it, and nothing waits for input.
      const args = cmd?.args ?? []
      expect(args[args.indexOf('-ExecutionPolicy') + 1]).toBe('Bypass')
      expect(args.slice(-2)).toEqual(['-File', 'D:\\a\\_temp\\abc\\setup.ps1'])
      expect(args).toContain('-NonInteractive')
    }
  })

  it('is undefined when the archive has no installer script', () => {
    expect(setupScriptCommand(linux, '/tmp/x/python', only())).toBeUndefined()
    expect(setupScriptCommand(mac, '/tmp/x/python', only())).toBeUndefined()
    expect(setupScriptCommand(windows, 'D:\\a\\_temp\\abc', only())).toBeUndefined()
  })

  it("looks only for its own OS's script", () => {
    expect(setupScriptCommand(linux, '/tmp/x', only('/tmp/x/setup.ps1'))).toBeUndefined()
    expect(setupScriptCommand(windows, 'D:\\x', only('D:\\x\\setup.sh'))).toBeUndefined()
  })
})

describe('unpackCommand', () => {
  it('unpacks with tar, as a tool: the essentials of the environment only', () => {
    expect(unpackCommand(platformFor('linux', 'x64'), '/t/a.tar.gz', '/t/python-1', '', only())).toEqual({
      program: 'tar',
      args: ['-xzf', '/t/a.tar.gz', '-C', '/t/python-1'],
      scope: 'tool'
    })
  })
  it("on Windows, with System32's tar.exe (it reads zip files), else with @actions/tool-cache", () => {
    const windows = platformFor('win32', 'x64')
    expect(unpackCommand(windows, 'D:\\t\\a.zip', 'D:\\t\\p', 'C:\\Windows', only('C:\\Windows\\System32\\tar.exe'))).toEqual({
      program: 'C:\\Windows\\System32\\tar.exe',
      args: ['-xf', 'D:\\t\\a.zip', '-C', 'D:\\t\\p'],
      scope: 'tool'
    })
    expect(unpackCommand(windows, 'D:\\t\\a.zip', 'D:\\t\\p', 'C:\\Windows', only())).toBeUndefined()
  })
})

describe('urlProblem', () => {
  it('accepts https anywhere and http on the loopback interface only', () => {
    for (const url of [
      DEFAULT_MANIFEST_URL,
      'https://mirror.example.com/m.json',
      'http://127.0.0.1:9/m.json',
      'http://localhost/m.json',
      'http://[::1]/m.json'
    ])
      expect(urlProblem(url)).toBe('')
  })

  it('refuses http elsewhere, other schemes, and what is not a URL', () => {
    expect(urlProblem('http://mirror.example.com/m.json')).toMatch(/^uses http:\/\//)
    expect(urlProblem('http://127.0.0.2/m.json')).toMatch(/^uses http:\/\//)
    expect(urlProblem('file:///etc/passwd')).toBe('uses file:, not https://')
    expect(urlProblem('m.json')).toBe('is not a URL')
  })
})

describe('checksumProblem', () => {
  const sum = 'ab'.repeat(32)
  it('is empty without a checksum in the manifest (actions/python-versions has none) or when it matches', () => {
    expect(checksumProblem({ filename: 'p.tar.gz' }, sum)).toBe('')
    expect(checksumProblem({ filename: 'p.tar.gz', sha256: sum.toUpperCase() }, sum)).toBe('')
  })

  it('names both checksums when they differ, and refuses a checksum that is not hex SHA-256', () => {
    expect(checksumProblem({ filename: 'p.tar.gz', sha256: 'cd'.repeat(32) }, sum)).toBe(
      `p.tar.gz has SHA-256 ${sum}, but the manifest says ${'cd'.repeat(32)}.`
    )
    expect(checksumProblem({ filename: 'p.tar.gz', sha256: 'abc' }, sum)).toBe("the manifest's sha256 of p.tar.gz is not a SHA-256 in hex.")
  })
})
