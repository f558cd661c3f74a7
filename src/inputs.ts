/**
 * Reads and validates every input once, into a frozen Config. A bad value
 * throws an InputError that names the input, the problem and the fix.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  type BuilderName,
  BUILDERS,
  type CollectKind,
  type CollectRule,
  type Config,
  type DataRule,
  DEFAULT_NUITKA_VERSION,
  DEFAULT_PYINSTALLER_VERSION,
  DEFAULT_PYTHON_VERSION,
  DEFAULT_SMOKE_TIMEOUT_SECONDS,
  DEFAULT_COMPRESSION_LEVEL,
  type EntryPoint,
  TIMEOUT_RANGES,
  type InstallerName,
  INSTALLERS,
  LOCK_MODES,
  type LockMode,
  type MacSigning,
  type ProjectFacts,
  type ReleaseWhen,
  type SigningConfig,
  type UploadWhen
} from './config.js'
import { excerpt, InputError } from './errors.js'
import { readHead } from './files.js'
import { checkPathText, expectFile, isInside, kindOf, linkLeaving, readInputFile, realPath, resolveInside, type Root, writableProblem } from './input-files.js'
import { NO_PYPROJECT, normalizeName, parsePyproject, PyprojectError } from './pyproject.js'
import { inputLines, inputList, splitWords, SplitError } from './words.js'
import { entrypointsFromLines, entrypointsFromProject } from './freeze/entrypoints.js'
import { iconProblem } from './freeze/icon.js'
import { DEFAULT_MANIFEST_URL, urlProblem } from './python-install.js'
import { parseSpec, specFromVersionFile } from './python-spec.js'
import { checkTemplate } from './publish/plan.js'
import { spdxId } from './inspect/licenses.js'
import { checkLicenseBuilder, readLicenseUnknown } from './license-inputs.js'
import { NOTARY_TIMEOUT } from './sign/macos.js'
import { DEFAULT_TIMESTAMP_URL } from './sign/windows.js'

/** Every input of action.yml (a test keeps the two in step). */
export const INPUT_NAMES: readonly string[] = Object.freeze([
  'python-version',
  'python-version-file',
  'python-versions-manifest',
  'project-path',
  'extras',
  'dependency-groups',
  'requirements',
  'builder',
  'pyinstaller-version',
  'nuitka-version',
  'spec',
  'entrypoint',
  'mode',
  'name',
  'version',
  'smoke-test',
  'smoke-timeout',
  'license-deny',
  'license-unknown',
  'output-dir',
  'installer',
  'lock',
  'cache',
  'icon',
  'hidden-imports',
  'collect',
  'add-data',
  'exclude-modules',
  'upx',
  'strip',
  'compression-level',
  'glibc-max',
  'upload',
  'artifact-name',
  'retention-days',
  'release',
  'github-token',
  'windows-certificate',
  'windows-certificate-password',
  'timestamp-url',
  'sign-description',
  'sign-url',
  'macos-certificate',
  'macos-certificate-password',
  'macos-signing-identity',
  'macos-entitlements',
  'notarize',
  'notarize-timeout',
  'apple-api-key',
  'apple-api-key-id',
  'apple-api-issuer',
  'apple-id',
  'apple-app-password',
  'apple-team-id'
])

/** Inputs that hold secrets: masked as soon as the config is read. */
export const SECRET_INPUTS: readonly string[] = Object.freeze([
  'github-token',
  'windows-certificate',
  'windows-certificate-password',
  'macos-certificate',
  'macos-certificate-password',
  'apple-api-key',
  'apple-app-password'
])

/** Inputs that shape a generated spec; with `spec` set they have no effect, so they are refused. */
export const GENERATED_SPEC_INPUTS: readonly string[] = Object.freeze([
  'entrypoint',
  'mode',
  'icon',
  'hidden-imports',
  'collect',
  'add-data',
  'exclude-modules',
  'upx',
  'strip'
])

/** Inputs that take one value a line (the others are one line). */
export const MULTILINE_INPUTS: readonly string[] = Object.freeze([
  'extras',
  'dependency-groups',
  'requirements',
  'entrypoint',
  'smoke-test',
  'hidden-imports',
  'collect',
  'add-data',
  'exclude-modules'
])

/** The longest value a one-line input, and a multi-line input, may have (secrets are not limited). */
export const MAX_LINE_INPUT_CHARS = 4096
export const MAX_MULTILINE_INPUT_CHARS = 65536

