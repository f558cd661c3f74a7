/**
 * The inspect stage: reads what was built, never changes it. For each build it
 * lists the files that ship (every file of a one-folder build or .app; a
 * one-file executable and, for PyInstaller, every binary member of its
 * archive), hands them to the readers by kind, attaches the facts, and fails
 * when a limit input (glibc-max) is exceeded.
 *
 * Readers plug in by file kind: ELF → `linux` facts (linux.ts, elf.ts),
 * Mach-O → `macos` (macho.ts), PE → `windows` (pe.ts). Each part is read from
 * the files whatever the runner's OS, so every planner's output is tested here.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import type { Build } from '../freeze/index.js'
import { StageError } from '../errors.js'
import { runCommand } from '../exec.js'
import type { Platform } from '../platform.js'
import type { Config } from '../config.js'
import { readHead } from '../files.js'
import { ElfError, fileIsElf, readElfFile } from './elf.js'
import type { BuildFacts, LinuxFacts, WindowsFacts } from './facts.js'
import { glibcFloor, glibcLimitProblem, linuxFacts, type ReadElf } from './linux.js'
import { describeMacProblem, macFacts, readMachO, type MachOFile } from './macho.js'
import { PE_HEAD_BYTES, peProblems, readPE, type PEFile } from './pe.js'
import { describeFacts } from './describe.js'

export { glibcFloor } from './linux.js'
import { extractCommand, parseExtractOutput } from './onefile.js'

export type { BuildFacts } from './facts.js'

/** A build with what the inspect stage found out about it. */
export interface InspectedBuild extends Build {
  readonly facts: BuildFacts
}

/** A file that ships: its path inside the build (forward slashes) and where to read it now. */
export interface ShippedFile {
  readonly path: string
  readonly file: string
}

/** The shipped files of a build and how completely they were listed. */
export interface Shipped {
  readonly files: readonly ShippedFile[]
  /** `outer`: a one-file executable whose payload could not be listed. */
  readonly scope: 'contents' | 'outer'
}

/** Every regular file under `root` (symbolic links are skipped: their targets are listed where they lie), sorted. */
export function walkFiles(root: string): ShippedFile[] {
  const out: ShippedFile[] = []
  const visit = (dir: string, rel: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name)
      const inside = rel ? `${rel}/${d.name}` : d.name
      if (d.isDirectory()) visit(full, inside)
      else if (d.isFile()) out.push({ path: inside, file: full })
    }
  }
  visit(root, '')
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export interface InspectContext {
  readonly builder: Config['builder']
  /** The build venv's interpreter (has the PyInstaller that wrote the one-file archives). */
  readonly python: string
  /** A scratch folder the stage owns. */
  readonly scratch: string
}

/** Lists what a build ships; a PyInstaller one-file executable's archive members are extracted under the scratch folder. */
export async function shippedFiles(build: Build, ctx: InspectContext): Promise<Shipped> {
  if (build.mode !== 'onefile') return { files: walkFiles(build.root), scope: 'contents' }
  const outer = { path: build.name, file: build.root }
  if (ctx.builder !== 'pyinstaller') return { files: [outer], scope: 'outer' }
  if (!ctx.python) throw new StageError('inspect', `there is no build venv to read the archive inside ${build.root} with.`)
  const dir = path.join(ctx.scratch, build.name)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const r = await runCommand(extractCommand(ctx.python, build.root, dir), { silent: true })
  if (r.exitCode !== 0)
    throw new StageError(
      'inspect',
      `could not read the archive inside ${build.root} with PyInstaller's CArchiveReader (exit code ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`
    )
  const result = parseExtractOutput(r.stdout)
  if (!result.archive) {
    core.warning(`${build.name}: no PyInstaller archive found in it (${result.reason ?? 'unknown reason'}); only the executable itself is inspected.`)
    return { files: [outer], scope: 'outer' }
  }
  return { files: [outer, ...(result.members ?? []).map((m) => ({ path: m, file: path.join(dir, m) }))], scope: 'contents' }
}

