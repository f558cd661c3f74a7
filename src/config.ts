/**
 * The configuration's types and vocabularies: what the inputs stage produces
 * and every stage reads. No logic and no imports from the project's modules:
 * this file sits at the bottom of the import graph, so a stage never has to
 * import the input parser to know what a Config is.
 */

// ---- builders and their defaults

/** The PyInstaller release installed when `pyinstaller-version` is not set. */
export const DEFAULT_PYINSTALLER_VERSION = '6.22.3'
/** The Nuitka release installed when `nuitka-version` is not set. */
export const DEFAULT_NUITKA_VERSION = '4.3.3'
export type BuilderName = 'pyinstaller' | 'nuitka'
export const BUILDERS: readonly BuilderName[] = ['pyinstaller', 'nuitka']
/** Each builder's name as people write it, for messages and the summary. */
export const BUILDER_TITLES: Readonly<Record<BuilderName, string>> = Object.freeze({ pyinstaller: 'PyInstaller', nuitka: 'Nuitka' })
export const DEFAULT_PYTHON_VERSION = '3.11'
export const DEFAULT_SMOKE_TIMEOUT_SECONDS = 60
/**
 * zlib level of a PyInstaller one-file payload (PyInstaller's own default is 9,
 * its PYZ 6). Measured on a 133 MB one-file of a scientific/web stack,
 * re-packing the same analysis: level 9 took 62 s, level 6 31 s for a file
 * 0.4 % larger, level 1 7 s for 8.7 % larger. 6 halves the packing time.
 */
export const DEFAULT_COMPRESSION_LEVEL = 6
/**
 * The seconds each time-out input accepts (documented in action.yml). Node's
 * timers overflow past 2^31-1 ms (about 24.8 days) and then fire at once, so
 * every time-out has an upper bound well below that.
 */
export const TIMEOUT_RANGES: Readonly<Record<'smoke-timeout' | 'notarize-timeout', { readonly min: number; readonly max: number }>> = Object.freeze({
  'smoke-timeout': { min: 1, max: 21_600 },
  'notarize-timeout': { min: 60, max: 86_400 }
})

// ---- the target: the system the executables are for

export type TargetOS = 'linux' | 'windows' | 'macos'
export type TargetArch = 'x64' | 'arm64' | 'x86'
export const TARGET_SYSTEMS: readonly TargetOS[] = ['linux', 'windows', 'macos']
export const TARGET_ARCHES: readonly TargetArch[] = ['x64', 'arm64', 'x86']

/**
 * Which system the executables are built for (the `target` input): the
 * runner's own, or one it builds for under an emulation layer (`via`).
 */
export interface TargetChoice {
  readonly os: TargetOS
  readonly arch: TargetArch
  /** wine: a Linux runner builds, smoke-tests and signs Windows executables under Wine. */
  readonly via?: 'wine'
}

/** The targets a runner builds for besides its own, by the runner's `<os>-<arch>`, and how. */
export const CROSS_TARGETS: Readonly<Record<string, Readonly<Record<string, 'wine'>>>> = Object.freeze({
  'linux-x64': Object.freeze({ 'windows-x64': 'wine' as const })
})

// ---- installers, publishing

export type InstallerName = 'uv' | 'pip'
export const INSTALLERS: readonly InstallerName[] = ['uv', 'pip']

/**
 * `lock`: auto (the default) installs exactly what the project's lock file
 * (uv.lock, or pylock.toml) pins when there is one; ignore resolves the
 * project's dependencies afresh against the index, as without a lock.
 */
export type LockMode = 'auto' | 'ignore'
export const LOCK_MODES: readonly LockMode[] = ['auto', 'ignore']

/**
 * `license-unknown`: what a shipped distribution whose license the action
 * cannot classify (or, under license-deny, cannot tell refused or not) does:
 * fail the build, or be allowed (and reported in the summary).
 */
export type LicenseUnknown = 'fail' | 'allow'
export const LICENSE_UNKNOWN_MODES: readonly LicenseUnknown[] = ['fail', 'allow']

export type UploadWhen = 'tags' | 'always' | 'never'

// ---- what to make of the builds (formats)