// Control characters a value may not hold: in a one-line input anything below a space but the tab; in a multi-line
// input the same, except line breaks. A NUL cuts a C string; a line break in a logged argument starts a log line that
// the runner would read as a workflow command; an escape rewrites the log's display.
// eslint-disable-next-line no-control-regex
const LINE_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/
// eslint-disable-next-line no-control-regex
const MULTILINE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/

/**
 * Refuses, for every input but the secrets, a value with a control character
 * or longer than its limit, before any input is interpreted. The message
 * never quotes the value.
 */
export function checkInputText(get: InputReader): void {
  for (const name of INPUT_NAMES) {
    if (SECRET_INPUTS.includes(name)) continue
    const value = get(name).trim()
    const multi = MULTILINE_INPUTS.includes(name)
    const max = multi ? MAX_MULTILINE_INPUT_CHARS : MAX_LINE_INPUT_CHARS
    if (value.length > max) throw new InputError(name, `is ${value.length} characters long, more than the ${max} it may have.`, 'Shorten it.')
    const at = value.search(multi ? MULTILINE_CONTROL : LINE_CONTROL)
    if (at >= 0) {
      const code = `U+${value.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}`
      throw new InputError(
        name,
        `holds the control character ${code} at position ${at + 1}${multi ? '' : ' (a line break is one: this input takes a single line)'}.`,
        multi ? 'Remove it; give one value a line.' : 'Give a single line of text.'
      )
    }
  }
}

/** Reads one input's raw value ('' when unset). */
export type InputReader = (name: string) => string

export interface Environment {
  readonly [name: string]: string | undefined
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+!_-]*$/
const SPECIFIER = '(?:==|>=|<=|~=|!=|<|>)\\s*\\d[\\w.*+!-]*'
const BUILDER_VERSION = new RegExp(`^(?:\\d[\\w.+!-]*|${SPECIFIER}(?:\\s*,\\s*${SPECIFIER})*)$`)

