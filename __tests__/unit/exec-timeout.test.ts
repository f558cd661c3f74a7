/**
 * runWithTimeout on real processes: a program that outlives the time limit is
 * asked to stop with SIGTERM (so a one-file executable can remove what it
 * unpacked), and killed only when it ignores that.
 */
import { describe, expect, it } from '@jest/globals'
import { runWithTimeout } from '../../src/exec.js'

const sh = (script: string) => ({ program: 'sh', args: ['-c', script] })

describe('runWithTimeout', () => {
  it('returns the exit code and output of a program that finishes in time', async () => {
    const r = await runWithTimeout(sh('echo out; echo err >&2; exit 4'), 30_000)
    expect(r).toMatchObject({ exitCode: 4, signal: null, timedOut: false })
    expect(r.output).toContain('out\n')
    expect(r.output).toContain('err\n')
  })

  it('does not stop a program at once when the limit is beyond what a Node timer holds (issue 14, defect 3)', async () => {
    // 2147484 s overflows a Node timer, which then fires after 1 ms.
    const r = await runWithTimeout(sh('sleep 0.3; echo finished'), 2_147_484_000)
    expect(r).toMatchObject({ exitCode: 0, timedOut: false })
    expect(r.output).toBe('finished\n')
  })

  it('stops a program that overruns with SIGTERM first, letting it clean up', async () => {
    // The grace period is far longer than the test's own time-out: only SIGTERM can end this in time.
    const r = await runWithTimeout(sh('trap "echo cleaned up; exit 3" TERM; echo started; while :; do sleep 0.1; done'), 500, 600_000)
    expect(r).toMatchObject({ exitCode: 3, timedOut: true })
    expect(r.output).toMatch(/^started\n(Terminated\n)?cleaned up\n$/) // sh may report its killed sleep
  })

  it('kills the whole group when the program ignores SIGTERM', async () => {
    const r = await runWithTimeout(sh('trap "" TERM; echo started; sleep 60; echo not reached'), 500, 500)
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: true })
    expect(r.output).toBe('started\n')
  })
})
