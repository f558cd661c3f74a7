/**
 * `builder-args`: the builder's own command-line options, one a line, never
 * through a shell. For Nuitka they go on its command line; for PyInstaller
 * building from entry points, its build options go on the command line and
 * the others (what `pyinstaller script.py` would write into the spec it
 * makes) into the spec the action generates; with `spec`, every line goes to
 * the project's spec after `--`, as PyInstaller hands them over. Options the
 * action sets itself are refused, naming the input that sets them.
 */
import { type BuilderArgs, type BuilderName, type DataRule, type GeneratedSpecOptions, NO_BUILDER_ARGS } from '../config.js'
import { excerpt, InputError } from '../errors.js'
import { readDataLine, readProjectPath } from './project-paths.js'

const INPUT = 'builder-args'

/** One line split into arguments: `--opt=value` stays one argument, `--opt value` is two (the value is the rest of the line, spaces and all). */
export interface OptionLine {
  readonly line: string
  /** `--opt` or `-o`; '' for a line that is not an option. */
  readonly option: string
  readonly value?: string
  /** Whether the value was joined with `=` (or, for a short option, written right after it). */
  readonly joined: boolean
  readonly args: readonly string[]
}

export function splitOptionLine(raw: string): OptionLine {
  const line = raw.trim()
  const long = /^(--[^=\s]+)(?:=(.*)|\s+(.*))?$/s.exec(line)
  if (long) {
    const joined = long[2] !== undefined
    const value = long[2] ?? long[3]
    return { line, option: long[1], value, joined, args: value === undefined || joined ? [line] : [long[1], value] }
  }
  const short = /^(-[A-Za-z0-9])(?:\s+(.*)|(.+))?$/s.exec(line)
  if (short) {
    const joined = short[3] !== undefined
    const value = short[2] ?? short[3]
    return { line, option: short[1], value, joined, args: value === undefined || joined ? [line] : [short[1], value] }
  }
  return { line, option: '', value: line, joined: false, args: [line] }
}

/** Why the action refuses an option: the input that sets it (or what the action does), and what to do instead. */
interface Owned {
  readonly by: string
  readonly fix: string
}

const owned = (input: string, fix: string): Owned => ({ by: `the ${input} input sets it`, fix })

/** Reasons both builders' tables share. */
const OUTPUT_DIR: Owned = { by: 'the action sets it (it builds in its work folder, then packs the archives into output-dir)', fix: 'Set output-dir instead.' }
const ALWAYS_PASSED: Owned = { by: 'the action always passes it', fix: 'Remove the line.' }
const PRINTS_HELP: Owned = { by: 'it prints the help and builds nothing', fix: 'Remove the line.' }
const NAMED_IN_ENTRYPOINT = owned('entrypoint', 'Name each executable in its entrypoint line (`name = module:function`), or in [project.scripts].')
const WINDOWED = owned('entrypoint', 'End the entrypoint line with (windowed), or declare the script in [project.gui-scripts], instead.')
const CONSOLE = owned('entrypoint', 'Entry points are console programs unless their entrypoint line ends with (windowed) or they are [project.gui-scripts].')
const MODE_ONEFILE = owned('mode', 'Set mode: onefile (or both) instead.')
const MODE_ONEDIR = owned('mode', 'Set mode: onedir (or both) instead.')
const ADD_DATA = owned('add-data', 'Give the line to add-data (`source:destination`, one a line) instead.')
const HIDDEN_IMPORT = owned('hidden-imports', 'Give the module to hidden-imports instead.')
const EXCLUDE = owned('exclude-modules', 'Give the module to exclude-modules instead.')
const ICON = owned('icon', 'Set icon instead.')
const SIGNING_IDENTITY = owned('macos-signing-identity', 'Set macos-certificate and macos-signing-identity: the sign stage signs every build.')
const BUNDLE_ID: Owned = {
  by: 'the action sets it per .app bundle (org.<project>.<executable>)',
  fix: 'Build from your own .spec file (spec) to choose bundle identifiers.'
}
const VERSION = owned('version', 'Set version instead.')
const SPLASH: Owned = {
  by: 'a splash screen is not something the action can add to the spec it generates',
  fix: 'Build from your own .spec file (spec) for it.'
}
const FROM_METADATA = (what: string): Owned => owned('version', `The action writes it from the project's metadata (${what}).`)

