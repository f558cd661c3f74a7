/**
 * Generating a PyInstaller spec from entry points: one Analysis per entry
 * point feeding a one-file EXE and/or a one-folder EXE; the one-folder EXEs
 * share one COLLECT (shared libraries collected once); on macOS a windowed
 * entry's one-folder build becomes a .app BUNDLE. Pure: the files to write
 * and the builds to expect are planned here, for any platform.
 */
import { targetPath, type Platform } from '../platform.js'
import { macInfoPlist, windowsVersionFile, type VersionFacts } from '../version.js'
import type { PlannedFile } from '../files.js'
import { wrapperScript } from './entrypoints.js'
import { normalizeName } from '../pyproject.js'
import { TRACEBACK_FILE_ENV, type CollectRule, type Config, type DataRule, type EntryPoint, type GeneratedSpecOptions } from '../config.js'
import type { Build } from './builds.js'

export interface SpecInput {
  readonly entries: readonly EntryPoint[]
  readonly projectDir: string
  readonly onefile: boolean
  readonly onedir: boolean
  /** Name of the shared one-folder build. */
  readonly collectName: string
  /** Absolute icon path, or ''. */
  readonly icon: string
  readonly hiddenImports: readonly string[]
  readonly collect: readonly CollectRule[]
  readonly datas: readonly DataRule[]
  readonly excludes: readonly string[]
  readonly upx: boolean
  readonly strip: boolean
  /** hooks-dir: folders of PyInstaller hooks (Analysis hookspath). */
  readonly hooksDirs: readonly string[]
  /** runtime-hooks: run before each entry point (Analysis runtime_hooks). */
  readonly runtimeHooks: readonly string[]
  /** builder-args' options for the generated spec. */
  readonly options: GeneratedSpecOptions
  /** Version, product and company for the Windows version resource and macOS Info.plist. */
  readonly facts: Omit<VersionFacts, 'name'>
  readonly bundleIdPrefix: string
}

/** What the generated spec needs from the config and the project. */
export function specInput(config: Config, version: string): SpecInput {
  const entries = config.entrypoints
  const productName = config.project.name || entries[0]?.name || 'app'
  return {
    entries,
    projectDir: config.projectDir,
    onefile: config.onefile,
    onedir: config.onedir,
    collectName: entries.length === 1 ? entries[0].name : config.name || productName,
    icon: config.icon,
    hiddenImports: config.hiddenImports,
    collect: withOwnData(config.collect, entries),
    datas: config.addData,
    excludes: config.excludeModules,
    upx: config.upx,
    strip: config.strip,
    hooksDirs: config.hooksDirs,
    runtimeHooks: config.runtimeHooks,
    options: config.builderArgs.spec,
    facts: { version, productName, company: config.project.authors[0] || productName, description: config.project.description || productName },
    bundleIdPrefix: `org.${normalizeName(productName).replace(/[^a-z0-9-]/g, '')}`
  }
}

/**
 * The collect rules plus the data files of the packages the entry points live
 * in: PyInstaller does not bundle package data by itself, and a project's own
 * data (a commands.json, templates) is almost always read at run time.
 */
export function withOwnData(collect: readonly CollectRule[], entries: readonly EntryPoint[]): CollectRule[] {
  const out = [...collect]
  for (const e of entries) {
    if (e.target.kind !== 'function') continue
    const pkg = e.target.module.split('.')[0]
    if (!out.some((c) => c.package === pkg && (c.kind === 'data' || c.kind === 'all'))) out.push({ kind: 'data', package: pkg })
  }
  return out
}

export interface SpecPaths {
  /** Folder for the generated spec, wrappers and version files. */
  readonly specDir: string
  /** PyInstaller's --distpath. */
  readonly distDir: string
  /** Where the one-folder build is moved after the run. */
  readonly onedirDir: string
  /** The spec's file name in specDir (default build-standalone.spec). */
  readonly specName?: string
}

/** A move from where PyInstaller writes to where the build is shipped from. */
export interface Move {
  readonly from: string
  readonly to: string
}

export interface SpecPlan {
  readonly specPath: string
  /** The spec, wrappers and version files to write before the run. */
  readonly files: readonly PlannedFile[]
  /** What the run must produce, after `moves`. */
  readonly builds: readonly Build[]
  readonly moves: readonly Move[]
}