/** Reads the ELF objects among `files`; a file that starts like ELF but cannot be read is warned about and left out. */
export function readElfObjects(files: readonly ShippedFile[], warn: (message: string) => void = core.warning): ReadElf[] {
  const out: ReadElf[] = []
  for (const f of files) {
    if (!fileIsElf(f.file)) continue
    try {
      out.push({ path: f.path, info: readElfFile(f.file) })
    } catch (e) {
      if (!(e instanceof ElfError)) throw e
      warn(`${f.path}: not a readable ELF file (${e.message}); left out of the glibc floor.`)
    }
  }
  return out
}

/** What a reader knows besides the files: the build, and what the inputs asked for. */
export interface ReaderContext {
  readonly build: Pick<Build, 'name' | 'root' | 'executables'>
  readonly platform: Pick<Platform, 'arch'>
  /** Executables the inputs built windowed, without '.exe'; undefined when a .spec file decides. */
  readonly windowedNames?: readonly string[]
}

/** A reader of one kind of file: from a build's shipped files, its part of the facts (nothing when none of its files is of that kind). */
export type FactsReader = (shipped: Shipped, ctx: ReaderContext) => BuildFacts

/** The path inside the build of its first executable, as the shipped files name it (a one-file build is its own name). */
export function executablePath(build: ReaderContext['build']): string {
  const exe = build.executables[0]?.path ?? build.root
  return path.relative(build.root, exe).split(path.sep).join('/') || build.name
}

/** The first bytes of every Mach-O magic, both byte orders, thin and fat. */
const MACHO_MAGICS = new Set([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xcafebabf])
const startsMachO = (file: string): boolean => {
  const head = readHead(file, 4)
  return head.length === 4 && MACHO_MAGICS.has(new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false))
}

/** The Mach-O files among `files`, read whole (a fat file's slices lie anywhere in it). */
export function readMachOFiles(files: readonly ShippedFile[]): MachOFile[] {
  return files.flatMap((f) => {
    if (!startsMachO(f.file)) return []
    const facts = readMachO(fs.readFileSync(f.file))
    return facts ? [{ path: f.path, facts }] : []
  })
}

/** The PE files among `files` (.exe, .dll, .pyd), from their first bytes. */
export function readPEFiles(files: readonly ShippedFile[]): PEFile[] {
  return files.flatMap((f) => {
    if (!/\.(exe|dll|pyd)$/i.test(f.path)) return []
    const facts = readPE(readHead(f.file, PE_HEAD_BYTES))
    return facts ? [{ path: f.path, facts }] : []
  })
}

const programNames = (build: ReaderContext['build']): string[] => build.executables.map((e) => e.name.replace(/\.exe$/i, ''))

/** ELF → `linux`, Mach-O → `macos`, PE → `windows`. */
export const READERS: readonly FactsReader[] = [
  (shipped) => {
    const linux: LinuxFacts | undefined = linuxFacts(readElfObjects(shipped.files), shipped.scope)
    return linux ? { linux } : {}
  },
  (shipped, ctx) => {
    const files = readMachOFiles(shipped.files)
    const executable = executablePath(ctx.build)
    return files.some((f) => f.path === executable) ? { macos: macFacts(files, executable) } : {}
  },
  (shipped, ctx) => {
    const files = readPEFiles(shipped.files)
    if (!files.length) return {}
    const programs = programNames(ctx.build)
    const windows: WindowsFacts = { files, programs, problems: peProblems(files, { arch: ctx.platform.arch, windowedNames: ctx.windowedNames, programs }) }
    return { windows }
  }
]

/** The facts of one build's shipped files, every reader's part together. */
export function factsOf(shipped: Shipped, ctx: ReaderContext, readers: readonly FactsReader[] = READERS): BuildFacts {
  return Object.assign({}, ...readers.map((read) => read(shipped, ctx))) as BuildFacts
}

