/**
 * Packaging: one archive per build (zip on Windows, tar.gz elsewhere, keeping
 * exec bits), named `{name}-{version}-{os}-{arch}[-onedir|-app]`, its SBOM
 * beside it (`{archive stem}.cdx.json`, from the inspect stage), and a
 * checksums file per matrix leg (sha256sum format).
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Build } from './freeze/index.js'
import { runChecked, type Command } from './exec.js'
import { StageError } from './errors.js'
import type { Platform } from './platform.js'
import { firstCollision } from './unique.js'

export interface PlannedArchive {
  readonly build: Build
  /** File name of the archive. */
  readonly file: string
  readonly path: string
  readonly command: Command
  /** The build's SBOM file, when the inspect stage made one. */
  readonly sbom?: { readonly file: string; readonly path: string; readonly content: string }
}

export interface Asset {
  readonly name: string
  readonly path: string
  readonly size: number
  readonly sha256: string
  readonly mode: Build['mode'] | 'sbom' | 'checksums'
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
 * The command that archives `root` (a file or folder) into `archive`, the entry named as `root`'s base name,
 * and each of `beside` (files) at the archive's top level next to it.
 */
export function archiveCommand(
  platform: Platform,
  root: string,
  archive: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  beside: readonly string[] = []
): Command {
  const p = platform.path
  const entries = [root, ...beside].flatMap((f) => ['-C', p.dirname(f), p.basename(f)])
  if (platform.os === 'windows') {
    const tar = p.join(env.SystemRoot || env.SYSTEMROOT || 'C:\\Windows', 'System32', 'tar.exe')
    return { program: tar, args: ['-a', '-c', '-f', archive, ...entries] }
  }
  return {
    program: 'tar',
    args: ['-c', '-z', '-f', archive, ...entries],
    env: platform.os === 'macos' ? { COPYFILE_DISABLE: '1' } : undefined
  }
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
      command: archiveCommand(platform, build.root, archive, process.env, extra?.beside ?? []),
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

/**
 * Archives every build and writes the checksums file. `name` renames the
 * archives (spec builds); `base` names the checksums file.
 */
export async function packageBuilds(
  platform: Platform,
  builds: readonly Build[],
  name: string,
  base: string,
  version: string,
  outputDir: string,
  extras: readonly PackageExtras[] = []
): Promise<Asset[]> {
  const planned = planArchives(platform, builds, name, version, outputDir, extras)
  fs.mkdirSync(outputDir, { recursive: true })
  const assets: Asset[] = []
  for (const a of planned) {
    fs.rmSync(a.path, { force: true })
    await runChecked('package', a.command, `Could not write ${a.path}: check that output-dir is writable and has space.`)
    assets.push({ name: a.file, path: a.path, size: fs.statSync(a.path).size, sha256: await sha256File(a.path), mode: a.build.mode })
    if (a.sbom) {
      fs.writeFileSync(a.sbom.path, a.sbom.content)
      assets.push({ name: a.sbom.file, path: a.sbom.path, size: fs.statSync(a.sbom.path).size, sha256: await sha256File(a.sbom.path), mode: 'sbom' })
    }
  }
  const sumsName = checksumsName(platform, base, version)
  const sumsPath = path.join(outputDir, sumsName)
  fs.writeFileSync(sumsPath, checksumsText(assets))
  assets.push({ name: sumsName, path: sumsPath, size: fs.statSync(sumsPath).size, sha256: await sha256File(sumsPath), mode: 'checksums' })
  return assets
}
