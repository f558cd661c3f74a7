/**
 * Packaging: one archive per build (zip on Windows, tar.gz elsewhere, keeping
 * exec bits, byte-reproducible: see archive.ts), named
 * `{name}-{version}-{os}-{arch}[-onedir|-app]`, its SBOM beside it
 * (`{archive stem}.cdx.json`, from the inspect stage), and a checksums file
 * per matrix leg (sha256sum format).
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { archiveTime, UnarchivableError, writeArchive } from './archive.js'
import type { Build } from './freeze/index.js'
import type { BuildFacts, RunsOn } from './inspect/facts.js'
import { runsOn } from './inspect/describe.js'
import { StageError } from './errors.js'
import type { Platform } from './platform.js'
import { firstCollision } from './unique.js'

export interface PlannedArchive {
  readonly build: Build
  /** File name of the archive. */
  readonly file: string
  readonly path: string
  /** Files archived at the top level next to the build (a one-file build's notices). */
  readonly beside: readonly string[]
  /** The build's SBOM file, when the inspect stage made one. */
  readonly sbom?: { readonly file: string; readonly path: string; readonly content: string }
}

/** An archive or the checksums file; an archive also says where its build runs (inspect stage). */
export interface Asset extends RunsOn {
  readonly name: string
  readonly path: string
  readonly size: number
  readonly sha256: string
  /** What the file is: an archive of a build (its mode), an SBOM, the checksums file, or an installer (its format). */
  readonly mode: Build['mode'] | 'sbom' | 'checksums' | 'deb' | 'rpm' | 'msi' | 'dmg'
}

/** An installer the package stage made (src/installers), as it becomes an asset. */
export interface InstallerFile extends RunsOn {
  readonly format: 'deb' | 'rpm' | 'msi' | 'dmg'
  readonly name: string
  readonly path: string
}

/** What packageBuilds makes besides the checksums: the archives (formats: archive), and the installers. */
export interface PackageOptions {
  readonly archives?: boolean
  /** Makes the installers into output-dir, once it is ready and before the checksums file is written. */
  readonly installers?: () => Promise<readonly (Omit<InstallerFile, keyof RunsOn> & { readonly runsOn?: RunsOn })[]>
}

/** What the inspect stage gives the package stage for one build (see src/inspect/distributions.ts). */
export interface PackageExtras {
  /** The build's root: which build these are for. */
  readonly root: string
  /** The CycloneDX JSON text, written beside the archive as `{archive stem}.cdx.json`. */
  readonly sbom: string
  /** Files the archive holds beside a one-file executable (its notices). */
  readonly beside: readonly string[]
}

/** Strips the executable suffix and bundle extension from a build's name. */
export function baseName(build: Build): string {
  return build.name.replace(/\.(exe|app)$/i, '')
}

export function archiveStem(platform: Platform, base: string, version: string, mode: Build['mode']): string {
  const suffix = mode === 'onedir' ? '-onedir' : mode === 'app' ? '-app' : ''
  return `${base}-${version}-${platform.os}-${platform.arch}${suffix}`
}

/**
 * Plans one archive per build. `name` replaces the executable's name when set;
 * two builds that would share an archive name are refused.
 */
export function planArchives(
  platform: Platform,
  builds: readonly Build[],
  name: string,
  version: string,
  outputDir: string,
  extras: readonly PackageExtras[] = []
): PlannedArchive[] {
  const planned = builds.map((build) => {
    const stem = archiveStem(platform, name || baseName(build), version, build.mode)
    const file = `${stem}.${platform.archiveFormat}`
    const archive = platform.path.join(outputDir, file)
    const extra = extras.find((e) => e.root === build.root)
    return {
      build,
      file,
      path: archive,
      beside: extra?.beside ?? [],
      sbom: extra ? { file: `${stem}.cdx.json`, path: platform.path.join(outputDir, `${stem}.cdx.json`), content: extra.sbom } : undefined
    }
  })
  const clash = firstCollision(planned, (a) => a.file)
  if (clash)
    throw new StageError(
      'package',
      `the builds ${clash[0].build.name} and ${clash[1].build.name} would both be archived as ${clash[1].file}. ${name ? `Remove the name input (it gives every build the name '${name}')` : 'Give the executables different names in the spec'}.`
    )
  return planned
}

