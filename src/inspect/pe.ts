/**
 * What a Windows PE file says about where it runs: its machine (x64, arm64,
 * x86) and its subsystem (console or windowed). Pure functions over bytes the
 * caller read; the headers sit in the first few hundred bytes of a file
 * (`PE_HEAD_BYTES` is enough for any linker's output).
 *
 * The layout is Microsoft's "PE Format" (learn.microsoft.com/windows/win32/debug/pe-format)
 * and winnt.h (IMAGE_DOS_HEADER, IMAGE_FILE_HEADER, IMAGE_OPTIONAL_HEADER32/64):
 * - the DOS header starts with 'MZ'; its e_lfanew (a 32-bit offset at 0x3c)
 *   points at the signature 'PE\0\0';
 * - the COFF file header follows: Machine (IMAGE_FILE_MACHINE_AMD64 0x8664,
 *   ARM64 0xaa64, I386 0x14c), …, SizeOfOptionalHeader, Characteristics
 *   (IMAGE_FILE_DLL 0x2000);
 * - the optional header begins with its magic (0x10b PE32, 0x20b PE32+) and
 *   holds Subsystem at offset 68 in both forms: IMAGE_SUBSYSTEM_WINDOWS_GUI 2
 *   (no console: PyInstaller's runw.exe, console=False), IMAGE_SUBSYSTEM_WINDOWS_CUI
 *   3 (a console program: run.exe); MajorSubsystemVersion/Minor at 48/50; the
 *   data directories follow (at 96 in PE32, 112 in PE32+), entry 14 being the
 *   CLR runtime header of a .NET assembly, which the CLR loads whatever the
 *   Machine field says (AnyCPU assemblies say I386).
 */
import type { Arch } from '../platform.js'

/** Enough of a file's head for `readPE`: the DOS stub and headers of real linkers' output end well before. */
export const PE_HEAD_BYTES = 4096

export type PESubsystem = 'console' | 'windowed' | 'other'

export interface PEFacts {
  /** The machine as the action names architectures; 'other' for anything else (see `machineCode`). */
  readonly machine: Arch | 'other'
  readonly machineCode: number
  readonly subsystem: PESubsystem
  readonly subsystemCode: number
  /** The oldest Windows version the linker marked it for (MajorSubsystemVersion.Minor), e.g. '6.0'. */
  readonly subsystemVersion: string
  /** A DLL (or .pyd), not a program. */
  readonly dll: boolean
  /** PE32+ (64-bit optional header). */
  readonly pe32plus: boolean
  /** A .NET assembly (it has a CLR runtime header): its Machine field does not say where it loads. */
  readonly dotnet: boolean
}

const MACHINES: Record<number, Arch> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'x86' }
const SUBSYSTEMS: Record<number, PESubsystem> = { 2: 'windowed', 3: 'console' }
const IMAGE_FILE_DLL = 0x2000
const PE32 = 0x10b
const PE32_PLUS = 0x20b
const IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR = 14

/** The facts of a PE image, or undefined for anything else (or a head cut off before the subsystem). */
export function readPE(buf: Uint8Array): PEFacts | undefined {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  if (view.byteLength < 0x40 || view.getUint16(0, true) !== 0x5a4d) return undefined // 'MZ'
  const pe = view.getUint32(0x3c, true)
  const opt = pe + 24
  if (opt + 72 > view.byteLength) return undefined
  if (view.getUint32(pe, false) !== 0x50450000) return undefined // 'PE\0\0'
  const machineCode = view.getUint16(pe + 4, true)
  const optSize = view.getUint16(pe + 20, true)
  const characteristics = view.getUint16(pe + 22, true)
  const magic = view.getUint16(opt, true)
  if ((magic !== PE32 && magic !== PE32_PLUS) || optSize < 72) return undefined
  const subsystemCode = view.getUint16(opt + 68, true)
  // The data directories: NumberOfRvaAndSizes, then (RVA, size) pairs.
  const dirs = opt + (magic === PE32_PLUS ? 108 : 92)
  const clr = dirs + 4 + IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR * 8
  const dotnet =
    clr + 8 <= view.byteLength &&
    clr + 8 <= opt + optSize &&
    view.getUint32(dirs, true) > IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR &&
    view.getUint32(clr, true) !== 0
  return {
    machine: MACHINES[machineCode] ?? 'other',
    machineCode,
    subsystem: SUBSYSTEMS[subsystemCode] ?? 'other',
    subsystemCode,
    subsystemVersion: `${view.getUint16(opt + 48, true)}.${view.getUint16(opt + 50, true)}`,
    dll: (characteristics & IMAGE_FILE_DLL) !== 0,
    pe32plus: magic === PE32_PLUS,
    dotnet
  }
}

