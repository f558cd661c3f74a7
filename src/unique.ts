/** The first two items that share a key (archive names, artifact names, executable names), or undefined. */
export function firstCollision<T>(items: readonly T[], key: (item: T) => string): [T, T] | undefined {
  const seen = new Map<string, T>()
  for (const item of items) {
    const k = key(item)
    const other = seen.get(k)
    if (other !== undefined) return [other, item]
    seen.set(k, item)
  }
  return undefined
}