/** Folder name PyInstaller writes the shared one-folder build to (renamed afterwards, so it never meets a one-file executable of the same name). */
export const stagingName = (collectName: string): string => `${collectName}.onedir`

/**
 * The wrapper script's file name. The spec folder is on PyInstaller's search
 * path, so a wrapper named like a package (`chatty.py` for `chatty.cli:main`)
 * would hide it; a hyphen makes the name unimportable.
 */
export const wrapperFileName = (name: string): string => `${name}-entry.py`

/** A bundle identifier part: Apple allows letters, digits, hyphens and dots. */
export const bundleIdPart = (name: string): string => name.replace(/[^A-Za-z0-9.-]/g, '-')

/** A Python literal for a JSON-like value. */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pyLiteral(v)}`)
    .join(', ')}}`
}

/** The runtime hook of windowed entries on Windows and macOS (windowedTracebackHook), written beside the spec. */
export const TRACEBACK_HOOK_NAME = 'build-standalone-windowed-traceback.py'

/**
 * A PyInstaller runtime hook for windowed Windows programs. When such a
 * program ends with an unhandled exception, the bootloader calls
 * PyErr_Print(), which calls sys.excepthook, and then opens a modal dialog
 * with the traceback (bootloader/src/pyi_launch.c, PyInstaller 6.22: "Windows;
 * use custom dialog", pyi_unhandled_exception_dialog; the
 * disable_windowed_traceback option only empties that dialog). Nobody closes
 * a dialog on a CI runner: the smoke test would wait for its time-out and
 * learn nothing. Runtime hooks run before the entry point (PyInstaller manual,
 * "Changing Runtime Behavior"); this one, only when the smoke test sets
 * TRACEBACK_FILE_ENV, makes sys.excepthook write the traceback to that file
 * and end the process with code 1 before the dialog. Outside a smoke test the
 * variable is not set and the program behaves as PyInstaller made it.
 * Windowed macOS programs get it too: they open no dialog, but whether they
 * have a stderr to print to is not PyInstaller's promise ("The bootloader
 * starts Python with no target for standard output or input", PyInstaller
 * manual, "Using a Console Window"), and the file always is there.
 */
export const windowedTracebackHook = (): string =>
  [
    '# Generated by build-standalone: during smoke tests, write an unhandled exception to a file and exit, instead of',
    "# opening PyInstaller's error dialog, which nobody can close on a CI runner.",
    'import os',
    'import sys',
    '',
    `_bs_traceback_file = os.environ.get(${pyLiteral(TRACEBACK_FILE_ENV)})`,
    'if _bs_traceback_file:',
    '',
    '    def _bs_excepthook(kind, value, tb):',
    '        try:',
    '            import traceback',
    '',
    "            with open(_bs_traceback_file, 'a', encoding='utf-8') as f:",
    "                f.write(''.join(traceback.format_exception(kind, value, tb)))",
    '        finally:',
    '            os._exit(1)',
    '',
    '    sys.excepthook = _bs_excepthook',
    ''
  ].join('\n')

/** The interpreter options of an EXE (its TOC of OPTION entries): --python-option, 'v' for --debug imports, an 'O' per --optimize level. */
export function pythonOptionsToc(options: GeneratedSpecOptions): string {
  const given = [...options.pythonOptions]
  // As PyInstaller's makespec does: --optimize N adds the 'O's that --python-option did not give.
  const os = given.filter((o) => o === 'O').length
  if (options.optimize !== undefined && options.optimize > os) given.push(...Array<string>(options.optimize - os).fill('O'))
  return `[${given.map((o) => `(${pyLiteral(o)}, None, "OPTION")`).join(', ')}]`
}

/** The bytecode optimization level: --optimize, or as many as --python-option O gave (at most 2), or 0. */
export const optimizeLevel = (options: GeneratedSpecOptions): number => options.optimize ?? Math.min(2, options.pythonOptions.filter((o) => o === 'O').length)

