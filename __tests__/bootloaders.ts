/**
 * PyInstaller's own prebuilt bootloaders for macOS and Windows: real Mach-O and
 * PE files for the inspect parsers' tests. The wheels come from PyPI through
 * pip, once, into node_modules/.cache/pyinstaller-wheels; the bootloaders are
 * read out of them with Python's zipfile (no unzip program needed).
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

const REPO = path.resolve(import.meta.dirname, '..')
export const PYINSTALLER = '6.22.3'
const CACHE = path.join(REPO, 'node_modules', '.cache', 'pyinstaller-wheels')

/** The wheel's platform tag → the bootloader folder inside it. */
export const WHEELS = {
  macosx_10_13_universal2: 'Darwin-64bit',
  win_amd64: 'Windows-64bit-intel',
  win_arm64: 'Windows-64bit-arm'
} as const
export type WheelTag = keyof typeof WHEELS

function run(program: string, args: string[]): void {
  const r = spawnSync(program, args, { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')}: ${r.stderr || r.error}`)
}

function wheel(tag: WheelTag): string {
  const name = `pyinstaller-${PYINSTALLER}-py3-none-${tag}.whl`
  const file = path.join(CACHE, name)
  if (fs.existsSync(file)) return file
  // Into a folder of this process's own, then renamed: two test files may ask at once.
  const scratch = path.join(CACHE, `.download-${process.pid}`)
  run('python3', ['-m', 'pip', 'download', '--quiet', '--only-binary=:all:', '--no-deps', '--platform', tag, `pyinstaller==${PYINSTALLER}`, '-d', scratch])
  if (!fs.existsSync(path.join(scratch, name))) throw new Error(`pip did not download ${name}`)
  fs.renameSync(path.join(scratch, name), file)
  fs.rmSync(scratch, { recursive: true, force: true })
  return file
}

/** The bytes of one bootloader (e.g. 'run', 'runw.exe') of the wheel for `tag`. */
export function bootloader(tag: WheelTag, name: string): Buffer {
  const out = path.join(CACHE, tag, name)
  if (!fs.existsSync(out)) {
    fs.mkdirSync(path.dirname(out), { recursive: true })
    const member = `PyInstaller/bootloader/${WHEELS[tag]}/${name}`
    const part = `${out}.${process.pid}.part` // two test files may extract the same member at once
    const script = 'import sys, zipfile; open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))'
    run('python3', ['-c', script, wheel(tag), member, part])
    fs.renameSync(part, out)
  }
  return fs.readFileSync(out)
}