export function readConfig(get: InputReader, env: Environment, exists: (p: string) => boolean = fs.existsSync): Config {
  checkInputText(get)
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const runnerTemp = env.RUNNER_TEMP
  if (!runnerTemp)
    throw new InputError(
      'RUNNER_TEMP',
      'the environment variable is not set.',
      'Run the action on a GitHub runner, or use the command-line entry (dist/cli/index.js), which sets it.'
    )
  const workDir = path.resolve(runnerTemp, 'build-standalone')

  // Every path input resolves inside the workspace, links followed: nothing of the host outside it is read.
  const inWorkspace: Root[] = [{ dir: workspace, name: 'the workspace' }]
  const projectInput = get('project-path').trim() || '.'
  const projectFix = 'Give the folder that holds pyproject.toml, relative to the workspace.'
  const projectDir = resolveInside('project-path', projectInput, workspace, inWorkspace, projectFix)
  if (!exists(projectDir)) throw new InputError('project-path', `'${projectInput}' does not exist (looked for ${projectDir}).`, projectFix)
  const project = readProject(projectDir, inWorkspace, exists)
  const inProject = (input: string, value: string, what: string): string => {
    const fix = `Give the path of ${what} relative to project-path (${projectInput}).`
    const full = resolveInside(input, value, projectDir, inWorkspace, fix)
    if (!exists(full)) throw new InputError(input, `${value} does not exist (looked for ${full}).`, fix)
    // Every such input names a file: a folder (or a device) would fail later with a raw EISDIR.
    expectFile(input, value, full, fix)
    return full
  }

  const pythonVersion = readPythonVersion(get, project, (file) => inProject('python-version-file', file, 'the version file'))
  const pythonManifest = get('python-versions-manifest').trim() || DEFAULT_MANIFEST_URL
  const manifestProblem = urlProblem(pythonManifest)
  if (manifestProblem)
    throw new InputError(
      'python-versions-manifest',
      `'${excerpt(pythonManifest, 200)}' ${manifestProblem}.`,
      'Give the https:// URL of a versions-manifest.json in the format of actions/python-versions (http:// only on 127.0.0.1, localhost or [::1]).'
    )

  const name = get('name').trim()
  if (name && !NAME.test(name))
    throw new InputError('name', `'${name}' is not a usable file name.`, 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit.')

  const extras = inputList(get('extras')).map((e) => checkName('extras', e))
  checkExtras(extras, project)
  const dependencyGroups = inputList(get('dependency-groups')).map((g) => checkName('dependency-groups', g))
  checkGroups(dependencyGroups, project)
  const requirements = inputLines(get('requirements')).map((r) => inProject('requirements', r, 'the requirements file'))

  const { builder, builderRequirement } = readBuilder(get)

  const specInput = get('spec').trim()
  let spec = ''
  let entrypoints: EntryPoint[] = []
  if (specInput) {
    if (builder === 'nuitka')
      throw new InputError(
        'spec',
        `is a PyInstaller .spec file (${specInput}), and builder is nuitka, which has no spec files.`,
        'Remove spec and give entrypoint lines (or let the action read [project.scripts]), or set builder: pyinstaller.'
      )
    if (!specInput.endsWith('.spec'))
      throw new InputError('spec', `'${specInput}' is not a .spec file.`, 'Give the path of the PyInstaller .spec file, relative to project-path.')
    spec = inProject('spec', specInput, 'the PyInstaller .spec file')
    const refused = GENERATED_SPEC_INPUTS.find((input) => get(input).trim() !== '' && !(isBoolean(input) && parseBoolean(input, get(input)) === false))
    if (refused)
      throw new InputError(
        refused,
        `shapes the spec the action generates from entry points, but spec is set (${specInput}), so it would have no effect.`,
        'Make the change in your .spec file, or remove spec.'
      )
  } else {
    const lines = inputLines(get('entrypoint'))
    entrypoints = lines.length ? entrypointsFromLines(lines, project, name) : entrypointsFromProject(project, name)
    for (const e of entrypoints) if (e.target.kind === 'script') inProject('entrypoint', e.target.path, 'the script')
  }
  const { onefile, onedir } = parseMode(get('mode'))
  const iconInput = get('icon').trim()
  const icon = iconInput ? inProject('icon', iconInput, 'the icon file') : ''
  if (icon) {
    const problem = iconProblem(iconInput, readHead(icon, 8))
    if (problem) throw new InputError('icon', problem, 'Give a .ico file (Windows), a .icns file (macOS), or a .png (converted when Pillow is installed).')
  }
  const hiddenImports = inputList(get('hidden-imports')).map((m) => checkModule('hidden-imports', m))
  const excludeModules = inputList(get('exclude-modules')).map((m) => checkModule('exclude-modules', m))
  const collect = inputLines(get('collect')).map(parseCollect)
  const addData = inputLines(get('add-data')).map((line) => readDataLine(line, projectDir, exists))
  const installerInput = get('installer').trim().toLowerCase() || 'uv'
  if (!INSTALLERS.includes(installerInput as InstallerName))
    throw new InputError('installer', `'${installerInput}' is not an installer.`, 'Write uv (the default) or pip.')
  const installer = installerInput as InstallerName
  const lockInput = get('lock').trim().toLowerCase() || 'auto'
  if (!LOCK_MODES.includes(lockInput as LockMode))
    throw new InputError(
      'lock',
      `'${excerpt(lockInput)}' is not auto or ignore.`,
      "Write auto (the default: install exactly what the project's uv.lock or pylock.toml pins) or ignore (resolve the dependencies afresh)."
    )
  const lock = lockInput as LockMode
  const cache = get('cache').trim() === '' ? true : parseBoolean('cache', get('cache'))
  const upx = parseBoolean('upx', get('upx'))
  const strip = parseBoolean('strip', get('strip'))
  const compressionLevel = parseCompressionLevel(get('compression-level'))
  const glibcMax = parseGlibcMax(get('glibc-max'))

  const upload = (get('upload').trim().toLowerCase() || 'tags') as UploadWhen
  if (!['tags', 'always', 'never'].includes(upload))
    throw new InputError('upload', `'${upload}' is not tags, always or never.`, 'Write tags (the default: only on tag pushes), always or never.')
  const artifactName = get('artifact-name').trim()
  checkTemplate(artifactName)
  const retentionInput = get('retention-days').trim()
  const retentionDays = retentionInput === '' ? undefined : /^\d+$/.test(retentionInput) ? Number(retentionInput) : NaN
  if (retentionDays !== undefined && !(Number.isInteger(retentionDays) && retentionDays >= 1 && retentionDays <= 90))
    throw new InputError(
      'retention-days',
      `'${retentionInput}' is not a whole number of days from 1 to 90.`,
      'Give a number such as 30, or leave it empty for the repository default.'
    )
  const releaseInput = get('release').trim()
  const release: ReleaseWhen =
    releaseInput.toLowerCase() === 'required'
      ? 'required'
      : parseBoolean('release', releaseInput, 'Write false (the default), true (on tag pushes; skipped on other refs) or required (fails on other refs).')
        ? 'true'
        : 'false'
  const githubToken = get('github-token').trim()
  if (release !== 'false' && !githubToken)
    throw new InputError(
      'github-token',
      `is empty, and release is ${release}.`,
      'Pass a token that may write releases (the default ${{ github.token }} with permissions: contents: write), or set release: false.'
    )
  if (release !== 'false' && !env.GITHUB_REPOSITORY)
    throw new InputError('release', 'needs GITHUB_REPOSITORY (owner/name), which is not set.', 'Run on a GitHub runner, or set GITHUB_REPOSITORY.')

  const signing = readSigning(get, (file) => inProject('macos-entitlements', file, 'the entitlements file'))

  const version = get('version').trim()
  if (version && !VERSION.test(version))
    throw new InputError('version', `'${version}' is not a usable version.`, "Use a version such as '1.2.3' (letters, digits, '.', '+', '!', '-', '_').")

  const smokeTests = inputLines(get('smoke-test')).map((line) => {
    const target = /^\[([^\]]*)\]\s*(.*)$/.exec(line)
    if (target && !NAME.test(target[1]))
      throw new InputError(
        'smoke-test',
        `\`[${target[1]}]\` in the line \`${line}\` is not an executable name.`,
        'Write `[name] arguments` to run a line against one executable only.'
      )
    try {
      return Object.freeze({ line, only: target ? target[1] : '', args: Object.freeze(splitWords(target ? target[2] : line)) })
    } catch (e) {
      throw new InputError(
        'smoke-test',
        `the line \`${line}\` cannot be split into arguments: ${(e as SplitError).message}.`,
        'Close the quote or escape the character with a backslash.'
      )
    }
  })
  const smokeTimeoutSeconds = secondsInRange('smoke-timeout', get('smoke-timeout'), DEFAULT_SMOKE_TIMEOUT_SECONDS)

  const licenseDeny = readLicenseDeny(get('license-deny'))
  const licenseUnknown = readLicenseUnknown(get('license-unknown'), licenseDeny)
  checkLicenseBuilder(get, builder)

  const outputDir = readOutputDir(get('output-dir'), workspace, runnerTemp, workDir)

  return Object.freeze({
    pythonVersion,
    pythonManifest,
    workspace,
    projectDir,
    project,
    extras: Object.freeze(extras),
    dependencyGroups: Object.freeze(dependencyGroups),
    requirements: Object.freeze(requirements),
    builder,
    builderRequirement,
    installer,
    lock,
    cache,
    spec,
    entrypoints: Object.freeze(entrypoints),
    onefile,
    onedir,
    icon,
    hiddenImports: Object.freeze(hiddenImports),
    collect: Object.freeze(collect),
    addData: Object.freeze(addData),
    excludeModules: Object.freeze(excludeModules),
    upx,
    strip,
    compressionLevel,
    glibcMax,
    name,
    version,
    smokeTests: Object.freeze(smokeTests),
    smokeTimeoutSeconds,
    outputDir,
    workDir,
    toolCache: env.RUNNER_TOOL_CACHE || env.AGENT_TOOLSDIRECTORY || '',
    ref: env.GITHUB_REF || '',
    upload,
    artifactName,
    retentionDays,
    release,
    githubToken,
    signing,
    licenseDeny: Object.freeze(licenseDeny),
    licenseUnknown
  })
}