const PYINSTALLER_OWNED: Readonly<Record<string, Owned>> = {
  '--distpath': OUTPUT_DIR,
  '--workpath': { by: "the action sets it (its work folder under RUNNER_TEMP, kept between a run's steps)", fix: 'Remove the line.' },
  '--specpath': { by: 'the action sets it (it writes the spec it generates into its work folder)', fix: 'Remove the line.' },
  '--noconfirm': ALWAYS_PASSED,
  '--onefile': MODE_ONEFILE,
  '--onedir': MODE_ONEDIR,
  '--name': owned('name', 'Name each executable in its entrypoint line (`name = module:function`), or in [project.scripts].'),
  '--add-data': ADD_DATA,
  '--hidden-import': HIDDEN_IMPORT,
  '--collect-submodules': owned('collect', 'Write `submodules: package` in collect instead.'),
  '--collect-data': owned('collect', 'Write `data: package` in collect instead.'),
  '--collect-all': owned('collect', 'Write the package in collect instead.'),
  '--exclude-module': EXCLUDE,
  '--additional-hooks-dir': owned('hooks-dir', 'Give the folder to hooks-dir instead.'),
  '--runtime-hook': owned('runtime-hooks', 'Give the file to runtime-hooks instead.'),
  '--icon': ICON,
  '--strip': owned('strip', 'Set strip: true instead.'),
  '--noupx': owned('upx', 'Leave upx false (the default) instead.'),
  '--console': CONSOLE,
  '--windowed': WINDOWED,
  '--codesign-identity': SIGNING_IDENTITY,
  '--osx-entitlements-file': owned('macos-entitlements', 'Set macos-entitlements instead.'),
  '--osx-bundle-identifier': BUNDLE_ID,
  '--splash': SPLASH,
  '--splash-center': SPLASH,
  '-m': { by: 'it is the deprecated shorthand of --manifest', fix: 'Write --manifest instead.' },
  '--key': { by: 'PyInstaller 6 removed bytecode encryption', fix: 'Remove the line.' },
  '--version': { by: 'it prints PyInstaller’s version and builds nothing', fix: 'Remove the line.' },
  '--help': PRINTS_HELP
}

/** PyInstaller's short options and second names → the long name the tables use. */
const PYINSTALLER_ALIASES: Readonly<Record<string, string>> = {
  '-y': '--noconfirm',
  '-F': '--onefile',
  '-D': '--onedir',
  '-n': '--name',
  '--hiddenimport': '--hidden-import',
  '--collect-datas': '--collect-data',
  '-i': '--icon',
  '-s': '--strip',
  '-c': '--console',
  '--nowindowed': '--console',
  '-w': '--windowed',
  '--noconsole': '--windowed',
  '-v': '--version',
  '-h': '--help',
  '-p': '--paths',
  '-d': '--debug',
  '-r': '--resource',
  '--target-arch': '--target-architecture'
}

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'DEPRECATION', 'ERROR', 'FATAL']
const DEBUG_CHOICES = ['all', 'imports', 'bootloader', 'noarchive']
const HIDE_CONSOLE = ['hide-early', 'hide-late', 'minimize-early', 'minimize-late']
const TARGET_ARCHS = ['x86_64', 'arm64', 'universal2']
const MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/
const DISTRIBUTION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** What builder-args may change in a generated spec, while it is being read. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] }

interface Reading {
  readonly projectDir: string
  readonly exists: (p: string) => boolean
  readonly spec: Mutable<GeneratedSpecOptions>
  readonly command: string[]
}

/** How the action applies one PyInstaller option it accepts from entry points. */
interface Accepted {
  /** The values it takes (undefined: none, a flag; [] any). */
  readonly values?: readonly string[]
  /** What a value must look like, said in the error when it does not. */
  readonly check?: { readonly test: (value: string) => boolean; readonly expected: string }
  readonly apply: (r: Reading, value: string, line: OptionLine) => void
}

const flag = (apply: (s: Mutable<GeneratedSpecOptions>) => void): Accepted => ({ apply: (r) => apply(r.spec) })
const onCommand: Accepted['apply'] = (r, _value, line) => r.command.push(...line.args)
const choice = (values: readonly string[], apply: Accepted['apply']): Accepted => ({ values, apply })
const valued = (apply: Accepted['apply'], check?: Accepted['check']): Accepted => ({ values: [], apply, check })
const noSeparator = { test: (v: string) => !/[\\/]/.test(v) && v !== '..', expected: 'a file or folder name, without / or \\' }