function exeArgs(platform: Platform, entry: EntryPoint, input: SpecInput, versionFile: string | undefined): string {
  const icon = platform.os === 'windows' && input.icon ? pyLiteral(targetPath(platform, input.icon)) : 'None'
  const o = input.options
  const optional: [string, unknown][] = [
    ['uac_admin', o.uacAdmin || undefined],
    ['uac_uiaccess', o.uacUiaccess || undefined],
    // A manifest is a file (absolute) or XML text; a resource is FILE[,TYPE[,NAME[,LANGUAGE]]]: their files as the builder sees them.
    ['manifest', o.manifest?.startsWith('/') ? targetPath(platform, o.manifest) : o.manifest],
    [
      'resources',
      o.resources.length ? o.resources.map((r) => (r.startsWith('/') ? targetPath(platform, r.split(',')[0]) + r.slice(r.split(',')[0].length) : r)) : undefined
    ],
    ['hide_console', o.hideConsole],
    ['runtime_tmpdir', o.runtimeTmpdir],
    ['contents_directory', o.contentsDirectory]
  ]
  return [
    `name=${pyLiteral(entry.name)}`,
    `console=${pyLiteral(!entry.windowed)}`,
    `icon=${icon}`,
    `version=${versionFile ? pyLiteral(targetPath(platform, versionFile)) : 'None'}`,
    `upx=${pyLiteral(input.upx)}`,
    `strip=${pyLiteral(input.strip)}`,
    `upx_exclude=${pyLiteral(o.upxExclude)}`,
    `debug=${pyLiteral(o.debugBootloader)}`,
    `bootloader_ignore_signals=${pyLiteral(o.bootloaderIgnoreSignals)}`,
    `disable_windowed_traceback=${pyLiteral(o.disableWindowedTraceback)}`,
    `argv_emulation=${pyLiteral(o.argvEmulation)}`,
    `target_arch=${pyLiteral(o.targetArch)}`,
    'codesign_identity=None',
    'entitlements_file=None',
    ...optional.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${pyLiteral(v)}`)
  ].join(', ')
}

/** Lines of the spec's preamble for builder-args' --collect-binaries and --copy-metadata (none without them). */
function optionPreamble(o: GeneratedSpecOptions): string[] {
  const lines: string[] = []
  if (o.collectBinaries.length)
    lines.push(
      'from PyInstaller.utils.hooks import collect_dynamic_libs',
      `for _package in ${pyLiteral(o.collectBinaries)}:`,
      '    binaries += collect_dynamic_libs(_package)'
    )
  if (o.copyMetadata.length)
    lines.push(
      'from PyInstaller.utils.hooks import copy_metadata',
      ...o.copyMetadata.map((m) => `datas += copy_metadata(${pyLiteral(m.distribution)}${m.recursive ? ', recursive=True' : ''})`)
    )
  return lines
}

export function planSpec(platform: Platform, input: SpecInput, paths: SpecPaths): SpecPlan {
  const p = platform.path
  // Paths in the spec are read by the builder's Python: under Wine, as Z:\… (the files themselves are written on the host).
  const t = (hostPath: string): string => targetPath(platform, hostPath)
  const files: PlannedFile[] = []
  const builds: Build[] = []
  const moves: Move[] = []
  const macApps = platform.os === 'macos' && input.onedir
  const lines = [
    `# Generated by build-standalone for ${platform.os}-${platform.arch} from the action's inputs. Do not edit: change the inputs.`,
    'from PyInstaller.utils.hooks import collect_all, collect_data_files, collect_submodules',
    '',
    `datas = ${pyLiteral(input.datas.map((d) => [t(d.source), d.dest]))}`,
    `binaries = ${pyLiteral(input.options.binaries.map((d) => [t(d.source), d.dest]))}`,
    `hiddenimports = ${pyLiteral(input.hiddenImports)}`,
    `for _package in ${pyLiteral(input.collect.filter((c) => c.kind === 'all').map((c) => c.package))}:`,
    '    _d, _b, _h = collect_all(_package)',
    '    datas += _d',
    '    binaries += _b',
    '    hiddenimports += _h',
    `for _package in ${pyLiteral(input.collect.filter((c) => c.kind === 'submodules').map((c) => c.package))}:`,
    '    hiddenimports += collect_submodules(_package)',
    `for _package in ${pyLiteral(input.collect.filter((c) => c.kind === 'data').map((c) => c.package))}:`,
    '    datas += collect_data_files(_package)',
    ...optionPreamble(input.options),
    `excludes = ${pyLiteral(input.excludes)}`
  ]
  const shared: string[] = []
  const options = pythonOptionsToc(input.options)
  const tracebackHook = p.join(paths.specDir, TRACEBACK_HOOK_NAME)
  // Windowed programs have no console on Windows and macOS; on Linux `windowed` changes nothing.
  const hooked = (e: EntryPoint): boolean => platform.os !== 'linux' && e.windowed
  if (input.entries.some(hooked)) files.push({ path: tracebackHook, content: windowedTracebackHook() })
  input.entries.forEach((entry, i) => {
    const script = entry.target.kind === 'script' ? p.resolve(input.projectDir, entry.target.path) : p.join(paths.specDir, wrapperFileName(entry.name))
    if (entry.target.kind === 'function') files.push({ path: script, content: wrapperScript(entry.target) })
    let versionFile: string | undefined = platform.os === 'windows' ? input.options.versionFile : undefined
    if (platform.os === 'windows' && !versionFile) {
      versionFile = p.join(paths.specDir, `${entry.name}.version.txt`)
      files.push({ path: versionFile, content: windowsVersionFile({ ...input.facts, name: entry.name }) })
    }
    const exe = `${entry.name}${platform.exeSuffix}`
    lines.push(
      '',
      `# ${entry.name}: ${entry.source}${entry.windowed ? ' (windowed)' : ''}`,
      `a_${i} = Analysis([${pyLiteral(t(script))}], pathex=${pyLiteral(input.options.pathex.map(t))}, binaries=binaries, datas=datas, hiddenimports=hiddenimports, hookspath=${pyLiteral(input.hooksDirs.map(t))}, hooksconfig={}, runtime_hooks=${pyLiteral([...input.runtimeHooks, ...(hooked(entry) ? [tracebackHook] : [])].map(t))}, excludes=excludes, noarchive=${pyLiteral(input.options.noarchive)}, optimize=${optimizeLevel(input.options)})`,
      `pyz_${i} = PYZ(a_${i}.pure)`
    )
    if (input.onefile) {
      lines.push(`onefile_${i} = EXE(pyz_${i}, a_${i}.scripts, a_${i}.binaries, a_${i}.datas, ${options}, ${exeArgs(platform, entry, input, versionFile)})`)
      const root = p.join(paths.distDir, exe)
      builds.push({ mode: 'onefile', name: exe, root, executables: [{ name: exe, path: root }] })
    }
    if (input.onedir) {
      lines.push(`onedir_${i} = EXE(pyz_${i}, a_${i}.scripts, ${options}, exclude_binaries=True, ${exeArgs(platform, entry, input, versionFile)})`)
      if (macApps && entry.windowed) {
        const app = `${entry.name}.app`
        const plist = macInfoPlist({ ...input.facts, name: entry.name })
        lines.push(
          `app_${i} = BUNDLE(onedir_${i}, a_${i}.binaries, a_${i}.datas, name=${pyLiteral(app)}, icon=${input.icon ? pyLiteral(input.icon) : 'None'}, bundle_identifier=${pyLiteral(`${input.bundleIdPrefix}.${bundleIdPart(entry.name)}`)}, version=${pyLiteral(plist.CFBundleShortVersionString)}, info_plist=${pyLiteral(plist)})`
        )
        const root = p.join(paths.distDir, app)
        builds.push({ mode: 'app', name: app, root, executables: [{ name: entry.name, path: p.join(root, 'Contents', 'MacOS', entry.name) }] })
      } else shared.push(`onedir_${i}, a_${i}.binaries, a_${i}.datas`)
    }
  })
  if (shared.length) {
    const staging = stagingName(input.collectName)
    lines.push(
      '',
      `coll = COLLECT(${shared.join(', ')}, strip=${pyLiteral(input.strip)}, upx=${pyLiteral(input.upx)}, upx_exclude=${pyLiteral(input.options.upxExclude)}, name=${pyLiteral(staging)})`
    )
    const root = p.join(paths.onedirDir, input.collectName)
    moves.push({ from: p.join(paths.distDir, staging), to: root })
    const inFolder = input.entries.filter((e) => !(macApps && e.windowed))
    builds.push({
      mode: 'onedir',
      name: input.collectName,
      root,
      executables: inFolder.map((e) => ({ name: `${e.name}${platform.exeSuffix}`, path: p.join(root, `${e.name}${platform.exeSuffix}`) }))
    })
  }
  const specPath = p.join(paths.specDir, paths.specName ?? 'build-standalone.spec')
  files.push({ path: specPath, content: `${lines.join('\n')}\n` })
  return { specPath, files, builds, moves }
}