/** The lines of a SHA256SUMS file, in the format `sha256sum -c` reads. */
export function checksumsText(assets: readonly Pick<Asset, 'name' | 'sha256'>[]): string {
  return assets.map((a) => `${a.sha256}  ${a.name}\n`).join('')
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * The checksums file of one matrix leg, named so that the legs' files do not
 * collide as artifacts or release assets: `{base}-{version}-{os}-{arch}-SHA256SUMS.txt`.
 */
export function checksumsName(platform: Pick<Platform, 'os' | 'arch'>, base: string, version: string): string {
  return `${base}-${version}-${platform.os}-${platform.arch}-SHA256SUMS.txt`
}

/** The file in output-dir that lists what the last run wrote there, so that the next run removes exactly those. */
export const RECORD_FILE = '.build-standalone-assets.json'

/**
 * Removes the archives and checksums file an earlier run recorded in
 * output-dir (only plain file names, only files); returns their names.
 */
export function removePreviousAssets(outputDir: string): string[] {
  let names: unknown
  try {
    names = JSON.parse(fs.readFileSync(path.join(outputDir, RECORD_FILE), 'utf8'))
  } catch {
    return []
  }
  if (!Array.isArray(names)) return []
  const removed: string[] = []
  for (const name of names) {
    // The record lies in a folder of the workspace: only a plain name of a regular file is taken from it.
    if (typeof name !== 'string' || name !== path.basename(name) || name === '..' || name === '.' || name === RECORD_FILE) continue
    const file = path.join(outputDir, name)
    try {
      if (!fs.lstatSync(file).isFile()) continue
      fs.rmSync(file)
      removed.push(name)
    } catch {
      // already gone
    }
  }
  return removed
}

/** The files of output-dir this run did not write (the record file left out), sorted. */
export function otherFiles(outputDir: string, assets: readonly Pick<Asset, 'name'>[]): string[] {
  const ours = new Set([...assets.map((a) => a.name), RECORD_FILE])
  try {
    return fs
      .readdirSync(outputDir)
      .filter((n) => !ours.has(n))
      .sort()
  } catch {
    return []
  }
}

/**
 * Archives every build (unless options.archives is false: each build's SBOM
 * is written all the same), makes the installers, and writes the checksums
 * file of them all. The files an earlier run recorded in output-dir are
 * removed first. `name` renames the archives (spec builds); `base` names the
 * checksums file.
 */
export async function packageBuilds(
  platform: Platform,
  builds: readonly (Build & { readonly facts?: BuildFacts })[],
  name: string,
  base: string,
  version: string,
  outputDir: string,
  extras: readonly PackageExtras[] = [],
  options: PackageOptions = {}
): Promise<Asset[]> {
  const planned = planArchives(platform, builds, name, version, outputDir, extras)
  try {
    fs.mkdirSync(outputDir, { recursive: true })
  } catch (e) {
    throw new StageError(
      'package',
      `the output-dir folder ${outputDir} could not be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Set output-dir to a writable folder inside the workspace.`
    )
  }
  removePreviousAssets(outputDir)
  const assets: Asset[] = []
  for (const [i, a] of planned.entries()) {
    const facts = builds[i].facts
    if (options.archives !== false) {
      fs.rmSync(a.path, { force: true })
      await writeArchive(platform, a.build.root, a.path, archiveTime(a.build.sourceDateEpoch), a.beside).catch((error: unknown) => {
        if (error instanceof UnarchivableError) throw new StageError('package', `${a.build.name} (${a.build.mode}) cannot be archived: ${error.message}`)
        throw new StageError('package', `Could not write ${a.path} (${(error as Error).message}): check that output-dir is writable and has space.`)
      })
      assets.push({ name: a.file, path: a.path, size: fs.statSync(a.path).size, sha256: await sha256File(a.path), mode: a.build.mode, ...runsOn(facts) })
    }
    if (a.sbom) {
      fs.writeFileSync(a.sbom.path, a.sbom.content)
      assets.push({ name: a.sbom.file, path: a.sbom.path, size: fs.statSync(a.sbom.path).size, sha256: await sha256File(a.sbom.path), mode: 'sbom' })
    }
  }
  for (const i of (await options.installers?.()) ?? [])
    assets.push({ name: i.name, path: i.path, size: fs.statSync(i.path).size, sha256: await sha256File(i.path), mode: i.format, ...(i.runsOn ?? {}) })
  const sumsName = checksumsName(platform, base, version)
  const sumsPath = path.join(outputDir, sumsName)
  fs.writeFileSync(sumsPath, checksumsText(assets))
  assets.push({ name: sumsName, path: sumsPath, size: fs.statSync(sumsPath).size, sha256: await sha256File(sumsPath), mode: 'checksums' })
  fs.writeFileSync(path.join(outputDir, RECORD_FILE), `${JSON.stringify(assets.map((a) => a.name))}\n`)
  return assets
}
