/**
 * The key of a build: a hash over everything that decides the build's bytes,
 * so that two runs with the same key make the same executables and the second
 * may take the first one's instead of building. Pure: the parts are gathered
 * elsewhere (project.ts, system.ts, the install stage's resolution).
 */
import { createHash } from 'node:crypto'
import type { Platform } from '../platform.js'
import type { Config } from '../config.js'

/** Raised where the key cannot be sure of something: the build is then made, never taken from a store. */
export class KeyDoubt extends Error {}

/**
 * Every input of a Config, and whether it can change what the build stage
 * makes (true: it is part of the key). A new input has to be classified here
 * before the code compiles.
 */
export const CONFIG_IN_KEY: Readonly<Record<keyof Config, boolean>> = Object.freeze({
  // The interpreter found is keyed instead: its exact version and build (system.ts).
  pythonVersion: false,
  pythonManifest: false,
  // The bound every path input is checked against; the paths themselves are keyed.
  workspace: false,
  // The system the build is for (a Wine target builds Windows programs; such builds are not kept: main.ts).
  target: true,
  projectDir: true,
  project: true,
  extras: true,
  dependencyGroups: true,
  requirements: true,
  builder: true,
  builderRequirement: true,
  installer: true,
  lock: true,
  cache: false,
  spec: true,
  entrypoints: true,
  entrypointsFrom: true,
  // Options on PyInstaller's or Nuitka's command line and in the generated spec; the files they name: namedFiles.
  builderArgs: true,
  hooksDirs: true,
  runtimeHooks: true,
  onefile: true,
  onedir: true,
  icon: true,
  hiddenImports: true,
  collect: true,
  addData: true,
  excludeModules: true,
  upx: true,
  strip: true,
  compressionLevel: true,
  // Checked on what was built (inspect), or used after it (smoke, package, publish, sign).
  glibcMax: false,
  name: true,
  version: true,
  smokeTests: false,
  smokeTimeoutSeconds: false,
  outputDir: false,
  // The builds lie under it; a path that ends up in a file shows here.
  workDir: true,
  toolCache: false,
  ref: false,
  upload: false,
  artifactName: false,
  retentionDays: false,
  release: false,
  githubToken: false,
  signing: false,
  licenseDeny: false,
  licenseUnknown: false,
  formats: false,
  packageMaintainer: false
})

/** The inputs that decide the build, as stable JSON. */
export function keyedInputs(config: Config): string {
  const picked = Object.fromEntries(Object.entries(config).filter(([k]) => CONFIG_IN_KEY[k as keyof Config] !== false))
  return stableJson(picked)
}

/**
 * The files and folders the inputs name, whose contents go into the build:
 * those outside the project are hashed into the key (project.ts, outsideFiles),
 * the others are in the project's fingerprint already.
 */
export function namedFiles(config: Config): string[] {
  const spec = config.builderArgs.spec
  return [
    config.icon,
    config.spec,
    ...config.requirements,
    ...config.addData.map((d) => d.source),
    ...config.hooksDirs,
    ...config.runtimeHooks,
    ...spec.pathex,
    ...spec.binaries.map((b) => b.source),
    ...(spec.versionFile ? [spec.versionFile] : []),
    ...(spec.manifest && !spec.manifest.trimStart().startsWith('<') ? [spec.manifest] : []),
    ...spec.resources.map((r) => r.split(',')[0])
  ].filter((p) => p)
}

/** JSON with every object's keys sorted, so that the same value always gives the same text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  )
}

/**
 * Environment variables that reach the install or the builder and change what
 * they make: pip's, uv's, PyInstaller's, Nuitka's and Python's own settings, a
 * version setuptools-scm is told to use, the C compiler and its flags (sdists
 * built from source, Nuitka). Their values go into the key as a hash only: an
 * index URL may hold a password.
 */
export const BUILD_ENV =
  /^(PIP_|UV_|PYINSTALLER_|NUITKA_|PYTHON|SETUPTOOLS_|CC$|CXX$|CFLAGS$|CXXFLAGS$|CPPFLAGS$|LDFLAGS$|MACOSX_DEPLOYMENT_TARGET$|ARCHFLAGS$)/

/** The build-affecting variables that are set, sorted: their names, and one hash of names and values. */
export function buildEnvironment(env: Readonly<Record<string, string | undefined>>): { names: string[]; hash: string } {
  const set = Object.entries(env)
    .filter(([k, v]) => v !== undefined && BUILD_ENV.test(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { names: set.map(([k]) => k), hash: sha256(set.map(([k, v]) => `${k}=${v}`).join('\0')) }
}

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex')

/** Everything that decides a build's bytes. */
export interface BuildKeyParts {
  /** The action's own code: its bundle's hash. */
  readonly action: string
  /** The runner's image, the operating system's release, the C library, the interpreter's exact build. */
  readonly system: readonly string[]
  /** The project's files: `git tree <id>` or `files <hash>` (project.ts). */
  readonly project: string
  /** The lock file is in the project; this is what the installer resolves from the index, hashed. */
  readonly requirements: string
  /** SOURCE_DATE_EPOCH: dates in the builds (Windows PE headers, archives). */
  readonly epoch: string
  /** The commit, when the version is dynamic (setuptools-scm and the like read it from git). */
  readonly commit: string
  /** The build-affecting inputs (keyedInputs). */
  readonly inputs: string
  /** Files the inputs name outside the project (icon, spec, requirements, add-data marked outside-project), hashed. */
  readonly files: string
  /** The build-affecting environment variables, hashed (buildEnvironment). */
  readonly environment: string
}

/** The prefix of every build key: a new layout of the stored build changes it. */
export const BUILD_KEY_PREFIX = 'build-standalone-build-v1'

/** The key: `build-standalone-build-v1-{os}-{arch}-{hash of the parts}`. */
export function buildKey(platform: Pick<Platform, 'os' | 'arch'>, parts: BuildKeyParts): string {
  return `${BUILD_KEY_PREFIX}-${platform.os}-${platform.arch}-${sha256(stableJson(parts)).slice(0, 40)}`
}

/** The key's parts as log lines: what each part stands for, shortened. */
export function describeKey(parts: BuildKeyParts, envNames: readonly string[]): string[] {
  const short = (h: string): string => h.slice(0, 12)
  return [
    `action: ${short(parts.action)}`,
    ...parts.system.map((s) => `system: ${s}`),
    `project: ${parts.project}`,
    `requirements as resolved: ${short(parts.requirements)}`,
    `SOURCE_DATE_EPOCH: ${parts.epoch || '(none)'}`,
    ...(parts.commit ? [`commit: ${parts.commit}`] : []),
    `inputs: ${short(sha256(parts.inputs))}`,
    `files outside the project: ${short(parts.files)}`,
    `environment: ${envNames.length ? envNames.join(', ') : '(none of the variables that change a build)'}`
  ]
}