export const buildLabel = (b: Pick<Build, 'name' | 'mode'>): string => `${b.name} (${b.mode})`

/** A limit input's check over every build: the error text, or undefined when all builds keep to it (or it is not set). */
export type LimitCheck = (config: Pick<Config, 'glibcMax'>, builds: readonly InspectedBuild[]) => string | undefined

const problemList = (problems: readonly string[]): string | undefined => (problems.length ? problems.map((p) => `- ${p}`).join('\n') : undefined)

/** glibc-max; bundled Mach-O files without one of the executable's architectures; programs for another machine or subsystem. */
export const LIMITS: readonly LimitCheck[] = [
  (config, builds) =>
    config.glibcMax
      ? glibcLimitProblem(
          config.glibcMax,
          builds.map((b) => ({ label: buildLabel(b), linux: b.facts.linux }))
        )
      : undefined,
  (_, builds) => {
    const problems = builds.flatMap((b) => (b.facts.macos?.problems ?? []).map((p) => `${buildLabel(b)}: ${describeMacProblem(p)}`))
    return problems.length
      ? `macOS: a bundled file lacks an architecture of the executable, so the loader refuses it there:\n${problemList(problems)}\nBuild every native dependency for the same architectures (universal2 wheels for a universal2 build), or build one executable per architecture.`
      : undefined
  },
  (_, builds) => {
    const problems = builds.flatMap((b) => (b.facts.windows?.problems ?? []).filter((p) => p.severity === 'error').map((p) => `${buildLabel(b)}: ${p.message}`))
    return problems.length ? `Windows: a program does not run as the inputs asked:\n${problemList(problems)}` : undefined
  }
]

/** Throws a StageError listing every limit a build exceeds. */
export function enforceLimits(config: Pick<Config, 'glibcMax'>, builds: readonly InspectedBuild[]): void {
  const problems = LIMITS.map((check) => check(config, builds)).filter((p): p is string => Boolean(p))
  if (problems.length) throw new StageError('inspect', problems.join('\n'))
}

/**
 * The stage: facts for every build, logged, then the limits checked. `known`:
 * facts already read from these very files (a kept build's record, by build
 * root), taken as they are; `python` (the build venv's) reads a PyInstaller
 * one-file archive otherwise.
 */
export async function inspect(
  config: Pick<Config, 'builder' | 'workDir' | 'glibcMax' | 'spec' | 'entrypoints'>,
  platform: Platform,
  builds: readonly Build[],
  python: string | undefined,
  known?: ReadonlyMap<string, BuildFacts>
): Promise<InspectedBuild[]> {
  const scratch = path.join(config.workDir, 'inspect')
  const windowedNames = config.spec ? undefined : config.entrypoints.filter((e) => e.windowed).map((e) => e.name)
  const out: InspectedBuild[] = []
  try {
    for (const build of builds) {
      const facts =
        known?.get(build.root) ??
        factsOf(await shippedFiles(build, { builder: config.builder, python: python ?? '', scratch }), { build, platform, windowedNames })
      for (const line of describeFacts(facts)) core.info(`${buildLabel(build)}: ${line}`)
      if (!facts.linux && platform.os === 'linux') core.info(`${buildLabel(build)}: no ELF objects`)
      for (const p of facts.windows?.problems ?? []) if (p.severity === 'warning') core.warning(`${buildLabel(build)}: ${p.message}`)
      out.push({ ...build, facts })
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
  if (config.glibcMax) {
    if (out.some((b) => b.facts.linux)) core.info(`glibc-max: ${config.glibcMax}`)
    else core.info(`glibc-max: ${config.glibcMax} does not apply: no build has ELF objects.`)
  }
  // Set before the limits are checked: a step after a failure (if: failure()) can still read the floor.
  core.setOutput('glibc-floor', glibcFloor(out))
  enforceLimits(config, out)
  return out
}
