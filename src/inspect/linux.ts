/**
 * The Linux facts of a build: the glibc (and libstdc++) every shipped ELF
 * object needs, from their version needs, and the glibc-max check.
 */
import { compareVersions, newestNeeds, type ElfInfo } from './elf.js'
import type { BuildFacts, ElfObjectNeeds, LinuxFacts, Offender } from './facts.js'

/** One ELF object of a build, read. */
export interface ReadElf {
  /** Path inside the build. */
  readonly path: string
  readonly info: ElfInfo
}

const basename = (p: string): string => p.split('/').pop() ?? p

/** The Linux facts of the ELF objects of one build; undefined when it has none. */
export function linuxFacts(objects: readonly ReadElf[], scope: LinuxFacts['scope']): LinuxFacts | undefined {
  if (!objects.length) return undefined
  const objectsNeeds: ElfObjectNeeds[] = [...objects]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((o) => {
      const newest = newestNeeds(o.info.needs)
      return { path: o.path, glibc: newest.GLIBC?.version ?? '', glibcxx: newest.GLIBCXX?.version ?? '', cxxabi: newest.CXXABI?.version ?? '' }
    })
  const max = (key: 'glibc' | 'glibcxx' | 'cxxabi'): string =>
    objectsNeeds.reduce((best, o) => (o[key] && (!best || compareVersions(o[key], best) > 0) ? o[key] : best), '')
  const glibc = max('glibc')
  return {
    scope,
    objects: objects.length,
    glibc,
    glibcOffenders: glibc ? objectsNeeds.filter((o) => o.glibc === glibc).map((o) => ({ path: o.path, needs: `GLIBC_${glibc}` })) : [],
    glibcxx: max('glibcxx'),
    cxxabi: max('cxxabi'),
    shipsLibstdcxx: objects.some((o) => /^libstdc\+\+\.so(\.|$)/.test(basename(o.path))),
    objectsNeeds
  }
}

/** The objects that need more than `limit`, the newest need first, then by path. */
export function objectsAbove(facts: LinuxFacts, limit: string): Offender[] {
  return facts.objectsNeeds
    .filter((o) => o.glibc && compareVersions(o.glibc, limit) > 0)
    .sort((a, b) => compareVersions(b.glibc, a.glibc) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((o) => ({ path: o.path, needs: `GLIBC_${o.glibc}` }))
}

const offenderText = (o: Offender): string => `${o.path} needs ${o.needs}`

/** One line for the log and the job summary: `runs on glibc ≥ 2.36: libexpat.so.1 needs GLIBC_2.36`. */
export function describeLinux(f: LinuxFacts): string {
  const what =
    f.scope === 'outer'
      ? `the executable only (${f.objects} ELF object; its compressed payload is not read)`
      : `${f.objects} ELF object${f.objects === 1 ? '' : 's'} read`
  const floor = f.glibc
    ? `runs on glibc ≥ ${f.glibc}: ${f.glibcOffenders.slice(0, 3).map(offenderText).join(', ')}${f.glibcOffenders.length > 3 ? `, and ${f.glibcOffenders.length - 3} more` : ''}`
    : 'needs no versioned glibc symbol'
  const cxx = f.glibcxx
    ? `; libstdc++ GLIBCXX_${f.glibcxx}${f.cxxabi ? `, CXXABI_${f.cxxabi}` : ''}${f.shipsLibstdcxx ? ' (libstdc++.so.6 ships in the build)' : ' (from the system)'}`
    : ''
  return `${floor}${cxx} (${what})`
}

export interface NamedFacts {
  /** The build's name and mode, e.g. `tiny (onefile)`. */
  readonly label: string
  readonly linux?: LinuxFacts
}

/** The error text when any build needs a newer glibc than `limit`; undefined when all fit (or none has ELF objects). */
export function glibcLimitProblem(limit: string, builds: readonly NamedFacts[]): string | undefined {
  const over = builds.flatMap((b) => (b.linux && b.linux.glibc && compareVersions(b.linux.glibc, limit) > 0 ? [{ label: b.label, facts: b.linux }] : []))
  if (!over.length) return undefined
  const parts = over.map(({ label, facts }) => {
    const above = objectsAbove(facts, limit)
    const shown = above.slice(0, 5).map(offenderText).join('; ')
    return `${label} needs glibc ${facts.glibc}: ${shown}${above.length > 5 ? `; and ${above.length - 5} more object${above.length - 5 === 1 ? '' : 's'} above ${limit}` : ''}.`
  })
  return (
    `glibc-max is ${limit}, and ${over.length === 1 ? 'a build needs' : `${over.length} builds need`} a newer glibc, so ${over.length === 1 ? 'it' : 'they'} would not start on a system with glibc ${limit} ("GLIBC_x.y not found").\n` +
    parts.join('\n') +
    `\nBuild on an older system, e.g. in a job \`container:\` with glibc ${limit} or older (README: "Troubleshooting", GLIBC_x.y not found), or raise glibc-max.`
  )
}

/** The newest glibc any build needs ('' when no build has ELF objects that need one): the `glibc-floor` output. */
export function glibcFloor(builds: readonly { readonly facts?: BuildFacts }[]): string {
  let floor = ''
  for (const b of builds) {
    const g = b.facts?.linux?.glibc
    if (g && (!floor || compareVersions(g, floor) > 0)) floor = g
  }
  return floor
}
