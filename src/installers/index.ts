/**
 * The installers of the package stage: for each format asked for besides
 * archive, the package of one build (layout.ts), written by this action
 * (deb, rpm, the MSI's tables and cabinet) or by the platform's tool (the
 * MSI database: msidb.exe or msibuild; the disk image: hdiutil), signed
 * where the platform signs them, and returned as assets.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import * as io from '@actions/io'
import { archiveTime } from '../archive.js'
import type { Config, FormatName } from '../config.js'
import { StageError } from '../errors.js'
import { runChecked, runCommand } from '../exec.js'
import type { Build } from '../freeze/builds.js'
import type { BuildFacts } from '../inspect/facts.js'
import { runsOn } from '../inspect/describe.js'
import { licenseText } from '../inspect/licenses.js'
import type { BuildDistributions } from '../inspect/distributions.js'
import type { Platform } from '../platform.js'
import { parseSubmission } from '../sign/macos.js'
import { type SignReport, signWindowsFiles } from '../sign/index.js'
import { writeCab } from './cab.js'
import { controlText, debData, debFileName, writeDeb } from './deb.js'
import { dmgFileName, planDmg } from './dmg.js'
import { executablesIn, installedBuild, installEntries } from './layout.js'
import { packageMeta, type PackageMeta } from './meta.js'
import { CABINET, idtFile, idtText, msiDatabaseCommands, msidbCandidates, msidbMissing, planMsi } from './msi.js'
import { rpmFileName, rpmFiles, sha256Hex, writeRpm } from './rpm.js'

export type InstallerFormat = Exclude<FormatName, 'archive'>

/** An installer made: its format, file name and path, and the build it holds. */
export interface Installer {
  readonly format: InstallerFormat
  readonly name: string
  readonly path: string
  readonly build: Build & { readonly facts?: BuildFacts }
  readonly runsOn: ReturnType<typeof runsOn>
}

type FactBuild = Build & { readonly facts?: BuildFacts }

/** Which build each format holds: the one-folder build (a .app first for a disk image), else the one-file executable. */
const PREFERENCE: Readonly<Record<InstallerFormat, readonly Build['mode'][]>> = {
  deb: ['onedir', 'onefile'],
  rpm: ['onedir', 'onefile'],
  msi: ['onedir', 'onefile'],
  dmg: ['app', 'onedir', 'onefile']
}

/** Whether an executable of the build is windowed: its PE subsystem (inspect stage), else its entry point. */
function isWindowed(config: Pick<Config, 'entrypoints'>, build: FactBuild, exe: string): boolean {
  const file = build.facts?.windows?.files.find((f) => !f.facts.dll && path.posix.basename(f.path).toLowerCase() === exe.toLowerCase())
  if (file) return file.facts.subsystem === 'windowed'
  return config.entrypoints.some((e) => e.windowed && `${e.name}.exe`.toLowerCase() === exe.toLowerCase())
}

/** The database tool: MsiDb.exe on Windows (on PATH, as Wine's is, or in a Windows SDK), msibuild (msitools) elsewhere. */
async function msiTool(platform: Platform): Promise<{ kind: 'msidb' | 'msibuild'; program: string }> {
  // Under Wine (a Linux runner building for Windows), the Linux tool: msibuild.
  if (platform.os === 'windows' && !platform.via) {
    const onPath = await io.which('msidb', false)
    if (onPath) return { kind: 'msidb', program: onPath }
    const kits = path.join(process.env['ProgramFiles(x86)'] || 'C:\\Program Files (x86)', 'Windows Kits', '10')
    const bin = path.join(kits, 'bin')
    const found = msidbCandidates(path.join, kits, fs.existsSync(bin) ? fs.readdirSync(bin) : []).find((p) => fs.existsSync(p))
    if (found) return { kind: 'msidb', program: found }
    throw new StageError('package', msidbMissing(kits))
  }
  const msibuild = await io.which('msibuild', false)
  if (msibuild) return { kind: 'msibuild', program: msibuild }
  throw new StageError(
    'package',
    'msi: msibuild (msitools) was not found. Install msitools (apt-get install msitools, brew install msitools), or remove msi from formats.'
  )
}

async function makeDeb(meta: PackageMeta, platform: Platform, build: FactBuild, beside: readonly string[], outputDir: string, work: string): Promise<string> {
  const entries = installEntries(platform, build, beside)
  const data = debData(meta, entries, executablesIn(build))
  const size = entries.reduce((s, e) => s + (e.type === 'file' ? (e.size ?? 0) : 0), 0)
  const file = path.join(outputDir, debFileName(meta, platform.arch))
  await writeDeb(file, controlText(meta, platform.arch, build.facts?.linux?.glibc ?? '', size), data, meta.epoch, work)
  return file
}

