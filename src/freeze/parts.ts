/**
 * Running the entry points' specs side by side (planned in parallel.ts), as
 * many at once as the runner has cores: on Linux forked from one process that
 * has built PyInstaller's base module graph (fork-driver.ts), elsewhere each
 * in a fresh PyInstaller process. Then the builds are laid out as one spec
 * would have made them; a clash in the shared folder hands back to the
 * caller, which builds every entry point in one process.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { writePlannedFiles } from '../files.js'
import { display, runChecked, runCommand, tail } from '../exec.js'
import { StageError } from '../errors.js'
import type { Platform } from '../platform.js'
import type { Config } from '../config.js'
import { applyMoves, checkMade, type BuildPaths, type BuildResult, type EntryTime } from './builds.js'
import { driverCommand, driverEvent, FORK_DRIVER_SCRIPT, type DriverRequest } from './fork-driver.js'
import { mergeFolders } from './merge.js'
import { processCount, runPool, type PartsPlan, type SpecPart } from './parallel.js'
import { pyinstallerArgs, pyinstallerCommand } from './pyinstaller-command.js'

type Env = Record<string, string | undefined>

/**
 * Builds the parts and lays them out; undefined when the shared folder cannot
 * be assembled (two entry points bring different files under one name), after
 * saying so.
 */
export async function buildParts(
  config: Config,
  platform: Platform,
  python: string,
  plan: PartsPlan,
  paths: BuildPaths,
  env: Env
): Promise<BuildResult | undefined> {
  writePlannedFiles(plan.files)
  const cores = os.availableParallelism()
  const processes = processCount(cores, plan.parts.length)
  const fork = platform.os === 'linux'
  core.info(
    `${plan.parts.length} entry points, each analysed by a PyInstaller process of its own${fork ? ' (forked from one that built the base module graph once)' : ''}, ` +
      `${processes} at a time (${cores} core${cores === 1 ? '' : 's'}): ${plan.parts.map((p) => p.name).join(', ')}. ` +
      `Each process's lines start with its entry point's name. The specs: ${plan.parts.map((p) => p.plan.specPath).join(', ')}`
  )
  // PyInstaller's binary cache (macOS, strip, upx) is not safe for two processes at once: one folder per lane.
  const laneDir = (slot: number): string => path.join(env.PYINSTALLER_CONFIG_DIR ?? '', `process-${slot + 1}`)
  const entryTimes = fork
    ? await runForked(config, python, plan, paths, env, processes, laneDir)
    : await runFresh(config, python, plan, env, processes, laneDir)
  for (const time of entryTimes) core.info(`${time.name}: analysed and built in ${time.seconds.toFixed(1)} s`)
  for (const part of plan.parts) applyMoves(part.plan.moves)
  const clash = placeParts(plan)
  if (!clash) return { builds: checkMade('PyInstaller', plan.builds), entryTimes, processes }
  core.warning(
    `${clash.names.join(' and ')} bring different files named ${clash.path} into the shared one-folder build ${path.basename(clash.folder)}, so it cannot be assembled from separate processes. ` +
      'Building every entry point in one PyInstaller process instead, as one spec (its COLLECT keeps the first entry point’s file).'
  )
  for (const dir of [paths.distDir, paths.onedirDir]) fs.rmSync(dir, { recursive: true, force: true })
  return undefined
}

const partArgs = (part: SpecPart, config: Config): string[] => pyinstallerArgs(part.plan.specPath, part, config.builderArgs)

/** Each part in a fresh `python -m PyInstaller` process, at most `processes` at once. */
async function runFresh(config: Config, python: string, plan: PartsPlan, env: Env, processes: number, laneDir: (slot: number) => string): Promise<EntryTime[]> {
  return runPool(plan.parts, processes, async (part, slot) => {
    const started = Date.now()
    const cmd = pyinstallerCommand(python, part.plan.specPath, part, config.projectDir, { ...env, PYINSTALLER_CONFIG_DIR: laneDir(slot) }, config.builderArgs)
    core.info(`[${part.name}] ${display(cmd)}`)
    await runChecked(
      'build',
      cmd,
      `PyInstaller could not build the entry point ${part.name}: the error is in the lines above that start with [${part.name}].`,
      {
        onLine: (line) => core.info(`[${part.name}] ${line}`)
      }
    )
    return { name: part.name, seconds: (Date.now() - started) / 1000 }
  })
}

