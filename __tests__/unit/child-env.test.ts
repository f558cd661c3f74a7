/**
 * What a child process gets of the action's environment (issue 22, defect 2):
 * the system's essentials, the variables of the workflow (env: of the step,
 * the job, the workflow, GITHUB_ENV) and a few read-only facts of the run,
 * never an input (INPUT_*, where the secrets are), the runner's tokens
 * (ACTIONS_*) or a GitHub token; a signing program gets the essentials only.
 */
import { describe, expect, it } from '@jest/globals'
import { childEnvironmentSummary, environment } from '../../src/exec.js'

/** What a runner gives the action: its own variables, the inputs, the tokens, and the step's env:. */
const RUNNER: Record<string, string> = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/runner',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TMPDIR: '/tmp',
  HTTPS_PROXY: 'http://proxy:3128',
  no_proxy: 'localhost',
  SSL_CERT_FILE: '/etc/ssl/corp.pem',
  REQUESTS_CA_BUNDLE: '/etc/ssl/corp.pem',
  NODE_EXTRA_CA_CERTS: '/etc/ssl/corp.pem',
  PIP_INDEX_URL: 'https://user:pw@pypi.example/simple',
  UV_EXTRA_INDEX_URL: 'https://pypi.example/extra',
  CI: 'true',
  'INPUT_GITHUB-TOKEN': 'ghs_input_token',
  'INPUT_WINDOWS-CERTIFICATE-PASSWORD': 'hunter2',
  'INPUT_APPLE-APP-PASSWORD': 'apple-pw',
  INPUT_NAME: 'tiny',
  ACTIONS_RUNTIME_TOKEN: 'runtime-jwt',
  ACTIONS_RUNTIME_URL: 'https://pipelines.example/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/?x=1',
  ACTIONS_CACHE_URL: 'https://artifactcache.example/abc/',
  ACTIONS_RESULTS_URL: 'https://results.example/',
  GITHUB_TOKEN: 'ghs_env_token',
  GH_TOKEN: 'ghs_gh_token',
  GITHUB_ENV: '/home/runner/work/_temp/_runner_file_commands/set_env_1',
  GITHUB_PATH: '/home/runner/work/_temp/_runner_file_commands/add_path_1',
  GITHUB_OUTPUT: '/home/runner/work/_temp/_runner_file_commands/set_output_1',
  GITHUB_STATE: '/home/runner/work/_temp/_runner_file_commands/save_state_1',
  GITHUB_STEP_SUMMARY: '/home/runner/work/_temp/_runner_file_commands/step_summary_1',
  GITHUB_REF: 'refs/tags/v1.0.0',
  GITHUB_SHA: 'abc123',
  GITHUB_REPOSITORY: 'octo/tiny',
  STATE_keychain: '/tmp/k.keychain-db',
  RUNNER_TEMP: '/home/runner/work/_temp',
  // The step's env: (what the user wrote), and a variable of the runner image.
  MY_BUILD_FLAG: '1',
  CFLAGS: '-O2',
  JAVA_HOME_17_X64: '/usr/lib/jvm/17'
}

const SECRET_VALUES = ['ghs_input_token', 'hunter2', 'apple-pw', 'runtime-jwt', 'oidc-token', 'ghs_env_token', 'ghs_gh_token']

