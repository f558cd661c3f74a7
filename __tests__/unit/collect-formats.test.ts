/**
 * The formats of the reusable workflow (src/collect/formats.ts): asked once
 * by the caller, checked by the targets job against the targets, and given to
 * each leg as the list its system makes, keyed by runner.os.
 */
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { formatsBySystem, parseWorkflowFormats, targetSystem } from '../../src/collect/formats.js'
import { parseTargets, targetOf } from '../../src/collect/legs.js'
import { parseFormats } from '../../src/inputs/installers.js'

const DEFAULT_TARGETS = parseTargets('["ubuntu-latest", "windows-latest", "macos-latest", "macos-15-intel", "ubuntu-24.04-arm"]')

function refusal(fn: () => unknown): InputError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('nothing was refused')
}

describe('the formats input of the reusable workflow', () => {
  it('reads known formats, one a line or comma-separated, each once; empty is archive', () => {
    expect(parseWorkflowFormats('archive, deb, rpm, msi, dmg')).toEqual(['archive', 'deb', 'rpm', 'msi', 'dmg'])
    expect(parseWorkflowFormats('DEB\nrpm\n\ndeb')).toEqual(['deb', 'rpm'])
    expect(parseWorkflowFormats('  ')).toEqual(['archive'])
  })

  it.each(['exe', 'deb; rm -rf /', '$(id)', 'archive,appimage'])('refuses %j, naming the input and what each target makes', (raw) => {
    const e = refusal(() => parseWorkflowFormats(raw))
    expect(e.input).toBe('formats')
    expect(e.message).toMatch(/is not a format\. Write archive \(the default\), deb and rpm \(made by the Linux targets\), msi \(the Windows targets\) or dmg/)
  })

  it('shows an unknown format as it was written, cut to 40 characters, as the action does on a leg', () => {
    expect(refusal(() => parseWorkflowFormats('Deb, EXE')).message).toMatch(/^Input 'formats': 'EXE' is not a format\. /)
    expect(refusal(() => parseFormats('Deb, EXE', 'linux')).message).toMatch(/^Input 'formats': 'EXE' is not a format\. /)
    expect(refusal(() => parseWorkflowFormats(`archive, ${'X'.repeat(100)}`)).message).toContain(`'${'X'.repeat(40)}…' is not a format.`)
  })
})

describe('the system of a target', () => {
  it.each([
    ['ubuntu-latest', 'linux'],
    ['ubuntu-24.04-arm', 'linux'],
    ['windows-latest', 'windows'],
    ['windows-11-arm', 'windows'],
    ['macos-latest', 'macos'],
    ['macos-15-intel', 'macos'],
    ['self-hosted linux/arm', 'linux'],
    ['my-runner', undefined],
    ['linux-to-windows', undefined],
    ['windowsill', undefined]
  ])('%s: %s', (label, system) => {
    expect(targetSystem(targetOf(label))).toBe(system)
  })
})

describe('the system of a target built under Wine', () => {
  it("is the target's, not the runner's: windows-x64 on ubuntu-latest makes Windows' formats", () => {
    const cross = targetOf({ 'runs-on': 'ubuntu-latest', target: 'windows-x64' })
    expect(targetSystem(cross)).toBe('windows')
    const targets = parseTargets('["ubuntu-latest", {"runs-on": "ubuntu-latest", "target": "windows-x64"}]')
    // msi is made by a target (the Wine leg) although no runner is Windows; deb by the Linux leg.
    expect(formatsBySystem(['archive', 'deb', 'msi'], targets)).toEqual({ Linux: 'archive, deb', Windows: 'archive, msi', macOS: 'archive' })
    // A Wine leg asked only for Linux's installers would make nothing: refused before any leg starts.
    expect(refusal(() => formatsBySystem(['deb'], targets)).message).toContain('the target ubuntu-latest (windows-x64 under Wine) is a Windows runner')
  })
})

describe('the formats of each leg', () => {
  it('gives each system those it makes, keyed as runner.os names it: one list for every target of the call', () => {
    const formats = formatsBySystem(['archive', 'deb', 'rpm', 'msi', 'dmg'], DEFAULT_TARGETS)
    expect(formats).toEqual({ Linux: 'archive, deb, rpm', Windows: 'archive, msi', macOS: 'archive, dmg' })
    // What each leg gets is a formats input the action accepts on its system.
    expect(parseFormats(formats.Linux, 'linux')).toEqual(['archive', 'deb', 'rpm'])
    expect(parseFormats(formats.Windows, 'windows')).toEqual(['archive', 'msi'])
    expect(parseFormats(formats.macOS, 'macos')).toEqual(['archive', 'dmg'])
    expect(formatsBySystem(['archive'], DEFAULT_TARGETS)).toEqual({ Linux: 'archive', Windows: 'archive', macOS: 'archive' })
  })

  it('refuses a format that no target makes, naming the targets and the fix', () => {
    const e = refusal(() => formatsBySystem(['archive', 'dmg'], parseTargets('["ubuntu-latest", "windows-latest"]')))
    expect(e.input).toBe('formats')
    expect(e.message).toBe(
      "Input 'formats': asks for dmg (a macOS disk image, made with hdiutil), which is made on macOS runners only, and no target is one (ubuntu-latest: Linux, windows-latest: Windows). Add a macOS target to targets, or remove dmg from formats."
    )
  })

  it('refuses a target whose system makes none of the formats: its leg would make nothing', () => {
    const e = refusal(() => formatsBySystem(['deb', 'rpm'], parseTargets('["ubuntu-latest", "windows-latest"]')))
    expect(e.message).toBe(
      "Input 'formats': deb, rpm are made on other systems only, and the target windows-latest is a Windows runner: its leg would make nothing. Add what a Windows runner makes (archive, msi) to formats, or remove the target."
    )
  })

  it('leaves a label that does not say its system to its leg: it may make any format, and a system that makes none gets the list as asked', () => {
    const targets = parseTargets('["ubuntu-latest", "my-mac"]')
    const formats = formatsBySystem(['deb', 'dmg'], targets)
    expect(formats).toEqual({ Linux: 'deb', Windows: 'deb, dmg', macOS: 'dmg' })
    // On a Windows runner, the action refuses the list, naming the input and where each format is made.
    expect(() => parseFormats(formats.Windows, 'windows')).toThrow(/^Input 'formats': deb .* is made on Linux runners only, and this runner is Windows\./)
  })
})