const BUILDER_VERSION_INPUTS: Readonly<Record<BuilderName, { input: string; fallback: string; example: string }>> = {
  pyinstaller: { input: 'pyinstaller-version', fallback: DEFAULT_PYINSTALLER_VERSION, example: '>=6.10,<7' },
  nuitka: { input: 'nuitka-version', fallback: DEFAULT_NUITKA_VERSION, example: '>=4.3,<5' }
}

/** `builder` and the requirement of the builder's release: the other builder's version input is refused, as it would do nothing. */
export function readBuilder(get: InputReader): { builder: BuilderName; builderRequirement: string } {
  const raw = get('builder').trim().toLowerCase() || 'pyinstaller'
  if (!BUILDERS.includes(raw as BuilderName)) throw new InputError('builder', `'${raw}' is not a builder.`, 'Write pyinstaller (the default) or nuitka.')
  const builder = raw as BuilderName
  for (const [other, { input }] of Object.entries(BUILDER_VERSION_INPUTS))
    if (other !== builder && get(input).trim())
      throw new InputError(input, `is set, but builder is ${builder}, so ${other} is not installed.`, `Remove ${input}, or set builder: ${other}.`)
  const { input, fallback, example } = BUILDER_VERSION_INPUTS[builder]
  const version = get(input).trim() || fallback
  if (!BUILDER_VERSION.test(version))
    throw new InputError(
      input,
      `'${version}' is not a version or version specifier.`,
      `Give a version such as '${fallback}' or a specifier such as '${example}'.`
    )
  return { builder, builderRequirement: /^\d/.test(version) ? `${builder}==${version}` : `${builder}${version.replace(/\s+/g, '')}` }
}