/** archive: the tar.gz / zip of every build; deb, rpm (Linux), msi (Windows), dmg (macOS): an installer of one build. */
export type FormatName = 'archive' | 'deb' | 'rpm' | 'msi' | 'dmg'
export const FORMATS: readonly FormatName[] = ['archive', 'deb', 'rpm', 'msi', 'dmg']
/** The runner systems each format is made on (the names of platform.ts's OS). */
export const FORMAT_SYSTEMS: Readonly<Record<FormatName, readonly ('linux' | 'windows' | 'macos')[]>> = Object.freeze({
  archive: ['linux', 'windows', 'macos'],
  deb: ['linux'],
  rpm: ['linux'],
  msi: ['windows'],
  dmg: ['macos']
})
/** What each format is, for messages. */
export const FORMAT_TITLES: Readonly<Record<FormatName, string>> = Object.freeze({
  archive: 'archive (tar.gz or zip)',
  deb: 'deb (a Debian/Ubuntu package of Linux programs)',
  rpm: 'rpm (a Fedora/RHEL/openSUSE package of Linux programs)',
  msi: 'msi (a Windows Installer package of Windows programs)',
  dmg: 'dmg (a macOS disk image, made with hdiutil)'
})
/** Each system as people (and a workflow's runner.os) write it. */
export const SYSTEM_TITLES: Readonly<Record<'linux' | 'windows' | 'macos', 'Linux' | 'Windows' | 'macOS'>> = Object.freeze({
  linux: 'Linux',
  windows: 'Windows',
  macos: 'macOS'
})
/** The formats whose package names someone as its maintainer (Debian's Maintainer, Windows Installer's Manufacturer). */
export const NEEDS_MAINTAINER: readonly FormatName[] = ['deb', 'msi']
export type ReleaseWhen = 'false' | 'true' | 'required'

// ---- what the project declares (pyproject.toml; completed after the install from the installed distribution)

export interface ProjectFacts {
  /** Whether pyproject.toml has a [project] table (PEP 621 metadata). */
  readonly hasProjectTable: boolean
  /** `[project] name`, as written; '' when absent. */
  readonly name: string
  /** `[project] version`; '' when the version is dynamic or absent. */
  readonly version: string
  readonly dynamic: readonly string[]
  /** Normalized extra names from `[project.optional-dependencies]`. */
  readonly extras: readonly string[]
  /** Normalized group name → its requirements, include-group resolved. */
  readonly dependencyGroups: Readonly<Record<string, readonly string[]>>
  /** `[project.scripts]`: executable name → `module:function`. */
  readonly scripts: Readonly<Record<string, string>>
  /** `[project.gui-scripts]`. */
  readonly guiScripts: Readonly<Record<string, string>>
  readonly requiresPython: string
  /** `[project] license`: the SPDX expression (PEP 639), or the first line of `license = {text = …}`; '' when absent or a file. */
  readonly license: string
  /** `[project.urls]`: label → URL. */
  readonly urls: Readonly<Record<string, string>>
  /** `[project] maintainers`, then `authors`, each as `Name <email>` (or the one of them given). */
  readonly contacts: readonly string[]
  /** `[project] description`, '' when absent. */
  readonly description: string
  /** Names of `[project] authors` (emails dropped). */
  readonly authors: readonly string[]
  /** `[build-system] build-backend`, '' when absent (setuptools' legacy backend). */
  readonly buildBackend: string
}

// ---- what to build

export type Target = { readonly kind: 'function'; readonly module: string; readonly attr: string } | { readonly kind: 'script'; readonly path: string }

export interface EntryPoint {
  /** The executable's name, without `.exe`. */
  readonly name: string
  readonly target: Target
  /** console=False: no console window on Windows, a .app bundle on macOS (one-folder). */
  readonly windowed: boolean
  /** Where it came from, for messages: the input line or the pyproject entry. */
  readonly source: string
}

/**
 * Where the entry points come from: none with the project's spec; the
 * entrypoint input; [project.scripts] and [project.gui-scripts] of
 * pyproject.toml; or, when pyproject.toml does not say what the scripts are
 * (setup.py, setup.cfg, Poetry, dynamic scripts), the console_scripts and
 * gui_scripts of the installed distribution, read after the install.
 */
export type EntrypointOrigin = 'spec' | 'entrypoint' | 'pyproject' | 'distribution'

export type CollectKind = 'all' | 'submodules' | 'data'

export interface CollectRule {
  readonly kind: CollectKind
  readonly package: string
}

export interface DataRule {
  /** Absolute source path (may hold a glob). */
  readonly source: string
  /** Destination folder inside the bundle. */
  readonly dest: string
  /** The line ended with (outside-project): the source may lie outside the project. */
  readonly outside?: boolean
}

// ---- the builder's own options (builder-args)

