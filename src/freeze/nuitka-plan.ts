/**
 * Planning Nuitka runs from entry points, the same inputs a generated
 * PyInstaller spec takes. Nuitka makes one program per run, so entry points
 * that can share one compiled program are built together as a "multidist"
 * binary (Nuitka picks the entry point from the name it is started under) and
 * the other names are copies of it; one-file and one-folder are separate
 * runs. Pure: the wrappers to write, the runs, the steps that lay out the
 * results and the builds to expect, for any platform.
 */
import type { Platform } from '../platform.js'
import type { PlannedFile } from '../files.js'
import { releaseTuple } from '../version.js'
import { wrapperScript } from './entrypoints.js'
import { bundleIdPart, wrapperFileName, type SpecInput } from './spec.js'
import type { Build } from './builds.js'
import type { DataRule, EntryPoint } from '../config.js'

export type NuitkaMode = 'onefile' | 'standalone' | 'app-dist'

/** One Nuitka run: the arguments after `python -m nuitka`. */
export interface NuitkaRun {
  readonly mode: NuitkaMode
  readonly entries: readonly string[]
  readonly args: readonly string[]
}

/**
 * What is done to Nuitka's output after the runs: move a file or folder
 * (`move`), copy a multidist program under another entry point's name
 * (`copy`, or `link`: a hard link where the platform has them, else a copy),
 * or move a folder's files into a folder that already holds a build
 * (`merge`: files present in both must be identical).
 */
export interface LayoutStep {
  readonly kind: 'move' | 'copy' | 'link' | 'merge'
  readonly from: string
  readonly to: string
}

export interface NuitkaPlan {
  readonly files: readonly PlannedFile[]
  readonly runs: readonly NuitkaRun[]
  readonly steps: readonly LayoutStep[]
  readonly builds: readonly Build[]
}

export interface NuitkaPaths {
  /** Folder for the wrappers. */
  readonly specDir: string
  /** Parent of each run's --output-dir. */
  readonly outDir: string
  /** Where one-file executables (and macOS .app bundles) end up, as with PyInstaller. */
  readonly distDir: string
  /** Where the one-folder build ends up. */
  readonly onedirDir: string
}

/** How a data source is laid out: one file, a folder, or a glob pattern. */
export type DataKind = 'file' | 'dir' | 'glob'

export interface NuitkaInput extends SpecInput {
  /** 0: a one-file payload is stored uncompressed (--onefile-no-compression); Nuitka 4.3 has no other level knob (zstd 22). */
  readonly compressionLevel: number
  /** Top-level names importable in the build environment: an entry point of that name cannot be a multidist wrapper. */
  readonly importable: readonly string[]
  /** What each add-data source is. */
  readonly dataKind: (source: string) => DataKind
  /** builder-args: Nuitka's own options, after the action's in every run. */
  readonly extraArgs: readonly string[]
}

const stripPy = (file: string): string => file.replace(/\.pyw?$/i, '')

/**
 * Why an entry point cannot be one of several in a multidist program, or ''
 * when it can. Nuitka names each entry point after its main script's file and
 * compares that with the name the program was started under, so: the script
 * must be named like the executable; the name must not be importable (the
 * script would hide the module of that name); on Windows the name must be
 * lower case (Nuitka lower-cases the started name); and a name ending in "py"
 * loses those letters in Nuitka's comparison.
 */
export function multidistProblem(platform: Platform, entry: EntryPoint, importable: readonly string[]): string {
  const p = platform.path
  if (entry.target.kind === 'script' && stripPy(p.basename(entry.target.path)) !== entry.name) return 'its script is named otherwise'
  if (importable.includes(entry.name)) return `a module named ${entry.name} is importable`
  if (platform.os === 'windows' && entry.name !== entry.name.toLowerCase()) return 'the name has capitals'
  if (/.pyw?$/i.test(entry.name)) return 'the name ends in "py"'
  return ''
}

