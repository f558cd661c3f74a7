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
import { denyVerdict, isCopyleft, isUnclassified, licenseOf, licenseText, type License } from './licenses.js'
import { NOTICES_FILE, writeNotices, noticesText } from './notices.js'
import { sbomJson } from './sbom.js'
import { LIMITS, type MetadataProblem, type ShippedReader, type SkippedText } from './shipped.js'
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
  /** License files its metadata names that were left out of the notices, and why. */
  readonly skipped: readonly SkippedText[]
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
  /** Distributions of the venv whose metadata could not be read as it should (not UTF-8, too big, …). */
  readonly problems: readonly MetadataProblem[]
}

const normalize = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-')

const label = (d: DistributionFacts): string => `${d.name} ${d.version} (${licenseText(d.license)})`
const everyDistribution = (shipped: readonly BuildDistributions[]): DistributionFacts[] =>
  shipped.flatMap((b) => [...b.distributions, ...(b.project ? [b.project] : [])])

/** The distributions that `license-deny` refuses, across builds, as `name version (license)`. */
export function deniedDistributions(shipped: readonly BuildDistributions[], denied: readonly string[]): string[] {
  return [
    ...new Set(
      everyDistribution(shipped)
        .filter((d) => denyVerdict(d.license, denied) === 'denied')
        .map(label)
    )
  ]
}

/**
 * The third-party distributions of which license-deny cannot tell whether it refuses them (an unknown license, an
 * invalid expression, a family name with a refused member), across builds, as `name version (license: why)`.
 */
export function undecidedDistributions(shipped: readonly BuildDistributions[], denied: readonly string[]): string[] {
  const why = (d: DistributionFacts): string =>
    d.license.family
      ? `may be ${d.license.family.filter((f) => denyVerdict({ ...d.license, family: [f] }, denied) !== 'allowed').join(' or ')}`
      : d.license.invalidExpression
        ? 'not a valid SPDX expression'
        : 'not a license the action knows'
  // The project's own license is the user's to know: only the third-party distributions are in question.
  return [
    ...new Set(
      shipped
        .flatMap((b) => b.distributions)
        .filter((d) => denyVerdict(d.license, denied) === 'undecided')
        .map((d) => `${d.name} ${d.version} (${d.license.invalidExpression ?? licenseText(d.license)}: ${why(d)})`)
    )
  ]
}

/** The distributions of a build whose license the action cannot classify (no SPDX expression, no known family). */
export function unclassifiedDistributions(b: BuildDistributions): string[] {
  return b.distributions.filter((d) => isUnclassified(d.license)).map(label)
}

/** The license files of a build left out of its notices, as `name version: 'file' (why)`. */
export function skippedTexts(b: BuildDistributions): string[] {
  return [...b.distributions, ...(b.project ? [b.project] : [])].flatMap((d) => d.skipped.map((s) => `${d.name} ${d.version}: '${s.file}' ${s.reason}`))
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
  const said = new Set<string>()
  for (const build of builds) {
    const report = await read(build)
    const projectName = config.project.name || config.name || build.name.replace(/\.(exe|app)$/i, '')
    const facts = report.distributions.map((d) => {
      const license = licenseOf(d, d.licenseTexts)
      return { ...d, license, facts: { name: d.name, version: d.version, license, size: d.size, texts: d.licenseTexts.length, skipped: d.skippedTexts } }
    })
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
      leaks: report.leaks,
      problems: report.problems
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
    // The helper reads the whole venv for each build: each problem is said once.
    for (const p of report.problems) {
      const text = `${p.distribution}: ${p.problem}.`
      if (!said.has(text)) core.warning(text)
      said.add(text)
    }
    const skipped = skippedTexts(result)
    if (skipped.length)
      core.warning(
        `${build.name}: ${skipped.length} license file${skipped.length === 1 ? '' : 's'} named by the metadata left out of ${NOTICES_FILE} (only regular files inside the distribution's own folders, of at most ${LIMITS.licenseText} bytes each and ${LIMITS.notices} together, are read): ${skipped.slice(0, 20).join('; ')}${skipped.length > 20 ? '; …' : ''}.`
      )
    const unclassified = unclassifiedDistributions(result)
    if (unclassified.length) core.warning(`${build.name}: licenses the action cannot classify: ${unclassified.join(', ')}.`)
    out.push(result)
  }
  enforceLicenses(config, out)
  return out
}

/** license-deny and license-unknown over every build: throws a StageError naming the distributions. */
export function enforceLicenses(config: Pick<Config, 'licenseDeny' | 'licenseUnknown'>, out: readonly BuildDistributions[]): void {
  const problems: string[] = []
  const deny = config.licenseDeny
  const denied = deniedDistributions(out, deny)
  if (denied.length)
    problems.push(
      `the builds ship ${denied.length === 1 ? 'a distribution' : 'distributions'} under a license that license-deny refuses (${deny.join(', ')}): ${denied.join(', ')}. Remove ${denied.length === 1 ? 'it' : 'them'} from the project's dependencies (or exclude the modules), or the license from license-deny.`
    )
  const undecided = deny.length
    ? undecidedDistributions(out, deny)
    : [...new Set(out.flatMap(unclassifiedDistributions))].map((d) => `${d}: not a license the action knows`)
  if (undecided.length) {
    const what = deny.length
      ? `license-deny (${deny.join(', ')}) cannot tell whether ${undecided.length === 1 ? 'this distribution is' : 'these distributions are'} under a license it refuses`
      : `the action cannot classify the license of ${undecided.length === 1 ? 'this distribution' : 'these distributions'}`
    const text = `${what}: ${undecided.join(', ')}.`
    if (config.licenseUnknown === 'fail')
      problems.push(
        `${text} Check ${undecided.length === 1 ? 'its' : 'their'} license, then set license-unknown: allow to ship ${undecided.length === 1 ? 'it' : 'them'} anyway, or remove ${undecided.length === 1 ? 'it' : 'them'} from the project's dependencies.`
      )
    else if (deny.length) core.warning(`${text} license-unknown is allow: shipped anyway.`)
  }
  if (problems.length) throw new StageError('inspect', problems.join('\n'))
}
