/**
 * The machine a build is made on, as far as it decides the build's bytes: the
 * runner's image (GitHub's hosted runners name it), the operating system's
 * release and C library (PyInstaller collects system libraries on Linux), the
 * interpreter's exact build, and for Nuitka the C compilers on PATH.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as io from '@actions/io'
import { NO_PYTHON_LEAKS, runCommand } from '../exec.js'
import type { Platform } from '../platform.js'
import type { BuilderName } from '../config.js'
import { KeyDoubt } from './key.js'

/** `ID VERSION_ID` from an os-release file's text ('' when neither is there). */
export function osRelease(text: string): string {
  const field = (name: string): string => new RegExp(`^${name}=("?)(.*)\\1$`, 'm').exec(text)?.[2] ?? ''
  return [field('ID'), field('VERSION_ID')].filter(Boolean).join(' ')
}

/** The runner image (ImageOS, ImageVersion on GitHub's hosted runners), the OS release, the C library. */
export function machineFacts(platform: Platform, env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const facts: string[] = []
  if (env.ImageOS || env.ImageVersion) facts.push(`image ${env.ImageOS ?? ''} ${env.ImageVersion ?? ''}`.trim())
  if (platform.os === 'linux') {
    const release = ['/etc/os-release', '/usr/lib/os-release'].map((f) => (fs.existsSync(f) ? osRelease(fs.readFileSync(f, 'utf8')) : '')).find(Boolean)
    facts.push(`os ${release || 'unknown'}`)
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
    facts.push(`glibc ${header?.glibcVersionRuntime ?? 'none'}`)
  } else facts.push(`os ${platform.os} ${os.release()}`)
  return facts
}

const PYTHON_FACTS = 'import json,sys,sysconfig;print(json.dumps([sys.version,sys.executable,sysconfig.get_platform()]))'

/** The interpreter's exact build: version string (with its build date and compiler), path and platform tag. */
export async function pythonFacts(python: string): Promise<string> {
  const r = await runCommand({ program: python, args: ['-c', PYTHON_FACTS], env: NO_PYTHON_LEAKS }, { silent: true })
  const last = r.stdout.trim().split('\n').pop() ?? ''
  if (r.exitCode !== 0 || !last.startsWith('[')) throw new KeyDoubt(`${python} did not say what it is`)
  return `python ${(JSON.parse(last) as string[]).join(' | ')}`
}

/** Nuitka compiles C: the first line of `--version` of each C compiler on PATH. */
export async function compilerFacts(builder: BuilderName): Promise<string[]> {
  if (builder !== 'nuitka') return []
  const out: string[] = []
  for (const name of ['gcc', 'clang', 'cc']) {
    const found = await io.which(name, false)
    if (!found) continue
    const r = await runCommand({ program: found, args: ['--version'] }, { silent: true }).catch(() => undefined)
    out.push(`${name} ${r?.exitCode === 0 ? (r.stdout.split('\n')[0] ?? '').trim() : 'does not say its version'}`)
  }
  return out
}