const PYINSTALLER_ACCEPTED: Readonly<Record<string, Accepted>> = {
  // build options: on PyInstaller's command line
  '--clean': { apply: onCommand },
  '--log-level': choice(LOG_LEVELS, onCommand),
  '--upx-dir': valued(onCommand),
  // makespec options: into the generated spec
  '--paths': valued((r, v) => r.spec.pathex.push(readProjectPath(INPUT, v, r.projectDir, 'folder', 'a folder of modules'))),
  '--add-binary': valued((r, v) => r.spec.binaries.push(readDataLine(v, r.projectDir, r.exists, INPUT) as DataRule)),
  '--collect-binaries': valued((r, v) => r.spec.collectBinaries.push(v), { test: (v) => MODULE.test(v), expected: 'a package name' }),
  '--copy-metadata': valued((r, v) => r.spec.copyMetadata.push({ distribution: v, recursive: false }), {
    test: (v) => DISTRIBUTION.test(v),
    expected: 'a distribution name'
  }),
  '--recursive-copy-metadata': valued((r, v) => r.spec.copyMetadata.push({ distribution: v, recursive: true }), {
    test: (v) => DISTRIBUTION.test(v),
    expected: 'a distribution name'
  }),
  '--debug': choice(DEBUG_CHOICES, (r, v) => {
    if (v === 'all' || v === 'bootloader') r.spec.debugBootloader = true
    if (v === 'all' || v === 'noarchive') r.spec.noarchive = true
    if ((v === 'all' || v === 'imports') && !r.spec.pythonOptions.includes('v')) r.spec.pythonOptions.push('v')
  }),
  '--optimize': choice(['-1', '0', '1', '2'], (r, v) => (r.spec.optimize = Number(v))),
  '--python-option': valued((r, v) => r.spec.pythonOptions.push(v)),
  '--upx-exclude': valued((r, v) => r.spec.upxExclude.push(v), noSeparator),
  '--hide-console': choice(HIDE_CONSOLE, (r, v) => (r.spec.hideConsole = v)),
  '--disable-windowed-traceback': flag((s) => (s.disableWindowedTraceback = true)),
  '--version-file': valued((r, v) => (r.spec.versionFile = readProjectPath(INPUT, v, r.projectDir, 'file', 'the version file'))),
  '--manifest': valued((r, v) => (r.spec.manifest = v.trimStart().startsWith('<') ? v : readProjectPath(INPUT, v, r.projectDir, 'file', 'the manifest file'))),
  '--resource': valued((r, v) => {
    const [file, ...rest] = v.split(',')
    r.spec.resources.push([readProjectPath(INPUT, file.trim(), r.projectDir, 'file', 'the resource file'), ...rest].join(','))
  }),
  '--uac-admin': flag((s) => (s.uacAdmin = true)),
  '--uac-uiaccess': flag((s) => (s.uacUiaccess = true)),
  '--argv-emulation': flag((s) => (s.argvEmulation = true)),
  '--target-architecture': choice(TARGET_ARCHS, (r, v) => (r.spec.targetArch = v)),
  '--runtime-tmpdir': valued((r, v) => (r.spec.runtimeTmpdir = v)),
  '--bootloader-ignore-signals': flag((s) => (s.bootloaderIgnoreSignals = true)),
  '--contents-directory': valued((r, v) => (r.spec.contentsDirectory = v), noSeparator)
}

/** The PyInstaller options the action applies to the spec it generates, for messages and the README. */
export const PYINSTALLER_GENERATED_OPTIONS: readonly string[] = Object.freeze(Object.keys(PYINSTALLER_ACCEPTED))

