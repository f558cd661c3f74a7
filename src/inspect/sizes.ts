/**
 * What the shipped distributions weigh: the largest, and the total, in bytes
 * before compression.
 */

export interface Sized {
  readonly name: string
  readonly size: number
}

/** The `n` largest, largest first (ties by name). */
export function largest<T extends Sized>(items: readonly T[], n = 10): T[] {
  return [...items].sort((a, b) => b.size - a.size || a.name.localeCompare(b.name)).slice(0, n)
}

export function totalSize(items: readonly Sized[]): number {
  return items.reduce((sum, i) => sum + i.size, 0)
}