/** PyInstaller's options (`pyinstaller --help`) as the action writes them into the spec it generates. */
export interface GeneratedSpecOptions {
  /** --paths: folders searched for imports (Analysis pathex). */
  readonly pathex: readonly string[]
  /** --add-binary: binaries shipped as they are. */
  readonly binaries: readonly DataRule[]
  /** --collect-binaries: packages whose shared libraries are collected. */
  readonly collectBinaries: readonly string[]
  /** --copy-metadata and --recursive-copy-metadata: distributions whose metadata is shipped. */
  readonly copyMetadata: readonly { readonly distribution: string; readonly recursive: boolean }[]
  /** --debug bootloader (or all): the bootloader prints its progress. */
  readonly debugBootloader: boolean
  /** --debug noarchive (or all): modules as files instead of an archive. */
  readonly noarchive: boolean
  /** --python-option (and 'v' for --debug imports, 'O' for --optimize): options of the frozen interpreter. */
  readonly pythonOptions: readonly string[]
  /** --optimize: the bytecode optimization level (-1 to 2); undefined: the action's 0. */
  readonly optimize?: number
  /** --upx-exclude: file names UPX leaves alone. */
  readonly upxExclude: readonly string[]
  /** --hide-console. */
  readonly hideConsole?: string
  readonly disableWindowedTraceback: boolean
  /** --version-file: the project's own Windows version resource (replaces the one the action writes). */
  readonly versionFile?: string
  /** --manifest: a file of the project (absolute) or XML text. */
  readonly manifest?: string
  /** --resource: FILE[,TYPE[,NAME[,LANGUAGE]]] with FILE absolute. */
  readonly resources: readonly string[]
  readonly uacAdmin: boolean
  readonly uacUiaccess: boolean
  readonly argvEmulation: boolean
  /** --target-architecture (macOS): x86_64, arm64 or universal2. */
  readonly targetArch?: string
  /** --runtime-tmpdir: where a one-file program unpacks on the user's machine. */
  readonly runtimeTmpdir?: string
  readonly bootloaderIgnoreSignals: boolean
  /** --contents-directory: the name of a one-folder build's folder of support files. */
  readonly contentsDirectory?: string
}

/** `builder-args`, read for the builder and the way it builds. */
export interface BuilderArgs {
  /** The lines as given. */
  readonly lines: readonly string[]
  /** Arguments on the builder's command line: every line for Nuitka; PyInstaller's build options (--clean, --log-level, --upx-dir). */
  readonly command: readonly string[]
  /** With `spec`: the arguments PyInstaller hands to the spec after `--` (its sys.argv[1:]). */
  readonly specArgs: readonly string[]
  /** PyInstaller's options that the action writes into the spec it generates from entry points. */
  readonly spec: GeneratedSpecOptions
}

/** builder-args left empty. */
export const NO_BUILDER_ARGS: BuilderArgs = Object.freeze({
  lines: [],
  command: [],
  specArgs: [],
  spec: Object.freeze({
    pathex: [],
    binaries: [],
    collectBinaries: [],
    copyMetadata: [],
    debugBootloader: false,
    noarchive: false,
    pythonOptions: [],
    upxExclude: [],
    disableWindowedTraceback: false,
    resources: [],
    uacAdmin: false,
    uacUiaccess: false,
    argvEmulation: false,
    bootloaderIgnoreSignals: false
  })
})

// ---- signing

export interface WindowsSigning {
  readonly certificate: string
  readonly password: string
  readonly timestampUrl: string
  readonly description: string
  readonly url: string
}

export interface MacSigning {
  readonly certificate: string
  readonly password: string
  readonly identity: string
  readonly entitlements: string
  readonly notarize: boolean
  readonly auth?: { kind: 'api-key'; key: string; keyId: string; issuer: string } | { kind: 'apple-id'; appleId: string; password: string; teamId: string }
  readonly timeout: string
}

export interface SigningConfig {
  readonly windows?: WindowsSigning
  readonly macos?: MacSigning
}

// ---- smoke tests and the whole configuration

export interface SmokeCommand {
  /** The line as the user wrote it. */
  readonly line: string
  /** `[name] args`: run only against the executable of that name ('' = every executable). */
  readonly only: string
  /** The arguments passed to the executable. */
  readonly args: readonly string[]
}