const NUITKA_OWNED: Readonly<Record<string, Owned>> = {
  '--mode': owned('mode', 'Set mode (onefile, onedir or both) instead.'),
  '--standalone': MODE_ONEDIR,
  '--onefile': MODE_ONEFILE,
  '--module': { by: 'the action builds programs, not extension modules', fix: 'Remove the line.' },
  '--macos-create-app-bundle': owned('mode', 'Windowed entry points become .app bundles in one-folder builds on macOS by themselves.'),
  '--main': owned('entrypoint', 'Give the entry points in entrypoint (or [project.scripts]) instead.'),
  '--output-dir': OUTPUT_DIR,
  '--output-filename': NAMED_IN_ENTRYPOINT,
  '-o': NAMED_IN_ENTRYPOINT,
  '--output-folder-name': owned('name', 'Set name (the one-folder build is named after it) instead.'),
  '--remove-output': ALWAYS_PASSED,
  '--assume-yes-for-downloads': ALWAYS_PASSED,
  '--onefile-no-compression': owned('compression-level', 'Set compression-level: 0 instead.'),
  '--include-module': HIDDEN_IMPORT,
  '--include-package': owned('collect', 'Write `submodules: package` (or the package) in collect instead.'),
  '--include-package-data': owned('collect', 'Write `data: package` (or the package) in collect instead.'),
  '--include-data-files': ADD_DATA,
  '--include-data-file': ADD_DATA,
  '--include-data-dir': ADD_DATA,
  '--include-raw-dir': ADD_DATA,
  '--nofollow-import-to': EXCLUDE,
  '--windows-console-mode': WINDOWED,
  '--disable-console': WINDOWED,
  '--enable-console': CONSOLE,
  '--windows-disable-console': WINDOWED,
  '--macos-disable-console': WINDOWED,
  '--windows-icon-from-ico': ICON,
  '--macos-app-icon': ICON,
  '--company-name': FROM_METADATA('its first author'),
  '--windows-company-name': FROM_METADATA('its first author'),
  '--product-name': FROM_METADATA('its name'),
  '--windows-product-name': FROM_METADATA('its name'),
  '--file-version': VERSION,
  '--windows-file-version': VERSION,
  '--product-version': VERSION,
  '--windows-product-version': VERSION,
  '--file-description': FROM_METADATA('its summary'),
  '--windows-file-description': FROM_METADATA('its summary'),
  '--macos-app-version': VERSION,
  '--macos-app-name': owned('entrypoint', 'Name the executable in its entrypoint line instead.'),
  '--macos-signed-app-name': BUNDLE_ID,
  '--macos-sign-identity': SIGNING_IDENTITY,
  '--macos-sign-notarization': owned('notarize', 'Set notarize: true (with its credentials) instead.'),
  '--run': owned('smoke-test', 'Give the arguments to smoke-test: the action runs every executable it built.'),
  '--version': { by: 'it prints Nuitka’s version and builds nothing', fix: 'Remove the line.' },
  '--help': PRINTS_HELP,
  '--help-all': PRINTS_HELP,
  '--help-plugins': PRINTS_HELP,
  '--plugin-list': { by: 'it prints the plug-ins and builds nothing', fix: 'Remove the line.' }
}

/** Nuitka's plug-in options: `--enable-plugins=upx` is the upx input's. */
const PLUGIN_OPTIONS = ['--enable-plugins', '--enable-plugin', '--plugin-enable']

function refuse(line: OptionLine, option: string, why: Owned): never {
  const alias = option === line.option ? '' : ` (${line.option} is ${option})`
  throw new InputError(INPUT, `\`${excerpt(line.line, 200)}\`${alias}: ${why.by}.`, why.fix)
}

/** The owned option a Nuitka option is, or abbreviates (Nuitka's parser takes an unambiguous beginning of a long option). */
function nuitkaOwner(option: string): string | undefined {
  if (option in NUITKA_OWNED) return option
  if (!option.startsWith('--') || option.length < 4) return undefined
  return Object.keys(NUITKA_OWNED).find((name) => name.startsWith(option))
}

function readNuitka(lines: readonly OptionLine[]): string[] {
  const args: string[] = []
  for (const line of lines) {
    if (!line.option)
      throw new InputError(
        INPUT,
        `\`${excerpt(line.line, 200)}\` is not an option (Nuitka's options start with -).`,
        'Write one option a line, such as `--lto=yes`; the action gives Nuitka the entry points itself.'
      )
    const owner = nuitkaOwner(line.option)
    if (owner) refuse(line, owner, NUITKA_OWNED[owner])
    if (PLUGIN_OPTIONS.includes(line.option) && (line.value ?? '').split(',').some((p) => p.trim().toLowerCase() === 'upx'))
      refuse(line, line.option, owned('upx', 'Set upx: true instead.'))
    // Nuitka's parser would read a value after a space as a second main script when the option takes none: the
    // value is joined with = (or, for a short option, written right after it), where Nuitka says what is wrong.
    if (line.value === undefined || line.joined) args.push(line.line)
    else args.push(line.option.startsWith('--') ? `${line.option}=${line.value}` : `${line.option}${line.value}`)
  }
  return args
}