function readProject(projectDir: string, roots: readonly Root[], exists: (p: string) => boolean): ProjectFacts {
  const file = resolveInside('project-path', 'pyproject.toml', projectDir, roots, 'Point project-path at a Python project inside the workspace.')
  if (!exists(file)) {
    if (exists(path.join(projectDir, 'setup.py')) || exists(path.join(projectDir, 'setup.cfg'))) return NO_PYPROJECT
    throw new InputError(
      'project-path',
      `${projectDir} has no pyproject.toml, setup.py or setup.cfg.`,
      'Point project-path at the folder of the Python project to build.'
    )
  }
  try {
    return parsePyproject(readInputFile('project-path', file, 'Fix pyproject.toml.'))
  } catch (e) {
    if (e instanceof InputError) throw e
    if (e instanceof PyprojectError) throw new InputError('project-path', `${file}: ${excerpt(e.message, 200)}.`, 'Fix pyproject.toml.')
    throw new InputError('project-path', `${file} is not valid TOML: ${excerpt((e as Error).message.split('\n')[0], 200)}.`, 'Fix pyproject.toml.')
  }
}

function checkName(input: string, value: string): string {
  if (!NAME.test(value))
    throw new InputError(
      input,
      `'${value}' is not a valid name.`,
      'Names use letters, digits, dots, dashes and underscores; give one a line or separate them with commas.'
    )
  return normalizeName(value)
}

/** An extra the project does not define fails, and says when a dependency group of that name exists instead. */
export function checkExtras(extras: readonly string[], project: ProjectFacts): void {
  // Without a [project] table (setup.cfg, setup.py or Poetry metadata) the extras are not known here.
  if (!project.hasProjectTable || project.dynamic.includes('optional-dependencies')) return
  for (const extra of extras) {
    if (project.extras.includes(extra)) continue
    const defined = project.extras.length ? `It defines: ${project.extras.join(', ')}.` : 'It defines no extras.'
    if (extra in project.dependencyGroups)
      throw new InputError(
        'extras',
        `the project defines no extra '${extra}', but it has a dependency group '${extra}' ([dependency-groups] in pyproject.toml).`,
        `Use \`dependency-groups: ${extra}\` instead of \`extras: ${extra}\`.`
      )
    throw new InputError(
      'extras',
      `the project defines no extra '${extra}' in [project.optional-dependencies]; pip would only warn and install without it. ${defined}`,
      'Remove it or use one the project defines.'
    )
  }
}

export function checkGroups(groups: readonly string[], project: ProjectFacts): void {
  for (const group of groups) {
    if (group in project.dependencyGroups) continue
    const defined = Object.keys(project.dependencyGroups)
    const hint = project.extras.includes(group)
      ? ` It has an extra '${group}': use \`extras: ${group}\` instead.`
      : defined.length
        ? ` It defines: ${defined.join(', ')}.`
        : ''
    throw new InputError(
      'dependency-groups',
      `the project defines no dependency group '${group}' in [dependency-groups] of pyproject.toml.${hint}`,
      project.extras.includes(group) ? '' : 'Remove it or use one the project defines.'
    )
  }
}

/** python-version, or the version python-version-file gives, or 3.11. */
function readPythonVersion(get: InputReader, project: ProjectFacts, resolveFile: (file: string) => string): string {
  const direct = get('python-version').trim()
  const fileInput = get('python-version-file').trim()
  if (direct && fileInput)
    throw new InputError(
      'python-version-file',
      `is set, and so is python-version (${direct}).`,
      'Set one of them: python-version-file reads .python-version or requires-python of pyproject.toml.'
    )
  let spec = direct || DEFAULT_PYTHON_VERSION
  let input = 'python-version'
  if (fileInput) {
    input = 'python-version-file'
    const file = resolveFile(fileInput)
    const fix = 'Point it at a .python-version file or a pyproject.toml with requires-python.'
    // A regular file of at most 1 MiB; its content is quoted only as a short, sanitized excerpt.
    const text = readInputFile(input, file, fix)
    try {
      spec = specFromVersionFile(path.basename(file), text, /\.toml$/i.test(file) ? readRequiresPython(text, project) : '')
    } catch (e) {
      throw new InputError(input, `${(e as Error).message}.`, fix)
    }
  }
  try {
    parseSpec(spec)
  } catch (e) {
    const detail = (e as Error).message.startsWith(`'${spec}' is not`) ? '' : ` (${(e as Error).message})`
    throw new InputError(
      input,
      `'${spec}' is not a Python version${detail}.`,
      "Give a version such as '3.11', '3.11.9', '3.x' or a specifier such as '>=3.10,<3.13'."
    )
  }
  return spec
}

