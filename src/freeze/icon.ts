/**
 * Icons: what format a file really is, and whether PyInstaller can use it on
 * a platform (ico on Windows, icns on macOS; a png is converted when Pillow
 * is installed in the build environment; Linux executables carry no icon).
 */
import type { Platform } from '../platform.js'

export type IconFormat = 'ico' | 'icns' | 'png'

/** The format the first bytes of a file show, or undefined. */
export function iconFormat(head: Uint8Array): IconFormat | undefined {
  const b = Array.from(head.slice(0, 8))
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return 'ico'
  if (String.fromCharCode(...b.slice(0, 4)) === 'icns') return 'icns'
  if (b[0] === 0x89 && String.fromCharCode(...b.slice(1, 4)) === 'PNG') return 'png'
  return undefined
}

/** Why an icon file cannot be used (extension and content disagree, or neither is an icon); '' when it can. */
export function iconProblem(file: string, head: Uint8Array): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1].toLowerCase() ?? ''
  const actual = iconFormat(head)
  if (!['ico', 'icns', 'png'].includes(ext)) return `${file} is not an .ico, .icns or .png file.`
  if (!actual) return `${file} is named .${ext} but its content is not an icon (it does not start like an ICO, ICNS or PNG file).`
  if (actual !== ext) return `${file} is named .${ext} but its content is ${actual.toUpperCase()}.`
  return ''
}

/** The native icon format of a platform's executables, or undefined where they carry no icon. */
export function nativeIconFormat(platform: Platform): IconFormat | undefined {
  return platform.os === 'windows' ? 'ico' : platform.os === 'macos' ? 'icns' : undefined
}

/** True when PyInstaller must convert the icon, which needs Pillow. */
export function needsConversion(platform: Platform, format: IconFormat): boolean {
  const native = nativeIconFormat(platform)
  return native !== undefined && format !== native
}