describe('environment: what a child gets', () => {
  const env = environment(undefined, RUNNER, false)

  it('carries the essentials: PATH, HOME, temp, locale, proxies, CA settings, index settings, CI', () => {
    for (const name of [
      'PATH',
      'HOME',
      'LANG',
      'LC_ALL',
      'TMPDIR',
      'HTTPS_PROXY',
      'no_proxy',
      'SSL_CERT_FILE',
      'REQUESTS_CA_BUNDLE',
      'NODE_EXTRA_CA_CERTS',
      'PIP_INDEX_URL',
      'UV_EXTRA_INDEX_URL',
      'CI'
    ])
      expect(env[name]).toBe(RUNNER[name])
  })

  it("carries the workflow's variables (env: of the step, job or workflow) and the runner image's", () => {
    expect(env.MY_BUILD_FLAG).toBe('1')
    expect(env.CFLAGS).toBe('-O2')
    expect(env.JAVA_HOME_17_X64).toBe('/usr/lib/jvm/17')
  })

  it('carries the read-only facts of the run: the ref, the commit, the repository', () => {
    expect(env.GITHUB_REF).toBe('refs/tags/v1.0.0')
    expect(env.GITHUB_SHA).toBe('abc123')
    expect(env.GITHUB_REPOSITORY).toBe('octo/tiny')
  })

  it("never an input, the runner's tokens and service URLs, a GitHub token, the runner's command files or the post step's state", () => {
    for (const name of Object.keys(env)) expect(name).not.toMatch(/^(INPUT_|ACTIONS_|STATE_|RUNNER_)/)
    for (const name of ['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'])
      expect(env[name]).toBeUndefined()
    const text = JSON.stringify(env)
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret)
  })

  it('a planned variable is added even where the rules would leave it out, and a planned removal wins', () => {
    const planned = environment({ PYINSTALLER_CONFIG_DIR: '/cache/pyi', PIP_INDEX_URL: undefined }, RUNNER, false)
    expect(planned.PYINSTALLER_CONFIG_DIR).toBe('/cache/pyi')
    expect(planned.PIP_INDEX_URL).toBeUndefined()
  })

  it('a signing program gets the essentials only: not the workflow variables, not the index settings', () => {
    const tool = environment(undefined, RUNNER, false, 'tool')
    expect(tool.PATH).toBe('/usr/bin:/bin')
    expect(tool.HTTPS_PROXY).toBe('http://proxy:3128')
    expect(tool.SSL_CERT_FILE).toBe('/etc/ssl/corp.pem')
    expect(tool.MY_BUILD_FLAG).toBeUndefined()
    expect(tool.PIP_INDEX_URL).toBeUndefined()
    expect(tool.GITHUB_REF).toBeUndefined()
    const text = JSON.stringify(tool)
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret)
  })

  it('on Windows: names in any case, the Windows essentials kept, the tokens left out', () => {
    const win = environment(
      undefined,
      {
        Path: 'C:\\Windows',
        SystemRoot: 'C:\\Windows',
        windir: 'C:\\Windows',
        ComSpec: 'C:\\Windows\\system32\\cmd.exe',
        PATHEXT: '.COM;.EXE',
        USERPROFILE: 'C:\\Users\\runner',
        APPDATA: 'C:\\Users\\runner\\AppData\\Roaming',
        LOCALAPPDATA: 'C:\\Users\\runner\\AppData\\Local',
        TEMP: 'C:\\Temp',
        TMP: 'C:\\Temp',
        'ProgramFiles(x86)': 'C:\\Program Files (x86)',
        'input_windows-certificate-password': 'hunter2',
        Actions_Runtime_Token: 'runtime-jwt',
        github_token: 'ghs_env_token'
      },
      true,
      'tool'
    )
    expect(Object.keys(win).sort()).toEqual(
      ['APPDATA', 'ComSpec', 'LOCALAPPDATA', 'PATHEXT', 'Path', 'ProgramFiles(x86)', 'SystemRoot', 'TEMP', 'TMP', 'USERPROFILE', 'windir'].sort()
    )
  })

  it('says which variables it leaves out, by name only, never a value', () => {
    const summary = childEnvironmentSummary(RUNNER)
    expect(summary).toContain('INPUT_* (4)')
    expect(summary).toContain('ACTIONS_RUNTIME_TOKEN')
    expect(summary).toContain('GITHUB_TOKEN')
    for (const secret of SECRET_VALUES) expect(summary).not.toContain(secret)
  })
})
