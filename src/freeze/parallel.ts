/**
 * Entry points analysed side by side. PyInstaller runs the Analyses of one
 * spec one after another in one process; a build with several entry points
 * instead gets one spec per entry point (the same Analysis, the same EXEs,
 * a COLLECT of its own), each run by its own PyInstaller process, as many at
 * once as the runner has cores. The results are then laid out as one spec
 * would have made them: the one-file executables (and macOS .app bundles)
 * where they belong, and the one-folder parts merged into one shared folder,
 * the files the executables share once. When two parts bring different files
 * under one name, the folder cannot be merged safely: the caller then builds
 * the one spec that holds every entry point in one process (the serial plan).
 *
 * Each entry point always gets a fresh process, whatever the number of cores,
 * so an executable's bytes do not depend on the runner's core count nor on
 * which entry point a process built before it (marshal output depends on the
 * process's history). Pure planning here; the pool runs what it is given.
 */
import type { PlannedFile } from '../files.js'
import type { Platform } from '../platform.js'
import type { Build } from './builds.js'
import type { EntryPoint } from '../config.js'
import { planSpec, type SpecInput, type SpecPaths, type SpecPlan } from './spec.js'

/** One entry point's share of the build: its own spec, run by its own PyInstaller process. */
export interface SpecPart {
  /** The entry point's name. */
  readonly name: string
  readonly plan: SpecPlan
  /** The part's --distpath and --workpath. */
  readonly distDir: string
  readonly workPath: string
}

/** Where a part's build goes once every part is made. */
export interface Placement {
  readonly from: string
  readonly to: string
  /** move: a one-file executable or a .app bundle; merge: a share of the one-folder build. */
  readonly kind: 'move' | 'merge'
}

export interface PartsPlan {
  readonly parts: readonly SpecPart[]
  /** Every file to write before the runs: the parts' specs, and the serial spec with the wrappers they share. */
  readonly files: readonly PlannedFile[]
  readonly placements: readonly Placement[]
  /** The builds once placed: the serial plan's. */
  readonly builds: readonly Build[]
  /** The one spec with every entry point, for a build in one process. */
  readonly serial: SpecPlan
  /** The warm-up spec, for parts forked from one process (fork-driver.ts); its files are not among `files`. */
  readonly warmup: SpecPart
}

/** The spec file name of an entry point's part (beside the serial spec, its wrapper and version file). */
export const partSpecName = (name: string): string => `${name}.part.spec`

/** The parts of a build from several entry points; `partsDir` holds each part's dist and work folders. */
export function planParts(platform: Platform, input: SpecInput, paths: SpecPaths & { readonly partsDir: string }): PartsPlan {
  const p = platform.path
  const serial = planSpec(platform, input, paths)
  const files = new Map(serial.files.map((f) => [f.path, f]))
  const placements: Placement[] = []
  const parts = input.entries.map((entry, i) => {
    const dir = p.join(paths.partsDir, String(i + 1))
    const distDir = p.join(dir, 'dist')
    const plan = planSpec(
      platform,
      { ...input, entries: [entry] },
      { specDir: paths.specDir, distDir, onedirDir: p.join(dir, 'onedir'), specName: partSpecName(entry.name) }
    )
    for (const f of plan.files) {
      const seen = files.get(f.path)
      if (seen && seen.content !== f.content) throw new Error(`planParts: two contents planned for ${f.path}`)
      files.set(f.path, f)
    }
    for (const b of plan.builds) {
      const target = serial.builds.find((s) => s.mode === b.mode && s.name === b.name)
      if (!target) throw new Error(`planParts: the part for ${entry.name} makes ${b.name} (${b.mode}), which the serial plan does not`)
      placements.push({ from: b.root, to: target.root, kind: b.mode === 'onedir' ? 'merge' : 'move' })
    }
    return { name: entry.name, plan, distDir, workPath: p.join(dir, 'work') }
  })
  return { parts, files: [...files.values()], placements, builds: serial.builds, serial, warmup: planWarmup(platform, input, paths) }
}

/** The warm-up spec's file and its script (fork-driver.ts): an Analysis of an empty script. */
export const WARMUP_SPEC = 'build-standalone-warm-up.spec'
export const WARMUP_SCRIPT = 'build-standalone-warm-up.py'

/** The warm-up's spec, script and folders: one Analysis of an empty script with the parts' excludes and hooks, and nothing else. */
export function planWarmup(platform: Platform, input: SpecInput, paths: SpecPaths & { readonly partsDir: string }): SpecPart {
  const p = platform.path
  const dir = p.join(paths.partsDir, 'warm-up')
  const script = p.join(paths.specDir, WARMUP_SCRIPT)
  const entry: EntryPoint = {
    name: 'warm-up',
    target: { kind: 'script', path: script },
    windowed: false,
    source: "PyInstaller's base module graph, built once"
  }
  const spec = planSpec(
    platform,
    { ...input, entries: [entry], onefile: false, onedir: false, hiddenImports: [], collect: [], datas: [] },
    { specDir: paths.specDir, distDir: p.join(dir, 'dist'), onedirDir: p.join(dir, 'onedir'), specName: WARMUP_SPEC }
  )
  const plan = {
    ...spec,
    files: [...spec.files, { path: script, content: '# Generated by build-standalone: nothing to analyse but what every program needs.\n' }]
  }
  return { name: entry.name, plan, distDir: p.join(dir, 'dist'), workPath: p.join(dir, 'work') }
}

/**
 * Whether the entry points are built side by side: when there are several, and
 * not under Wine (a `target` built on another system), where they stay in one
 * process: several Windows PyInstaller processes in one Wine prefix are not tested.
 */
export function sideBySide(entries: number, via: string | undefined): boolean {
  return entries > 1 && !via
}

/** How many parts run at once: the cores, at most the number of parts, at least one. */
export function processCount(cores: number, parts: number): number {
  return Math.max(1, Math.min(Math.floor(cores) || 1, parts))
}

/**
 * Runs `work` on every item, at most `size` at a time, in order of the items;
 * `slot` (0 … size-1) says which of the `size` lanes runs it, so that two
 * items never share a lane's resources at once. After a failure no new item
 * starts; the ones running finish, then the first failure is thrown.
 */
export async function runPool<T, R>(items: readonly T[], size: number, work: (item: T, slot: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  let failure: { error: unknown } | undefined
  const lane = async (slot: number): Promise<void> => {
    while (next < items.length && !failure) {
      const i = next++
      try {
        results[i] = await work(items[i], slot)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, (_, slot) => lane(slot)))
  if (failure) throw failure.error
  return results
}
