import { describe, it, expect } from '@jest/globals'
import { artifactUrl, onExisting, runInfo, type RunInfo } from '../../src/publish/artifacts.js'

const RUN: RunInfo = { serverUrl: 'https://github.com', repository: 'octo/app', runId: '123456789', runAttempt: 1 }

describe('runInfo', () => {
  it('reads the run from the environment', () => {
    expect(runInfo({ GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_REPOSITORY: 'octo/app', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '3' })).toEqual({
      serverUrl: 'https://ghe.example.com',
      repository: 'octo/app',
      runId: '42',
      runAttempt: 3
    })
  })

  it('defaults to github.com, attempt 1 and empty names', () => {
    expect(runInfo({})).toEqual({ serverUrl: 'https://github.com', repository: '', runId: '', runAttempt: 1 })
    expect(runInfo({ GITHUB_SERVER_URL: '', GITHUB_REPOSITORY: '', GITHUB_RUN_ID: '', GITHUB_RUN_ATTEMPT: '' })).toEqual({
      serverUrl: 'https://github.com',
      repository: '',
      runId: '',
      runAttempt: 1
    })
  })

  it('takes attempt 1 for an attempt that is not a positive number', () => {
    expect(runInfo({ GITHUB_RUN_ATTEMPT: 'x' }).runAttempt).toBe(1)
    expect(runInfo({ GITHUB_RUN_ATTEMPT: '0' }).runAttempt).toBe(1)
    expect(runInfo({ GITHUB_RUN_ATTEMPT: '2' }).runAttempt).toBe(2)
  })
})

describe('artifactUrl', () => {
  it("is the artifact's page in the run", () => {
    expect(artifactUrl(RUN, 987)).toBe('https://github.com/octo/app/actions/runs/123456789/artifacts/987')
    expect(artifactUrl({ ...RUN, serverUrl: 'https://ghe.example.com' }, 1)).toBe('https://ghe.example.com/octo/app/actions/runs/123456789/artifacts/1')
  })
})

describe('onExisting', () => {
  it('fails on the first attempt, naming the artifact and the artifact-name input', () => {
    expect(onExisting(RUN, 'app-1.0-linux-x64.tar.gz')).toEqual({
      replace: false,
      error:
        'an artifact named app-1.0-linux-x64.tar.gz already exists in this workflow run: another job or matrix leg uploaded the same name ' +
        '(for example a matrix over Python versions on one OS). Set the artifact-name input to a template that tells the legs apart, ' +
        "such as '{stem}-py${{ matrix.python-version }}'."
    })
  })

  it('replaces on a re-run', () => {
    expect(onExisting({ ...RUN, runAttempt: 2 }, 'app-1.0-linux-x64.tar.gz')).toEqual({ replace: true })
    expect(onExisting({ ...RUN, runAttempt: 5 }, 'x')).toEqual({ replace: true })
  })
})