/** Every part forked from the driver after its warm-up (fork-driver.ts), at most `processes` at once. */
async function runForked(
  config: Config,
  python: string,
  plan: PartsPlan,
  paths: BuildPaths,
  env: Env,
  processes: number,
  laneDir: (slot: number) => string
): Promise<EntryTime[]> {
  const warmup = plan.warmup
  writePlannedFiles(warmup.plan.files)
  const script = path.join(paths.specDir, 'build-standalone-fork-driver.py')
  fs.writeFileSync(script, FORK_DRIVER_SCRIPT)
  const request: DriverRequest = {
    configDirs: Array.from({ length: processes }, (_, slot) => laneDir(slot)),
    warmup: partArgs(warmup, config),
    parts: plan.parts.map((part) => ({ name: part.name, args: partArgs(part, config) }))
  }
  const requestFile = path.join(paths.specDir, 'build-standalone-parts.json')
  fs.writeFileSync(requestFile, `${JSON.stringify(request, null, 2)}\n`)
  const cmd = driverCommand(python, script, requestFile, config.projectDir, env)
  core.info(display(cmd))
  const times: EntryTime[] = []
  const failed: string[] = []
  const result = await runCommand(cmd, {
    onLine: (line) => {
      const event = driverEvent(line)
      if (!event) core.info(line)
      else if ('warmup' in event)
        core.info(`The base module graph was built in ${event.warmup.toFixed(1)} s${event.exitCode ? `, and failed (exit code ${event.exitCode})` : ''}.`)
      else if (event.exitCode === 0) times.push({ name: event.name, seconds: event.seconds })
      else failed.push(`${event.name} (exit code ${event.exitCode})`)
    }
  })
  if (result.exitCode !== 0)
    throw new StageError(
      'build',
      failed.length
        ? `PyInstaller could not build the entry point${failed.length === 1 ? '' : 's'} ${failed.join(', ')}: the error is in the lines above that start with its name in brackets.`
        : `\`${display(cmd)}\` exited with code ${result.exitCode} before it built an entry point: ${tail(result.stdout + result.stderr, 10)}`
    )
  return plan.parts.map((part) => times.find((t) => t.name === part.name) ?? { name: part.name, seconds: 0 })
}

/** Where two parts clash: the path inside the shared folder, and the entry points that bring it. */
interface Clash {
  readonly folder: string
  readonly path: string
  readonly names: readonly string[]
}

/** Moves every part's build into place; the first clash in the shared folder stops it. */
function placeParts(plan: PartsPlan): Clash | undefined {
  const owners = new Map<string, string>()
  for (const part of plan.parts)
    for (const placement of plan.placements.filter((pl) => part.plan.builds.some((b) => b.root === pl.from))) {
      fs.mkdirSync(path.dirname(placement.to), { recursive: true })
      if (placement.kind === 'move' || !fs.existsSync(placement.to)) {
        if (placement.kind === 'merge') for (const f of relativeFiles(placement.from)) owners.set(f, part.name)
        fs.renameSync(placement.from, placement.to)
        continue
      }
      const mine = relativeFiles(placement.from)
      const clash = mergeFolders(placement.from, placement.to)
      if (clash) return { folder: placement.to, path: clash, names: [owners.get(clash) ?? plan.parts[0].name, part.name] }
      for (const f of mine) if (!owners.has(f)) owners.set(f, part.name)
    }
  return undefined
}

/** Every file and link below `dir`, relative, forward slashes. */
function relativeFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? [] : [path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/')]))
}
