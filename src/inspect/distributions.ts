/**
 * The distributions each build ships, and what follows from them: the SBOM,
 * the third-party notices (written into the build, or beside a one-file
 * executable for the archiver), the sizes, the copyleft notice and the
 * license-deny check. One call per run, after the build stage.
 */
import * as path from 'node:path'
import * as core from '@actions/core'
import { StageError } from '../errors.js'
import type { Build } from '../freeze/index.js'
import type { Platform } from '../platform.js'
import { BUILDER_TITLES, type Config } from '../config.js'
import { isCopyleft, isDenied, licenseOf, licenseText, type License } from './licenses.js'
import { writeNotices, noticesText } from './notices.js'
import { sbomJson } from './sbom.js'
import type { ShippedReader } from './shipped.js'
import { totalSize } from './sizes.js'

/** One shipped distribution, as the summary and the SBOM see it. */
export interface DistributionFacts {
  readonly name: string
  readonly version: string
  readonly license: License
  /** Bytes before compression. */
  readonly size: number
  /** How many license texts were found. */
  readonly texts: number
}

/** What one build ships. */
export interface BuildDistributions {
  /** The build's root (its one-file executable, folder or bundle): the key to its Build. */
  readonly root: string
  readonly buildName: string
  /** The third-party distributions (the project excluded), by name. */
  readonly distributions: readonly DistributionFacts[]
  /** The project's own files, when they ship. */
  readonly project?: DistributionFacts
  /** Bytes of every shipped distribution, the project's included. */
  readonly total: number
  /** The CycloneDX 1.6 JSON text. */
  readonly sbom: string
  /** Where THIRD-PARTY-NOTICES.txt was written. */
  readonly notices: string
  /** Files the archive holds beside a one-file executable (the notices); [] for other builds, which hold them already. */
  readonly beside: readonly string[]
  /** Entries that hold the work folder's absolute path. */
  readonly leaks: readonly string[]
}

const normalize = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-')

/** The distributions that `license-deny` refuses, across builds, as `name version (license)`. */
export function deniedDistributions(shipped: readonly BuildDistributions[], denied: readonly string[]): string[] {
  const out = new Set<string>()
  for (const b of shipped)
    for (const d of [...b.distributions, ...(b.project ? [b.project] : [])])
      if (isDenied(d.license, denied)) out.add(`${d.name} ${d.version} (${licenseText(d.license)})`)
  return [...out]
}

/** The copyleft distributions of a build, as `name version (license)`. */
export function copyleftDistributions(b: BuildDistributions): string[] {
  return b.distributions.filter((d) => isCopyleft(d.license)).map((d) => `${d.name} ${d.version} (${licenseText(d.license)})`)
}

/** The distributions of a build without a license text. */
export function withoutText(b: BuildDistributions): string[] {
  return b.distributions.filter((d) => d.texts === 0).map((d) => `${d.name} ${d.version}`)
}

/** Reads what every build ships, writes the notices and makes the SBOMs; fails when license-deny refuses a license. */
export async function inspectDistributions(
  config: Config,
  platform: Platform,
  builds: readonly Build[],
  read: ShippedReader,
  version: string
): Promise<BuildDistributions[]> {
  if (config.builder !== 'pyinstaller') {
    core.warning(`No SBOM or third-party notices for ${BUILDER_TITLES[config.builder]} builds yet: only PyInstaller builds are read.`)
    return []
  }
  const out: BuildDistributions[] = []
  for (const build of builds) {
    const report = await read(build)
    const projectName = config.project.name || config.name || build.name.replace(/\.(exe|app)$/i, '')
    const facts = report.distributions.map((d) => ({
      ...d,
      license: licenseOf(d),
      facts: { name: d.name, version: d.version, license: licenseOf(d), size: d.size, texts: d.licenseTexts.length }
    }))
    const own = facts.find((d) => normalize(d.name) === normalize(projectName))
    const third = facts.filter((d) => d !== own)
    const sbom = sbomJson({
      project: { name: own?.name ?? projectName, version, summary: own?.summary || config.project.description },
      components: third,
      build: { name: build.name, mode: build.mode, platform: `${platform.os}-${platform.arch}` },
      builder: BUILDER_TITLES[config.builder],
      epoch: /^\d+$/.test(process.env.SOURCE_DATE_EPOCH ?? '') ? Number(process.env.SOURCE_DATE_EPOCH) : undefined
    })
    const spare = path.join(config.workDir, 'notices', build.name)
    const notices = writeNotices(platform, build, spare, noticesText({ name: own?.name ?? projectName, version, build: build.name }, third))
    const result: BuildDistributions = {
      root: build.root,
      buildName: build.name,
      distributions: third.map((d) => d.facts),
      project: own?.facts,
      total: totalSize(facts),
      sbom,
      notices,
      beside: build.mode === 'onefile' ? [notices] : [],
      leaks: report.leaks
    }
    core.info(
      `${build.name}: ${third.length} third-party distribution${third.length === 1 ? '' : 's'} of ${report.entries} entries: ${third.map((d) => `${d.name} ${d.version} (${licenseText(d.license)})`).join(', ') || 'none'}.`
    )
    const copyleft = copyleftDistributions(result)
    if (copyleft.length) core.notice(`${build.name} ships copyleft-licensed distributions: ${copyleft.join(', ')}.`)
    if (report.leaks.length)
      core.warning(
        `${build.name} holds the build folder's absolute path (${config.workDir}) in ${report.leaks.length} entr${report.leaks.length === 1 ? 'y' : 'ies'}: ${report.leaks.slice(0, 10).join(', ')}. The executable then differs from a build in another folder.`
      )
    out.push(result)
  }
  const denied = deniedDistributions(out, config.licenseDeny)
  if (denied.length)
    throw new StageError(
      'inspect',
      `the builds ship ${denied.length === 1 ? 'a distribution' : 'distributions'} under a license that license-deny refuses (${config.licenseDeny.join(', ')}): ${denied.join(', ')}. Remove ${denied.length === 1 ? 'it' : 'them'} from the project's dependencies (or exclude the modules), or the license from license-deny.`
    )
  return out
}