function readRequiresPython(text: string, project: ProjectFacts): string {
  try {
    return parsePyproject(text).requiresPython
  } catch {
    return project.requiresPython
  }
}

function readSigning(get: InputReader, resolveEntitlements: (file: string) => string): SigningConfig {
  const windowsCert = get('windows-certificate').trim()
  const timestamp = get('timestamp-url').trim() || DEFAULT_TIMESTAMP_URL
  if (timestamp !== 'none' && !/^https?:\/\/\S+$/.test(timestamp))
    throw new InputError('timestamp-url', `'${timestamp}' is not an http(s) URL.`, 'Give an RFC 3161 timestamp server, or none to sign without a timestamp.')
  const windows = windowsCert
    ? {
        certificate: windowsCert,
        password: get('windows-certificate-password'),
        timestampUrl: timestamp === 'none' ? '' : timestamp,
        description: get('sign-description').trim(),
        url: get('sign-url').trim()
      }
    : undefined
  const macCert = get('macos-certificate').trim()
  const notarize = parseBoolean('notarize', get('notarize'))
  if (notarize && !macCert)
    throw new InputError(
      'notarize',
      'is true, but macos-certificate is empty: only signed code can be notarized.',
      'Set macos-certificate (and its password), or notarize: false.'
    )
  const timeout = readNotarizeTimeout(get('notarize-timeout'))
  const key = get('apple-api-key').trim()
  const keyId = get('apple-api-key-id').trim()
  const issuer = get('apple-api-issuer').trim()
  const appleId = get('apple-id').trim()
  const appPassword = get('apple-app-password')
  const teamId = get('apple-team-id').trim()
  let auth: MacSigning['auth']
  if (notarize) {
    if (key || keyId || issuer) {
      if (!(key && keyId && issuer))
        throw new InputError(
          'notarize',
          'needs apple-api-key, apple-api-key-id and apple-api-issuer together (an App Store Connect API key); one of them is empty.',
          'Set all three.'
        )
      auth = { kind: 'api-key', key, keyId, issuer }
    } else if (appleId && appPassword && teamId) auth = { kind: 'apple-id', appleId, password: appPassword, teamId }
    else if (appleId || appPassword || teamId)
      throw new InputError('notarize', 'needs apple-id, apple-app-password and apple-team-id together; one of them is empty.', 'Set all three.')
    else
      throw new InputError(
        'notarize',
        'is true, but no credentials are set.',
        'Set apple-api-key, apple-api-key-id and apple-api-issuer (an App Store Connect API key), or apple-id, apple-app-password and apple-team-id.'
      )
  }
  const entitlementsInput = get('macos-entitlements').trim()
  const macos = macCert
    ? {
        certificate: macCert,
        password: get('macos-certificate-password'),
        identity: get('macos-signing-identity').trim(),
        entitlements: entitlementsInput ? resolveEntitlements(entitlementsInput) : '',
        notarize,
        auth,
        timeout
      }
    : undefined
  return { windows, macos }
}

const BOOLEANS = ['upx', 'strip']
const isBoolean = (input: string): boolean => BOOLEANS.includes(input)

/** YAML 1.2 core booleans, as core.getBooleanInput reads them; '' is false. */
export function parseBoolean(input: string, raw: string, fix = 'Write true or false.'): boolean {
  const value = raw.trim()
  if (value === '' || ['false', 'False', 'FALSE'].includes(value)) return false
  if (['true', 'True', 'TRUE'].includes(value)) return true
  throw new InputError(input, `'${value}' is not true or false.`, fix)
}

/** `mode`: onefile, onedir, or both (the default); 'onefile, onedir' means both too. */
export function parseMode(raw: string): { onefile: boolean; onedir: boolean } {
  const modes = inputList(raw.toLowerCase())
  if (!modes.length || modes.includes('both')) {
    if (modes.some((m) => m !== 'both')) throw new InputError('mode', `'${raw}' mixes both with another mode.`, 'Write onefile, onedir or both.')
    return { onefile: true, onedir: true }
  }
  const bad = modes.find((m) => m !== 'onefile' && m !== 'onedir')
  if (bad) throw new InputError('mode', `'${bad}' is not a build mode.`, 'Write onefile, onedir or both.')
  return { onefile: modes.includes('onefile'), onedir: modes.includes('onedir') }
}

const MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

function checkModule(input: string, value: string): string {
  if (!MODULE.test(value))
    throw new InputError(input, `'${value}' is not a module name.`, 'Give dotted module names such as uvicorn.logging, one a line or separated by commas.')
  return value
}

/** A `collect` line: `package` (everything), or `all:`, `submodules:` or `data:` before it. */
export function parseCollect(line: string): CollectRule {
  const m = /^(?:(all|submodules|data)\s*:\s*)?(\S+)$/.exec(line.trim())
  if (!m || !MODULE.test(m[2]))
    throw new InputError(
      'collect',
      `\`${line}\` is not [all|submodules|data:] package.`,
      'Write a package name (collects its submodules, data files and binaries), or submodules:package or data:package.'
    )
  return Object.freeze({ kind: (m[1] ?? 'all') as CollectKind, package: m[2] })
}

/** `license-deny`: SPDX license ids (GPL-3.0-only, AGPL-3.0-or-later, LicenseRef-…), one a line or separated by commas. */
export function readLicenseDeny(raw: string): string[] {
  return inputList(raw).map((value) => {
    const id = /^[A-Za-z0-9.+:-]+$/.test(value) ? spdxId(value) : undefined
    if (!id)
      throw new InputError(
        'license-deny',
        `'${value}' is not an SPDX license id.`,
        'Give ids from https://spdx.org/licenses/ such as GPL-3.0-only or AGPL-3.0-or-later, one a line or separated by commas.'
      )
    return id
  })
}

/** `compression-level`: a whole number from 0 to 9 ('' is the default). */
export function parseCompressionLevel(raw: string): number {
  const value = raw.trim()
  if (!value) return DEFAULT_COMPRESSION_LEVEL
  if (!/^[0-9]$/.test(value))
    throw new InputError(
      'compression-level',
      `'${excerpt(value, 40)}' is not a compression level from 0 to 9.`,
      `Write a whole number from 0 (no compression: fastest to pack, largest) to 9 (smallest, slowest); the default ${DEFAULT_COMPRESSION_LEVEL} packs a one-file build in half the time of 9 for a file under 1 % larger.`
    )
  return Number(value)
}

/** `glibc-max`: a glibc version, two or three numbers ('2.31', '2.2.5'); '' means no limit. */
export function parseGlibcMax(raw: string): string {
  const value = raw.trim()
  if (!value) return ''
  if (!/^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/.test(value))
    throw new InputError(
      'glibc-max',
      `'${value}' is not a glibc version.`,
      "Give the version of the oldest glibc the executables must run on, as major.minor, e.g. '2.31' (Debian 11, Ubuntu 20.04) or '2.28' (RHEL 8); leave it empty for no limit."
    )
  return value
}

/**
 * output-dir: a folder inside the workspace (or RUNNER_TEMP), links
 * followed, without control characters, and writable, all checked before
 * anything is installed. Empty: RUNNER_TEMP/build-standalone/out.
 */
function readOutputDir(raw: string, workspace: string, runnerTemp: string, workDir: string): string {
  const value = raw.trim()
  if (!value) return path.join(workDir, 'out')
  const fix = 'Give a folder relative to the workspace, such as standalone-dist (or one inside RUNNER_TEMP).'
  const dir = resolveInside(
    'output-dir',
    value,
    workspace,
    [
      { dir: workspace, name: 'the workspace' },
      { dir: path.resolve(runnerTemp), name: 'RUNNER_TEMP' }
    ],
    fix
  )
  const problem = writableProblem(dir)
  if (problem) throw new InputError('output-dir', `${problem}, so the archives could not be written there.`, fix)
  return dir
}

/** Marks an add-data line whose source may lie outside the project: `source:destination (outside-project)`. */
export const OUTSIDE_PROJECT = '(outside-project)'

/**
 * An add-data line: `source:destination`, the source inside the project
 * (links followed; a glob is checked up to its first wildcard) unless the
 * line ends with (outside-project), the destination a relative folder inside
 * the bundle.
 */