function readPyInstaller(lines: readonly OptionLine[], projectDir: string, exists: (p: string) => boolean): Pick<BuilderArgs, 'command' | 'spec'> {
  const empty = NO_BUILDER_ARGS.spec
  const spec: Mutable<GeneratedSpecOptions> = {
    ...empty,
    pathex: [],
    binaries: [],
    collectBinaries: [],
    copyMetadata: [],
    pythonOptions: [],
    upxExclude: [],
    resources: []
  }
  const reading: Reading = { projectDir, exists, command: [], spec }
  for (const line of lines) {
    if (!line.option)
      throw new InputError(
        INPUT,
        `\`${excerpt(line.line, 200)}\` is not an option (PyInstaller's options start with -).`,
        'Write one option a line, such as `--optimize 2`; the action gives PyInstaller the entry points itself.'
      )
    const option = PYINSTALLER_ALIASES[line.option] ?? line.option
    if (option in PYINSTALLER_OWNED) refuse(line, option, PYINSTALLER_OWNED[option])
    const accepted = PYINSTALLER_ACCEPTED[option]
    if (!accepted)
      throw new InputError(
        INPUT,
        `\`${excerpt(line.line, 200)}\`: ${excerpt(line.option)} is not a PyInstaller option the action applies when it generates the spec from entry points.`,
        `Use one of ${PYINSTALLER_GENERATED_OPTIONS.join(', ')} (full names, as \`pyinstaller --help\` shows them), or build from your own .spec file (spec), to which builder-args are handed after --.`
      )
    const value = line.value?.trim()
    if (accepted.values === undefined) {
      if (value !== undefined) throw new InputError(INPUT, `\`${excerpt(line.line, 200)}\`: ${line.option} takes no value.`, `Write \`${line.option}\` alone.`)
    } else if (!value)
      throw new InputError(
        INPUT,
        `\`${excerpt(line.line, 200)}\`: ${line.option} needs a value.`,
        `Write \`${line.option} VALUE\` or \`${line.option}=VALUE\`.`
      )
    else if (accepted.values.length && !accepted.values.includes(value))
      throw new InputError(
        INPUT,
        `\`${excerpt(line.line, 200)}\`: '${excerpt(value)}' is not one of ${accepted.values.join(', ')}.`,
        `Write one of them after ${line.option}.`
      )
    else if (accepted.check && !accepted.check.test(value))
      throw new InputError(
        INPUT,
        `\`${excerpt(line.line, 200)}\`: '${excerpt(value)}' is not ${accepted.check.expected}.`,
        `Give ${accepted.check.expected} after ${line.option}.`
      )
    accepted.apply(reading, value ?? '', { ...line, args: line.args.map((a) => a.trim()) })
  }
  return {
    command: Object.freeze(reading.command),
    spec: Object.freeze({
      ...spec,
      pathex: Object.freeze(spec.pathex),
      binaries: Object.freeze(spec.binaries),
      collectBinaries: Object.freeze(spec.collectBinaries),
      copyMetadata: Object.freeze(spec.copyMetadata),
      pythonOptions: Object.freeze(spec.pythonOptions),
      upxExclude: Object.freeze(spec.upxExclude),
      resources: Object.freeze(spec.resources)
    })
  }
}

/** builder-args for the builder, with the project's spec (`hasSpec`) or from entry points. */
export function readBuilderArgs(
  raw: readonly string[],
  builder: BuilderName,
  hasSpec: boolean,
  projectDir: string,
  exists: (p: string) => boolean
): BuilderArgs {
  if (!raw.length) return NO_BUILDER_ARGS
  const lines = raw.map(splitOptionLine)
  const base = { ...NO_BUILDER_ARGS, lines: Object.freeze(lines.map((l) => l.line)) }
  if (builder === 'nuitka') return Object.freeze({ ...base, command: Object.freeze(readNuitka(lines)) })
  if (hasSpec) return Object.freeze({ ...base, specArgs: Object.freeze(lines.flatMap((l) => l.args)) })
  return Object.freeze({ ...base, ...readPyInstaller(lines, projectDir, exists) })
}
