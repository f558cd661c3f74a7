/**
 * runWithTimeout on real processes: a program that outlives the time limit is
 * asked to stop with SIGTERM (so a one-file executable can remove what it
 * unpacked), and killed only when it ignores that.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  decodeHelperOutput,
  descendants,
  parseProcessTable,
  processGroupMembers,
  runWithTimeout,
  stopPosixGroup,
  stopWindowsTree,
  windowsStopCommands,
  type Command,
  type Stopper
} from '../../src/exec.js'

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

describe('runWithTimeout: a process that outlives every stop step (issue 23, defect 1)', () => {
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }

  it('comes back after the stop sequence and a bounded wait, naming the survivor, instead of waiting for it', async () => {
    // The stand-in stopper tries nothing, as if the process survived SIGKILL (uninterruptible sleep) or taskkill.
    const survives: Stopper = async (_pid, graceMs, exited) => void (await exited(graceMs))
    const started = Date.now()
    const r = await runWithTimeout(sh('echo started; exec sleep 60'), 300, 300, survives)
    const took = Date.now() - started
    try {
      expect(took).toBeLessThan(5_000)
      expect(r).toMatchObject({ exitCode: null, signal: null, timedOut: true })
      expect(r.survivors).toHaveLength(1)
      expect(alive(r.survivors[0])).toBe(true)
      expect(fs.readFileSync(`/proc/${r.survivors[0]}/cmdline`, 'utf8')).toBe('sleep\u000060\u0000')
      expect(r.output).toContain('started\n')
      expect(r.output).toContain(`(process ${r.survivors[0]} still ran after every stop step: stopped waiting for it)`)
    } finally {
      for (const pid of r.survivors) process.kill(pid, 'SIGKILL')
    }
  }, 15_000)

  it('names the survivors the stopper reports beside the started process', async () => {
    const survives: Stopper = async () => [4242]
    const r = await runWithTimeout(sh('exec sleep 60'), 200, 200, survives)
    try {
      expect(r.survivors).toHaveLength(2)
      expect(r.survivors[1]).toBe(4242)
    } finally {
      process.kill(r.survivors[0], 'SIGKILL')
    }
  }, 15_000)

  it('stops waiting for a stop sequence that never finishes after the bound, and names the process', async () => {
    const never: Stopper = () => new Promise(() => undefined)
    const started = Date.now()
    const r = await runWithTimeout(sh('exec sleep 60'), 100, 100, never, 500)
    try {
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(r.timedOut).toBe(true)
      expect(r.survivors).toHaveLength(1)
    } finally {
      process.kill(r.survivors[0], 'SIGKILL')
    }
  }, 15_000)

  it('stopPosixGroup returns what is still in the group after SIGKILL, and nothing when the group is gone', async () => {
    const stuck = stopPosixGroup(() => [999_999])
    // pid 999999 does not exist: the signals go nowhere, and the stand-in says the group still has a member.
    expect(
      await stuck(
        999_999,
        50,
        async () => false,
        () => undefined
      )
    ).toEqual([999_999])
    const gone = stopPosixGroup(() => [])
    expect(
      await gone(
        999_999,
        50,
        async () => true,
        () => undefined
      )
    ).toEqual([])
  })

  it('stopPosixGroup kills a member that ignores SIGTERM after the started process exited', async () => {
    // The leader exits on SIGTERM; the member it started ignores SIGTERM and must get SIGKILL.
    const r = await runWithTimeout(sh('(trap "" TERM; exec sleep 60) & trap "exit 0" TERM; while :; do sleep 0.1; done'), 500, 500)
    expect(r.timedOut).toBe(true)
    expect(r.survivors).toEqual([])
  }, 15_000)

  it('processGroupMembers reads the group from /proc, leaving zombies out', () => {
    const leader = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' })
    try {
      expect(processGroupMembers(leader.pid ?? -1)).toEqual([leader.pid])
    } finally {
      leader.kill('SIGKILL')
    }
    const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'proc-'))
    const stat = (pid: number, state: string, pgrp: number): void => {
      fs.mkdirSync(path.join(proc, String(pid)))
      fs.writeFileSync(path.join(proc, String(pid), 'stat'), `${pid} (a (weird) name) ${state} 1 ${pgrp} ${pgrp} 0 -1`)
    }
    stat(10, 'S', 10)
    stat(11, 'D', 10)
    stat(12, 'Z', 10)
    stat(13, 'S', 99)
    fs.mkdirSync(path.join(proc, 'self'))
    try {
      expect(processGroupMembers(10, proc).sort()).toEqual([10, 11])
      expect(processGroupMembers(10, path.join(proc, 'missing'))).toEqual([])
    } finally {
      fs.rmSync(proc, { recursive: true, force: true })
    }
  })
})

describe('the Windows process table', () => {
  it('parses PowerShell lines and wmic tables (either column order, padded or run together)', () => {
    expect(parseProcessTable('100 4\r\n101 100\r\n\r\n', true)).toEqual([
      { pid: 100, ppid: 4 },
      { pid: 101, ppid: 100 }
    ])
    const wmic = 'ParentProcessId  ProcessId  \r\n0                40         \r\n40               56         \r\n56               84         \r\n'
    expect(parseProcessTable(wmic)).toEqual([
      { pid: 40, ppid: 0 },
      { pid: 56, ppid: 40 },
      { pid: 84, ppid: 56 }
    ])
    expect(parseProcessTable('ProcessId ParentProcessId\n7 3\n')).toEqual([{ pid: 7, ppid: 3 }])
    // Wine 10's wmic, as measured: the header's names run together.
    const wine10 = 'ParentProcessIDProcessID\n0    32   \n40   56   \n32   316  \n316  332  \n'
    expect(parseProcessTable(wine10)).toEqual([
      { pid: 32, ppid: 0 },
      { pid: 56, ppid: 40 },
      { pid: 316, ppid: 32 },
      { pid: 332, ppid: 316 }
    ])
    expect(parseProcessTable('')).toEqual([])
    expect(parseProcessTable('Error: Command line not supported\n')).toEqual([])
    // Two numbers a line and no header: only PowerShell's own format is read so; from wmic it is no table.
    expect(parseProcessTable('0 32\n32 316\n')).toEqual([])
  })

  it('never ends the process that runs it, whatever the table says (issue 23: a misread Wine 10 wmic table ended Node itself)', async () => {
    const ran: string[] = []
    const run = async (cmd: Command): Promise<string> => {
      ran.push(`${cmd.program} ${cmd.args.join(' ')}`)
      return cmd.program === 'powershell' ? `${process.pid} 100\r\n${process.ppid} 100\r\n101 100\r\n` : ''
    }
    let alive = true
    await stopWindowsTree(run)(
      100,
      5,
      async () => !alive,
      () => (alive = false)
    )
    expect(ran).toContain('taskkill /PID 101 /F')
    expect(ran.some((c) => c.includes(`/PID ${process.pid} `))).toBe(false)
    expect(ran.some((c) => c.includes(`/PID ${process.ppid} `))).toBe(false)
  })

  it('decodes wmic’s UTF-16 output, with or without a byte-order mark, and UTF-8 as it is', () => {
    const text = 'ParentProcessId  ProcessId\r\n912  936\r\n'
    expect(decodeHelperOutput(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text)
    expect(decodeHelperOutput(Buffer.from(text, 'utf16le'))).toBe(text)
    expect(decodeHelperOutput(Buffer.from('100 4\r\n', 'utf8'))).toBe('100 4\r\n')
    expect(decodeHelperOutput(Buffer.alloc(0))).toBe('')
  })

  it('lists the descendants of a process, deepest first, and survives a cycle', () => {
    const table = [
      { pid: 100, ppid: 1 },
      { pid: 101, ppid: 100 },
      { pid: 102, ppid: 101 },
      { pid: 103, ppid: 100 },
      { pid: 200, ppid: 2 },
      { pid: 300, ppid: 301 },
      { pid: 301, ppid: 300 }
    ]
    expect(descendants(table, 100)).toEqual([102, 101, 103])
    expect(descendants(table, 102)).toEqual([])
    expect(descendants(table, 300)).toEqual([301])
  })
})

describe('stopWindowsTree (the Windows time-out), with taskkill, PowerShell and wmic simulated', () => {
  /**
   * A PyInstaller one-file program on Windows: the parent bootloader (pid 100)
   * waits for its child (pid 101) and, once the child has ended, removes its
   * _MEI folder and exits by itself; a console program ignores the polite
   * close (taskkill without /F). `wine` is the Wine of Debian 12: its
   * taskkill refuses /T, its powershell prints nothing, and its wmic lists
   * the table only unfiltered, in UTF-16.
   */
  function onefileProgram(opts: { parentExitsAfterChild: boolean; wine?: boolean; taskkillWorks?: boolean }) {
    const ran: string[] = []
    const state = { childAlive: true, parentAlive: true, cleanedUp: false, terminated: false, running: 0, overlapped: false }
    const table = (): string => ['100 1', ...(state.childAlive ? ['101 100'] : []), '5 1'].join('\r\n')
    const run = async (cmd: Command): Promise<string> => {
      state.running++
      if (state.running > 1) state.overlapped = true
      ran.push(`${cmd.program} ${cmd.args.join(' ')}`)
      await new Promise((r) => setTimeout(r, 20))
      state.running--
      if (cmd.program === 'powershell') return opts.wine ? '' : table()
      if (cmd.program === 'wmic')
        return opts.wine ? decodeHelperOutput(Buffer.from(`ParentProcessId  ProcessId\r\n${table().replace(/(\d+) (\d+)/g, '$2  $1')}\r\n`, 'utf16le')) : ''
      if (opts.wine && cmd.args.includes('/T')) return 'Error: Unknown or invalid command line option specified.'
      if (opts.taskkillWorks === false) return 'ERROR: Access is denied.'
      const pid = Number(cmd.args[cmd.args.indexOf('/PID') + 1])
      if (!cmd.args.includes('/F')) return '' // a console program cannot be asked to close
      if (pid === 101) state.childAlive = false
      if (pid === 100) {
        if (cmd.args.includes('/T')) state.childAlive = false
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
    const terminate = (): void => {
      ran.push('terminate')
      state.terminated = true
      state.parentAlive = false
    }
    return { ran, state, run, exited, terminate }
  }

  it('asks politely first (taskkill /T without /F), then ends the children so the one-file parent cleans up and exits by itself', async () => {
    const p = onefileProgram({ parentExitsAfterChild: true })
    expect(await stopWindowsTree(p.run)(100, 10, p.exited, p.terminate)).toEqual([])
    expect(p.ran[0]).toBe('taskkill /PID 100 /T')
    expect(p.ran[1]).toBe(`powershell ${windowsStopCommands.processes().args.join(' ')}`)
    expect(p.ran).toContain('taskkill /PID 101 /F')
    // The parent itself is never killed forcefully: it removed its _MEI folder.
    expect(p.ran.some((c) => c.includes('/PID 100 ') && c.includes('/F'))).toBe(false)
    expect(p.ran).not.toContain('terminate')
    expect(p.state.cleanedUp).toBe(true)
    expect(p.state.overlapped).toBe(false) // every command is awaited before the next
  })

  it('under Wine (no /T, an empty PowerShell): finds the child with wmic and ends it, and the parent cleans up', async () => {
    const p = onefileProgram({ parentExitsAfterChild: true, wine: true })
    expect(await stopWindowsTree(p.run)(100, 10, p.exited, p.terminate)).toEqual([])
    expect(p.ran.slice(0, 4)).toEqual([
      'taskkill /PID 100 /T',
      `powershell ${windowsStopCommands.processes().args.join(' ')}`,
      'wmic process get ParentProcessId,ProcessId',
      'taskkill /PID 101 /F'
    ])
    expect(p.state.cleanedUp).toBe(true)
    expect(p.ran).not.toContain('terminate')
  })

  it('kills the whole tree forcefully when the program does not exit, and waits for taskkill to finish', async () => {
    const p = onefileProgram({ parentExitsAfterChild: false })
    expect(await stopWindowsTree(p.run)(100, 10, p.exited, p.terminate)).toEqual([])
    expect(p.ran).toContain(`taskkill ${windowsStopCommands.killTree(100).args.join(' ')}`)
    expect(p.ran).not.toContain('terminate')
    expect(p.state.parentAlive).toBe(false)
    expect(p.state.running).toBe(0)
  })

  it('ends the started process itself (TerminateProcess) when taskkill could not, and names what is still listed', async () => {
    const p = onefileProgram({ parentExitsAfterChild: false, taskkillWorks: false })
    expect(await stopWindowsTree(p.run)(100, 10, p.exited, p.terminate)).toEqual([101])
    expect(p.ran.indexOf('terminate')).toBeGreaterThan(p.ran.indexOf(`taskkill ${windowsStopCommands.killTree(100).args.join(' ')}`))
    expect(p.state.terminated).toBe(true)
  })
})