function readDataLine(raw: string, projectDir: string, exists: (p: string) => boolean): DataRule {
  checkPathText('add-data', raw, 'Write each line as `path/in/project:folder/in/bundle`.')
  const outside = raw.endsWith(OUTSIDE_PROJECT)
  const line = outside ? raw.slice(0, -OUTSIDE_PROJECT.length).trimEnd() : raw
  const m = /^(.+?)\s*[:;]\s*([^:;]+)$/.exec(line)
  if (!m)
    throw new InputError(
      'add-data',
      `\`${excerpt(line, 200)}\` is not source:destination.`,
      'Write each line as `path/in/project:folder/in/bundle` (use `.` for the top folder).'
    )
  const dest = m[2].trim()
  if (path.isAbsolute(dest) || path.win32.isAbsolute(dest) || dest.split(/[\\/]/).includes('..'))
    throw new InputError(
      'add-data',
      `the destination '${excerpt(dest, 200)}' leaves the bundle.`,
      'Give a folder inside the bundle, relative to its top (`.` for the top).'
    )
  const source = path.resolve(projectDir, m[1])
  // A glob is checked up to its first wildcard: the folder it matches in.
  const parts = source.split(path.sep)
  const firstGlob = parts.findIndex((p) => /[*?[]/.test(p))
  const probe = firstGlob < 0 ? source : parts.slice(0, firstGlob).join(path.sep) || path.sep
  if (!exists(probe)) throw new InputError('add-data', `${m[1]} does not exist (looked for ${probe}).`, 'Give a file or folder relative to project-path.')
  if (!outside) {
    const real = realPath(probe)
    if (real === undefined || !isInside(source, projectDir) || !isInside(real, realPath(projectDir) ?? projectDir))
      throw new InputError(
        'add-data',
        `${excerpt(m[1], 200)} leads outside the project (${projectDir})${real !== undefined && isInside(source, projectDir) ? ' through a symbolic link' : ''}, so a file of the machine that builds would be shipped inside the executables.`,
        `Give a file or folder inside project-path, or end the line with ${OUTSIDE_PROJECT} to ship it on purpose: \`${excerpt(line, 200)} ${OUTSIDE_PROJECT}\`.`
      )
    // A folder is copied with what its links point at: none may lead out of the project either.
    const leaving = firstGlob < 0 && kindOf(real) === 'folder' ? linkLeaving(real, projectDir) : undefined
    if (leaving !== undefined)
      throw new InputError(
        'add-data',
        `${excerpt(m[1], 200)} holds a symbolic link that leads outside the project (${excerpt(leaving, 200)}), so a file of the machine that builds would be shipped inside the executables.`,
        `Remove the link, or end the line with ${OUTSIDE_PROJECT} to ship what it points at on purpose.`
      )
    if (firstGlob < 0) return Object.freeze({ source: real, dest })
  }
  return Object.freeze({ source, dest, ...(outside ? { outside: true } : {}) })
}

/** A duration in seconds in words: '21600 s (6 hours)'. */
const describeSeconds = (s: number): string => (s % 3600 === 0 ? `${s} s (${s / 3600} hour${s === 3600 ? '' : 's'})` : `${s} s`)

/**
 * A time-out in seconds: a plain decimal number (not 0x10, 1e-9 or Infinity)
 * within the input's range of TIMEOUT_RANGES.
 */
function secondsInRange(input: keyof typeof TIMEOUT_RANGES, raw: string, fallback: number): number {
  const value = raw.trim()
  if (!value) return fallback
  const { min, max } = TIMEOUT_RANGES[input]
  const n = /^\d{1,9}(\.\d{1,6})?$/.test(value) ? Number(value) : NaN
  if (!(n >= min && n <= max))
    throw new InputError(input, `'${excerpt(value)}' is not a number of seconds from ${min} to ${describeSeconds(max)}.`, `Give a number such as ${fallback}.`)
  return n
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 }

/** notarize-timeout: a notarytool duration (a whole number with s, m or h) within its range. */
function readNotarizeTimeout(raw: string): string {
  const timeout = raw.trim() || '30m'
  const { min, max } = TIMEOUT_RANGES['notarize-timeout']
  if (!NOTARY_TIMEOUT.test(timeout))
    throw new InputError('notarize-timeout', `'${excerpt(timeout)}' is not a duration.`, 'Write a number with s, m or h, such as 30m.')
  const seconds = Number(timeout.slice(0, -1)) * UNIT_SECONDS[timeout.slice(-1)]
  if (!(seconds >= min && seconds <= max))
    throw new InputError('notarize-timeout', `'${timeout}' is not from 1m to 24h.`, 'Write a number with s, m or h, such as 30m.')
  return timeout
}