export interface Config {
  /** The system the executables are for (target): the runner's own, or Windows under Wine from Linux. */
  readonly target: TargetChoice
  /** What Python to build with: '3.11', '3.11.9', '3.x' or a specifier such as '>=3.10,<3.13'. */
  readonly pythonVersion: string
  /** Where a missing Python is looked up (actions/python-versions' manifest, or a mirror). */
  readonly pythonManifest: string
  /** Absolute path of the workspace (GITHUB_WORKSPACE): every file the action reads of the project lies inside it. */
  readonly workspace: string
  /** Absolute path of the project (the folder with pyproject.toml). */
  readonly projectDir: string
  readonly project: ProjectFacts
  /** Normalized extra names. */
  readonly extras: readonly string[]
  /** Normalized PEP 735 group names. */
  readonly dependencyGroups: readonly string[]
  /** Absolute paths of requirements files. */
  readonly requirements: readonly string[]
  /** What compiles the executables: PyInstaller (the default) or Nuitka. */
  readonly builder: BuilderName
  /** A pip requirement for the builder, e.g. `pyinstaller==6.22.3` or `nuitka==4.3.3`. */
  readonly builderRequirement: string
  /** uv (default) or pip. */
  readonly installer: InstallerName
  /** Whether to install from the project's lock file when it has one (auto) or resolve afresh (ignore). */
  readonly lock: LockMode
  /** Whether to restore and save the dependency cache. */
  readonly cache: boolean
  /** Absolute path of the project's .spec file; '' when the action generates the spec. */
  readonly spec: string
  /** The executables of a generated spec (empty with `spec`, and until the install stage when they come from the installed distribution). */
  readonly entrypoints: readonly EntryPoint[]
  readonly entrypointsFrom: EntrypointOrigin
  /** builder-args: the builder's own options. */
  readonly builderArgs: BuilderArgs
  /** hooks-dir: absolute folders of PyInstaller hooks (hook-*.py). */
  readonly hooksDirs: readonly string[]
  /** runtime-hooks: absolute paths of PyInstaller runtime hooks, run before the entry point. */
  readonly runtimeHooks: readonly string[]
  readonly onefile: boolean
  readonly onedir: boolean
  /** Absolute icon path, or ''. */
  readonly icon: string
  readonly hiddenImports: readonly string[]
  readonly collect: readonly CollectRule[]
  readonly addData: readonly DataRule[]
  readonly excludeModules: readonly string[]
  readonly upx: boolean
  readonly strip: boolean
  /** 0–9: zlib level of PyInstaller's archives (PYINSTALLER_ZLIB_COMPRESSION_LEVEL); 0 also turns Nuitka's one-file compression off. */
  readonly compressionLevel: number
  /** Linux: the newest glibc (e.g. '2.31') a shipped ELF object may need; '' means no limit. */
  readonly glibcMax: string
  /** Base name of the archives; '' means the executable's own name. */
  readonly name: string
  /** The version in archive names; '' means the project's. */
  readonly version: string
  readonly smokeTests: readonly SmokeCommand[]
  readonly smokeTimeoutSeconds: number
  /** Absolute folder that receives the archives and SHA256SUMS. */
  readonly outputDir: string
  /** Absolute folder under RUNNER_TEMP that the action owns and may wipe. */
  readonly workDir: string
  /** The runner's tool cache, '' when there is none. */
  readonly toolCache: string
  /** GITHUB_REF, '' outside a workflow. */
  readonly ref: string
  /** When to upload workflow artifacts. */
  readonly upload: UploadWhen
  /** artifact-name template; '' uploads each file as it is under its own name. */
  readonly artifactName: string
  readonly retentionDays: number | undefined
  /** Attach the archives to the tag's release: false, true (skip on other refs) or required. */
  readonly release: ReleaseWhen
  readonly githubToken: string
  /** Signing, per platform; undefined where its inputs are not set. */
  readonly signing: SigningConfig
  /** SPDX license ids that no shipped distribution may be under (license-deny), canonical case. */
  readonly licenseDeny: readonly string[]
  /** What to make of the builds (formats): archives and/or installers, each made only on its own system. */
  readonly formats: readonly FormatName[]
  /** package-maintainer: `Name <email>` for the installers' Maintainer / Packager / Manufacturer; '' to derive it from the project. */
  readonly packageMaintainer: string
  /** license-unknown: fail (the default with license-deny) or allow a license the action cannot classify. */
  readonly licenseUnknown: LicenseUnknown
}

// ---- smoke tests of windowed programs

/**
 * The variable a smoke run sets to a file name: a windowed build made from
 * entry points (Windows, macOS) writes an unhandled exception's traceback
 * there and exits with code 1, instead of opening PyInstaller's modal error
 * dialog on Windows (see freeze/spec.ts, windowedTracebackHook).
 */
export const TRACEBACK_FILE_ENV = 'BUILD_STANDALONE_TRACEBACK_FILE'
