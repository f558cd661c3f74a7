/**
 * Everything written to stdout and stderr while a function runs (core.info,
 * core.error, workflow commands and the rest), for tests that check the log.
 */

/** Starts recording stdout and stderr; the returned function stops and gives what was written. */
function record(): () => string {
  const chunks: string[] = []
  const out = process.stdout.write
  const err = process.stderr.write
  const recorder = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    ;(rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.()
    return true
  }) as typeof process.stdout.write
  process.stdout.write = recorder
  process.stderr.write = recorder
  return () => {
    process.stdout.write = out
    process.stderr.write = err
    return chunks.join('')
  }
}

/** Runs `fn` with stdout and stderr recorded; an error it throws is returned, not thrown. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ output: string; result: T | Error }> {
  const stop = record()
  let result: T | Error
  try {
    result = await fn()
  } catch (e) {
    result = e as Error
  }
  return { output: stop(), result }
}

/** The same for synchronous code: the output only (what `fn` throws is thrown, after recording stops). */
export function captureOutputSync(fn: () => void): string {
  const stop = record()
  try {
    fn()
  } catch (e) {
    stop()
    throw e
  }
  return stop()
}
