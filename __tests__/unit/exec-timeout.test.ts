/**
 * runWithTimeout on real processes: a program that outlives the time limit is
 * asked to stop with SIGTERM (so a one-file executable can remove what it
 * unpacked), and killed only when it ignores that.
 */
import { describe, expect, it } from '@jest/globals'
import { runWithTimeout, stopWindowsTree, windowsStopCommands, type Command, type Stopper } from '../../src/exec.js'

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

describe('runWithTimeout: what it waits for', () => {
  it('returns soon after the program exits even when a process it started still holds the output open', async () => {
    // setsid: the leftover is in a session of its own, out of reach of the group kill; it keeps stdout open for 20 s.
    const started = Date.now()
    const r = await runWithTimeout(sh('setsid sleep 20 & echo done; exit 0'), 60_000, 500)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(r).toMatchObject({ exitCode: 0, timedOut: false })
    expect(r.output).toContain('done\n')
    expect(r.output).toContain('still held its output open')
  }, 15_000)

  it('resolves only after the stopper has finished stopping the tree', async () => {
    const events: string[] = []
    const stop: Stopper = async (pid, graceMs, exited) => {
      events.push('stop started')
      await new Promise((r) => setTimeout(r, 300))
      process.kill(-pid, 'SIGKILL')
      await exited(graceMs)
      await new Promise((r) => setTimeout(r, 300))
      events.push('stop finished')
    }
    const r = await runWithTimeout(sh('sleep 30'), 200, 2000, stop)
    events.push('resolved')
    expect(r.timedOut).toBe(true)
    expect(events).toEqual(['stop started', 'stop finished', 'resolved'])
  }, 15_000)
})

describe('stopWindowsTree (the Windows time-out), with taskkill and PowerShell simulated', () => {
  /**
   * A PyInstaller one-file program on Windows: the parent bootloader (pid 100)
   * waits for its child (pid 101) and, once the child has ended, removes its
   * _MEI folder and exits by itself; a console program ignores the polite
   * close (taskkill without /F).
   */
  function onefileProgram(opts: { parentExitsAfterChild: boolean }) {
    const ran: string[] = []
    const state = { childAlive: true, parentAlive: true, cleanedUp: false, running: 0, overlapped: false }
    const run = async (cmd: Command): Promise<string> => {
      state.running++
      if (state.running > 1) state.overlapped = true
      ran.push(`${cmd.program} ${cmd.args.join(' ')}`)
      await new Promise((r) => setTimeout(r, 20))
      state.running--
      if (cmd.program === 'powershell') return state.childAlive ? '101\r\n' : ''
      const pid = Number(cmd.args[cmd.args.indexOf('/PID') + 1])
      if (!cmd.args.includes('/F')) return '' // a console program cannot be asked to close
      if (pid === 101) state.childAlive = false
      if (pid === 100) {
        state.childAlive = false
        state.parentAlive = false // forced: no clean-up
      }
      return ''
    }
    const exited = async (): Promise<boolean> => {
      if (state.parentAlive && !state.childAlive && opts.parentExitsAfterChild) {
        state.cleanedUp = true
        state.parentAlive = false
      }
      return !state.parentAlive
    }
    return { ran, state, run, exited }
  }

  it('asks politely first (taskkill /T without /F), then ends the children so the one-file parent cleans up and exits by itself', async () => {
    const p = onefileProgram({ parentExitsAfterChild: true })
    await stopWindowsTree(p.run)(100, 10, p.exited)
    expect(p.ran[0]).toContain('taskkill')
    expect(p.ran[0]).toContain('/T')
    expect(p.ran[0]).not.toContain('/F')
    expect(p.ran.some((c) => c.startsWith('taskkill') && c.includes('/PID 101 ') && c.includes('/F'))).toBe(true)
    // The parent itself is never killed forcefully: it removed its _MEI folder.
    expect(p.ran.some((c) => c.includes('/PID 100 ') && c.includes('/F'))).toBe(false)
    expect(p.state.cleanedUp).toBe(true)
    expect(p.state.overlapped).toBe(false) // every command is awaited before the next
  })

  it('kills the whole tree forcefully when the program does not exit, and waits for taskkill to finish', async () => {
    const p = onefileProgram({ parentExitsAfterChild: false })
    await stopWindowsTree(p.run)(100, 10, p.exited)
    expect(p.ran[p.ran.length - 1]).toBe(`taskkill ${windowsStopCommands.killTree(100).args.join(' ')}`)
    expect(p.ran[p.ran.length - 1]).toMatch(/\/T \/F$/)
    expect(p.state.parentAlive).toBe(false)
    expect(p.state.running).toBe(0)
  })
})