async function makeRpm(meta: PackageMeta, platform: Platform, build: FactBuild, beside: readonly string[], outputDir: string, work: string): Promise<string> {
  const data = debData(meta, installEntries(platform, build, beside), executablesIn(build))
  const file = path.join(outputDir, rpmFileName(meta, platform.arch))
  await writeRpm(file, meta, platform.arch, build.facts?.linux?.glibc ?? '', rpmFiles(meta, data, sha256Hex), work)
  return file
}

async function makeMsi(
  config: Config,
  meta: PackageMeta,
  platform: Platform,
  build: FactBuild,
  beside: readonly string[],
  outputDir: string,
  work: string
): Promise<string> {
  const tool = await msiTool(platform)
  const entries = installEntries(platform, build, beside)
  const programs = executablesIn(build).map((e) => ({ ...e, windowed: isWindowed(config, build, e.name) }))
  fs.rmSync(work, { recursive: true, force: true })
  const tablesDir = path.join(work, 'tables')
  fs.mkdirSync(tablesDir, { recursive: true })
  const cab = path.join(work, CABINET)
  // The files' order and keys do not depend on the content id: the cabinet is made first, and its hash names the product.
  const files = planMsi(meta, platform.arch, entries, programs, '').files
  writeCab(
    cab,
    files.map((f) => ({ name: f.key, source: f.source })),
    meta.epoch,
    work
  )
  const plan = planMsi(meta, platform.arch, entries, programs, sha256Hex(cab))
  for (const table of plan.tables) fs.writeFileSync(path.join(tablesDir, idtFile(table)), idtText(table), 'latin1')
  const file = path.join(outputDir, `${meta.name}-${meta.version}-windows-${platform.arch}.msi`)
  fs.rmSync(file, { force: true })
  for (const cmd of msiDatabaseCommands(tool, file, tablesDir, plan.tables, cab))
    await runChecked('package', cmd, `${path.basename(cmd.program)} could not write ${file}.`)
  core.info(`${path.basename(file)}: ProductCode ${plan.productCode}, UpgradeCode ${plan.upgradeCode}, ProductVersion ${plan.productVersion}`)
  if (config.signing.windows) await signWindowsFiles([file], config.signing.windows, platform, config.workDir)
  return file
}

async function makeDmg(meta: PackageMeta, platform: Platform, build: FactBuild, outputDir: string, workDir: string, signed?: SignReport): Promise<string> {
  const file = path.join(outputDir, dmgFileName(meta, platform))
  const plan = planDmg(meta, platform, build, file, workDir, signed?.mac)
  fs.rmSync(plan.staging, { recursive: true, force: true })
  fs.mkdirSync(plan.staging, { recursive: true })
  fs.symlinkSync(plan.link.target, plan.link.path)
  for (const [i, cmd] of plan.commands.entries()) {
    if (i !== plan.submitAt) {
      await runChecked('package', cmd, `Making the disk image ${path.basename(file)} failed.`)
      continue
    }
    const r = await runCommand(cmd)
    const result = parseSubmission(r.stdout)
    if (result?.status !== 'Accepted')
      throw new StageError(
        'package',
        `Apple's notary service answered ${result?.status || 'nothing'} for ${path.basename(file)}${result ? ` (submission ${result.id})` : ''}.`
      )
  }
  return file
}

/** Makes the installers `config.formats` asks for, into output-dir; returns them in the order asked. */
export async function makeInstallers(
  config: Config,
  platform: Platform,
  builds: readonly FactBuild[],
  version: string,
  shipped: readonly BuildDistributions[],
  outputDir: string,
  signed?: SignReport
): Promise<Installer[]> {
  const made: Installer[] = []
  for (const format of config.formats.filter((f): f is InstallerFormat => f !== 'archive')) {
    const build = installedBuild(builds, PREFERENCE[format])
    if (!build) throw new StageError('package', `formats asks for ${format}, but no build was made to put in it.`)
    const distributions = shipped.find((s) => s.root === build.root)
    const meta = packageMeta(
      config,
      path.basename(build.name).replace(/\.(exe|app)$/i, ''),
      version,
      archiveTime(build.sourceDateEpoch),
      distributions?.project ? licenseText(distributions.project.license).replace(/^unknown$/, '') : ''
    )
    const beside = distributions?.beside ?? []
    const work = path.join(config.workDir, 'installers', format)
    core.info(`${format}: ${build.name} (${build.mode}) as the package ${meta.name} ${meta.version}`)
    const file =
      format === 'deb'
        ? await makeDeb(meta, platform, build, beside, outputDir, work)
        : format === 'rpm'
          ? await makeRpm(meta, platform, build, beside, outputDir, work)
          : format === 'msi'
            ? await makeMsi(config, meta, platform, build, beside, outputDir, work)
            : await makeDmg(meta, platform, build, outputDir, config.workDir, signed)
    made.push({ format, name: path.basename(file), path: file, build, runsOn: runsOn(build.facts) })
  }
  return made
}