export interface PEFile {
  readonly path: string
  readonly facts: PEFacts
}

export interface PEExpectation {
  /** The runner's architecture: every program and native DLL must be built for it. */
  readonly arch: Arch
  /**
   * Executables built windowed (entry points marked '(windowed)', [project.gui-scripts]), without '.exe'.
   * Undefined when the inputs do not say (a .spec file decides): the subsystem is then not checked.
   */
  readonly windowedNames?: readonly string[]
  /**
   * The executables the action built, without '.exe'. Other .exe files in a build are a package's payload
   * (setuptools' cli-32.exe, distlib's t64-arm.exe launchers) and are not checked. Undefined: every
   * .exe given is one of the build's programs.
   */
  readonly programs?: readonly string[]
}

export interface PEProblem {
  readonly path: string
  readonly kind: 'machine' | 'subsystem'
  /**
   * error: a program of the build that does not run as asked. warning: a DLL for another machine, which
   * cannot load into the program; packages sometimes ship one per architecture and load the right one
   * (sounddevice's 32- and 64-bit PortAudio), so it is worth a look, not a failure.
   */
  readonly severity: 'error' | 'warning'
  readonly message: string
}

const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p
const programName = (p: string): string => baseName(p).replace(/\.exe$/i, '')
const machineName = (f: PEFacts): string => (f.machine === 'other' ? `machine 0x${f.machineCode.toString(16)}` : f.machine)
const subsystemName = (f: PEFacts): string => (f.subsystem === 'other' ? `subsystem ${f.subsystemCode}` : f.subsystem)

const lower = (names: readonly string[]): Set<string> => new Set(names.map((n) => n.toLowerCase()))

/** Whether a file is one of the build's programs (not a DLL, and named as one when the names are known). */
function isProgram(file: PEFile, programs: Set<string> | undefined): boolean {
  return !file.facts.dll && (!programs || programs.has(programName(file.path).toLowerCase()))
}

/**
 * What disagrees with the inputs: a program for another machine than the
 * runner's, a windowed entry point built as a console program (a console
 * window opens beside it) or a console one built windowed (its output goes
 * nowhere) — errors; a native DLL for another machine — a warning.
 */
export function peProblems(files: readonly PEFile[], expected: PEExpectation): PEProblem[] {
  const windowed = expected.windowedNames && lower(expected.windowedNames)
  const programs = expected.programs && lower(expected.programs)
  const problems: PEProblem[] = []
  for (const file of files) {
    const { path, facts } = file
    const program = isProgram(file, programs)
    if (!program && !facts.dll) continue // a package's payload, not something this build runs or loads
    if (facts.machine !== expected.arch && !facts.dotnet)
      problems.push({
        path,
        kind: 'machine',
        severity: program ? 'error' : 'warning',
        message: program
          ? `${path} is built for ${machineName(facts)}, not ${expected.arch} (the runner's architecture)`
          : `${path} is a DLL for ${machineName(facts)}: it cannot load into a ${expected.arch} program (fine if a package ships it beside the ${expected.arch} one)`
      })
    if (!program || !windowed) continue
    const want: PESubsystem = windowed.has(programName(path).toLowerCase()) ? 'windowed' : 'console'
    if (facts.subsystem !== want)
      problems.push({
        path,
        kind: 'subsystem',
        severity: 'error',
        message: `${path} is a ${subsystemName(facts)} program, but its entry point is ${want}${want === 'windowed' ? " ('(windowed)' or [project.gui-scripts])" : ''}`
      })
  }
  return problems
}

/**
 * The summary line for a Windows build, e.g. "runs on Windows x64 (console:
 * chatty.exe; windowed: chatty-gui.exe)". Only the build's programs count
 * (`programNames`, without '.exe'; undefined: every .exe given).
 */
export function describeWindows(files: readonly PEFile[], programNames?: readonly string[]): string {
  const names = programNames && lower(programNames)
  const programs = files.filter((f) => isProgram(f, names))
  const machines = [...new Set(programs.map((f) => machineName(f.facts)))].sort()
  const groups = (['console', 'windowed', 'other'] as const)
    .map(
      (s) =>
        [
          s,
          programs
            .filter((f) => f.facts.subsystem === s)
            .map((f) => baseName(f.path))
            .sort()
        ] as const
    )
    .filter(([, names]) => names.length)
    .map(([s, names]) => `${s}: ${names.join(', ')}`)
  return `runs on Windows ${machines.join(' + ') || '(no programs)'}${groups.length ? ` (${groups.join('; ')})` : ''}`
}
