/**
 * The PyInstaller builder: runs PyInstaller on the project's .spec file, or on
 * a spec generated from the entry points (spec.ts), and finds what it made.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { writePlannedFiles } from '../files.js'
import { display, NO_PYTHON_LEAKS, runChecked, type Command } from '../exec.js'
import { StageError } from '../errors.js'
import { cacheLayout, pyinstallerConfigDir } from '../install/index.js'
import type { Platform } from '../platform.js'
import { checkMade, classifyDist, scanDist, type Build, type BuildPaths, type BuildResult } from './builds.js'
import { checkGeneratedInputs } from './checks.js'
import { mergeFolders } from './merge.js'
import { planParts, processCount, runPool, type PartsPlan } from './parallel.js'
import { planSpec, specInput, type Move, type SpecPlan } from './spec.js'
import type { Config } from '../config.js'

/** Runs PyInstaller on a spec file. */
export function pyinstallerCommand(
  python: string,
  spec: string,
  paths: Pick<BuildPaths, 'distDir' | 'workPath'>,
  cwd: string,
  env: Record<string, string | undefined>
): Command {
  return {
    program: python,
    args: ['-m', 'PyInstaller', '--noconfirm', '--distpath', paths.distDir, '--workpath', paths.workPath, spec],
    cwd,
    env: { ...NO_PYTHON_LEAKS, ...env }
  }
}

/** PyInstaller's environment: reproducibility, its cache folder (in the dependency cache), the compression level. */
export function pyinstallerEnv(
  config: Pick<Config, 'compressionLevel' | 'workDir'>,
  reproducible: Record<string, string | undefined>
): Record<string, string | undefined> {
  return {
    ...reproducible,
    PYINSTALLER_CONFIG_DIR: pyinstallerConfigDir(cacheLayout(config)),
    // Read by PyInstaller's archive writers (PyInstaller/archive/writers.py, 6.x) for the PYZ and the one-file payload alike.
    PYINSTALLER_ZLIB_COMPRESSION_LEVEL: String(config.compressionLevel)
  }
}

export async function buildPyInstaller(
  config: Config,
  platform: Platform,
  python: string,
  version: string,
  paths: BuildPaths,
  reproducible: Record<string, string | undefined>
): Promise<BuildResult> {
  const env = pyinstallerEnv(config, reproducible)
  if (config.spec) {
    await runChecked(
      'build',
      pyinstallerCommand(python, config.spec, paths, config.projectDir, env),
      `PyInstaller could not build ${path.relative(config.projectDir, config.spec) || config.spec}: the error is in the lines above.`
    )
    const builds = classifyDist(platform, paths.distDir, scanDist(paths.distDir))
    if (!builds.length)
      throw new StageError(
        'build',
        `PyInstaller finished but ${paths.distDir} holds no executable. Check that the spec defines an EXE (and a COLLECT for a one-folder build).`
      )
    return { builds, entryTimes: [], processes: 1 }
  }
  await checkGeneratedInputs(config, platform, python)
  const input = specInput(config, version)
  if (input.entries.length > 1) {
    const parts = await buildParts(config, python, planParts(platform, input, paths), paths, env)
    if (parts) return parts
  }
  const plan = planSpec(platform, input, paths)
  writePlannedFiles(plan.files)
  return { builds: await runSerial(config, python, plan, paths, env), entryTimes: [], processes: 1 }
}

/** The one spec with every entry point, in one PyInstaller process. */
async function runSerial(config: Config, python: string, plan: SpecPlan, paths: BuildPaths, env: Record<string, string | undefined>): Promise<Build[]> {
  core.info(`Generated ${plan.specPath}:\n${plan.files.find((f) => f.path === plan.specPath)?.content ?? ''}`)
  await runChecked(
    'build',
    pyinstallerCommand(python, plan.specPath, paths, config.projectDir, env),
    'PyInstaller could not build the entry points: the error is in the lines above.'
  )
  applyMoves(plan.moves)
  return checkMade('PyInstaller', plan.builds)
}

function applyMoves(moves: readonly Move[]): void {
  for (const move of moves) {
    fs.mkdirSync(path.dirname(move.to), { recursive: true })
    fs.renameSync(move.from, move.to)
  }
}

/**
 * Several entry points, each in a PyInstaller process of its own, as many at
 * once as there are cores, then laid out as one spec would have (parallel.ts).
 * Returns undefined when the shared folder cannot be assembled (two entry
 * points bring different files under one name), after saying so: the caller
 * then builds them in one process.
 */
async function buildParts(
  config: Config,
  python: string,
  plan: PartsPlan,
  paths: BuildPaths,
  env: Record<string, string | undefined>
): Promise<BuildResult | undefined> {
  writePlannedFiles(plan.files)
  const cores = os.availableParallelism()
  const processes = processCount(cores, plan.parts.length)
  core.info(
    `${plan.parts.length} entry points, each analysed by a PyInstaller process of its own, ${processes} at a time (${cores} core${cores === 1 ? '' : 's'}): ${plan.parts.map((p) => p.name).join(', ')}. ` +
      `Each process's lines start with its entry point's name. The specs: ${plan.parts.map((p) => p.plan.specPath).join(', ')}`
  )
  const configDir = env.PYINSTALLER_CONFIG_DIR ?? ''
  const entryTimes = await runPool(plan.parts, processes, async (part, slot) => {
    const started = Date.now()
    // PyInstaller's binary cache (macOS, strip, upx) is not safe for two processes at once: one folder per lane.
    const laneEnv = { ...env, PYINSTALLER_CONFIG_DIR: path.join(configDir, `process-${slot + 1}`) }
    core.info(`[${part.name}] ${display(pyinstallerCommand(python, part.plan.specPath, part, config.projectDir, laneEnv))}`)
    await runChecked(
      'build',
      pyinstallerCommand(python, part.plan.specPath, part, config.projectDir, laneEnv),
      `PyInstaller could not build the entry point ${part.name}: the error is in the lines above that start with [${part.name}].`,
      { onLine: (line) => core.info(`[${part.name}] ${line}`) }
    )
    const seconds = (Date.now() - started) / 1000
    core.info(`${part.name}: analysed and built in ${seconds.toFixed(1)} s`)
    return { name: part.name, seconds }
  })
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

/** Where two parts clash: the path inside the shared folder, and the entry points that bring it. */
interface Clash {
  readonly folder: string
  readonly path: string
  readonly names: readonly string[]
}

/** Moves every part's build into place; the first clash in the shared folder stops it. */
function placeParts(plan: PartsPlan): Clash | undefined {
  const owners = new Map<string, string>()
  for (const [i, part] of plan.parts.entries())
    for (const placement of plan.placements.filter((pl) => part.plan.builds.some((b) => b.root === pl.from))) {
      fs.mkdirSync(path.dirname(placement.to), { recursive: true })
      if (placement.kind === 'move' || !fs.existsSync(placement.to)) {
        if (placement.kind === 'merge') for (const f of relativeFiles(placement.from)) owners.set(f, part.name)
        fs.renameSync(placement.from, placement.to)
        continue
      }
      const mine = relativeFiles(placement.from)
      const clash = mergeFolders(placement.from, placement.to)
      if (clash) return { folder: placement.to, path: clash, names: [owners.get(clash) ?? plan.parts[0].name, plan.parts[i].name] }
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