/**
 * The entry points of each run of one mode. Console and windowed programs
 * differ on Windows (the console mode is compiled in); a windowed one-folder
 * program on macOS is its own .app bundle; entry points that cannot share a
 * program get their own run.
 */
export function runGroups(platform: Platform, entries: readonly EntryPoint[], mode: 'onefile' | 'onedir', importable: readonly string[]): EntryPoint[][] {
  const groups = new Map<string, EntryPoint[]>()
  const alone: EntryPoint[][] = []
  for (const entry of entries) {
    if ((platform.os === 'macos' && mode === 'onedir' && entry.windowed) || multidistProblem(platform, entry, importable)) {
      alone.push([entry])
      continue
    }
    const key = platform.os === 'windows' && entry.windowed ? 'windowed' : 'console'
    groups.set(key, [...(groups.get(key) ?? []), entry])
  }
  return [...groups.values(), ...alone]
}

/** `--include-data-*` for one add-data rule: PyInstaller's meaning (the file, the folder's contents or the matches go into dest). */
export function dataArg(platform: Platform, rule: DataRule, kind: DataKind): string {
  const dest = rule.dest.replace(/\\/g, '/').replace(/^\.?\/*|\/+$/g, '')
  const base = platform.path.basename(rule.source)
  if (kind === 'dir') return `--include-data-dir=${rule.source}=${dest || '.'}`
  if (kind === 'glob') return `--include-data-files=${rule.source}=${dest ? `${dest}/` : './'}`
  return `--include-data-files=${rule.source}=${dest ? `${dest}/${base}` : base}`
}

/** The arguments every run shares: what to include and leave out. */
export function contentArgs(platform: Platform, input: NuitkaInput): string[] {
  const args: string[] = []
  for (const m of input.hiddenImports) args.push(`--include-module=${m}`)
  for (const c of input.collect) {
    if (c.kind !== 'data') args.push(`--include-package=${c.package}`)
    if (c.kind !== 'submodules') args.push(`--include-package-data=${c.package}`)
  }
  for (const d of input.datas) args.push(dataArg(platform, d, input.dataKind(d.source)))
  for (const m of input.excludes) args.push(`--nofollow-import-to=${m}`)
  if (input.upx) args.push('--enable-plugins=upx')
  return args
}

/** Version resource (Windows), console mode and icon, for a run of the given entry points. */
export function platformArgs(platform: Platform, input: NuitkaInput, first: EntryPoint, mode: NuitkaMode): string[] {
  const args: string[] = []
  const version = releaseTuple(input.facts.version).join('.')
  if (platform.os === 'windows') {
    if (first.windowed) args.push('--windows-console-mode=disable')
    if (input.icon) args.push(`--windows-icon-from-ico=${input.icon}`)
    args.push(
      `--company-name=${input.facts.company}`,
      `--product-name=${input.facts.productName}`,
      `--file-version=${version}`,
      `--product-version=${version}`,
      `--file-description=${input.facts.description}`
    )
  }
  if (platform.os === 'macos' && mode === 'app-dist') {
    if (input.icon) args.push(`--macos-app-icon=${input.icon}`)
    args.push(
      `--macos-app-name=${first.name}`,
      // Nuitka writes this into both CFBundleShortVersionString and CFBundleVersion (nuitka/freezer/MacOSApp.py, 4.3.3): three integers, as Apple requires.
      `--macos-app-version=${releaseTuple(input.facts.version).slice(0, 3).join('.')}`,
      `--macos-signed-app-name=${input.bundleIdPrefix}.${bundleIdPart(first.name)}`
    )
  }
  return args
}

export function planNuitka(platform: Platform, input: NuitkaInput, paths: NuitkaPaths): NuitkaPlan {
  const p = platform.path
  const files: PlannedFile[] = []
  const runs: NuitkaRun[] = []
  const steps: LayoutStep[] = []
  const builds: Build[] = []
  const exe = (e: EntryPoint): string => `${e.name}${platform.exeSuffix}`
  const shared = contentArgs(platform, input)

  /** The main script of an entry point: its own script, or a wrapper named for multidist (or `-entry` when alone). */
  const mainScript = (entry: EntryPoint, group: number, multidist: boolean): string => {
    if (entry.target.kind === 'script') return p.resolve(input.projectDir, entry.target.path)
    const script = p.join(paths.specDir, `nuitka-${group}`, multidist ? `${entry.name}.py` : wrapperFileName(entry.name))
    files.push({ path: script, content: wrapperScript(entry.target) })
    return script
  }
  const addRun = (mode: NuitkaMode, group: EntryPoint[], outDir: string): void => {
    const multidist = group.length > 1
    const mains = group.map((e) => `--main=${mainScript(e, runs.length, multidist)}`)
    runs.push({
      mode,
      entries: group.map((e) => e.name),
      args: [
        `--mode=${mode}`,
        '--assume-yes-for-downloads',
        // On success Nuitka removes its build folder (C sources and objects: 280 MB for chatty; ccache keeps the
        // objects) and, in one-file mode, the folder it packed; a failed build keeps them for inspection.
        '--remove-output',
        `--output-dir=${outDir}`,
        `--output-filename=${exe(group[0])}`,
        ...(mode === 'onefile' ? (input.compressionLevel === 0 ? ['--onefile-no-compression'] : []) : [`--output-folder-name=${group[0].name}`]),
        ...mains,
        ...shared,
        ...platformArgs(platform, input, group[0], mode),
        ...input.extraArgs
      ]
    })
  }

  if (input.onefile) {
    for (const group of runGroups(platform, input.entries, 'onefile', input.importable)) {
      const outDir = p.join(paths.outDir, `run-${runs.length}`)
      addRun('onefile', group, outDir)
      const first = p.join(paths.distDir, exe(group[0]))
      steps.push({ kind: 'move', from: p.join(outDir, exe(group[0])), to: first })
      for (const e of group.slice(1)) steps.push({ kind: 'copy', from: first, to: p.join(paths.distDir, exe(e)) })
    }
    for (const e of input.entries)
      builds.push({ mode: 'onefile', name: exe(e), root: p.join(paths.distDir, exe(e)), executables: [{ name: exe(e), path: p.join(paths.distDir, exe(e)) }] })
  }

  if (input.onedir) {
    const root = p.join(paths.onedirDir, input.collectName)
    const inFolder: EntryPoint[] = []
    for (const group of runGroups(platform, input.entries, 'onedir', input.importable)) {
      const outDir = p.join(paths.outDir, `run-${runs.length}`)
      if (platform.os === 'macos' && group[0].windowed) {
        const e = group[0]
        addRun('app-dist', group, outDir)
        const app = `${e.name}.app`
        const to = p.join(paths.distDir, app)
        steps.push({ kind: 'move', from: p.join(outDir, app), to })
        builds.push({ mode: 'app', name: app, root: to, executables: [{ name: e.name, path: p.join(to, 'Contents', 'MacOS', e.name) }] })
        continue
      }
      addRun('standalone', group, outDir)
      steps.push({ kind: inFolder.length ? 'merge' : 'move', from: p.join(outDir, `${group[0].name}.dist`), to: root })
      group.forEach((e, i) => {
        if (i > 0) steps.push({ kind: platform.os === 'windows' ? 'copy' : 'link', from: p.join(root, exe(group[0])), to: p.join(root, exe(e)) })
      })
      inFolder.push(...group)
    }
    if (inFolder.length)
      builds.push({
        mode: 'onedir',
        name: input.collectName,
        root,
        executables: input.entries.filter((e) => inFolder.includes(e)).map((e) => ({ name: exe(e), path: p.join(root, exe(e)) }))
      })
  }
  return { files, runs, steps, builds }
}
