import { describe, it, expect } from '@jest/globals'
import { iconFormat, iconProblem, nativeIconFormat, needsConversion } from '../../src/freeze/icon.js'
import { platformFor } from '../../src/platform.js'

const linux = platformFor('linux', 'x64')
const windows = platformFor('win32', 'x64')
const mac = platformFor('darwin', 'arm64')

const ICO = Uint8Array.from([0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10])
const ICNS = Uint8Array.from([0x69, 0x63, 0x6e, 0x73, 0x00, 0x00, 0x10, 0x00])
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const CUR = Uint8Array.from([0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x10, 0x10])
const BMP = Uint8Array.from([0x42, 0x4d, 0x36, 0x00, 0x00, 0x00, 0x00, 0x00])
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46])

describe('iconFormat', () => {
  it('recognizes ICO, ICNS and PNG headers', () => {
    expect(iconFormat(ICO)).toBe('ico')
    expect(iconFormat(ICNS)).toBe('icns')
    expect(iconFormat(PNG)).toBe('png')
  })

  it('needs only the first four bytes', () => {
    expect(iconFormat(PNG.slice(0, 4))).toBe('png')
    expect(iconFormat(ICNS.slice(0, 4))).toBe('icns')
  })

  it('is undefined for anything else', () => {
    expect(iconFormat(CUR)).toBeUndefined()
    expect(iconFormat(BMP)).toBeUndefined()
    expect(iconFormat(JPEG)).toBeUndefined()
    expect(iconFormat(new Uint8Array())).toBeUndefined()
    expect(iconFormat(Uint8Array.from([0x89, 0x50, 0x4e]))).toBeUndefined()
    expect(iconFormat(Uint8Array.from([0x49, 0x43, 0x4e, 0x53]))).toBeUndefined()
    expect(iconFormat(new TextEncoder().encode('PNG file'))).toBeUndefined()
  })
})

describe('iconProblem', () => {
  it('is empty when the extension matches the content, in any case', () => {
    expect(iconProblem('icons/app.ico', ICO)).toBe('')
    expect(iconProblem('icons/app.icns', ICNS)).toBe('')
    expect(iconProblem('icons/app.png', PNG)).toBe('')
    expect(iconProblem('icons/APP.PNG', PNG)).toBe('')
  })

  it('refuses an extension that is not an icon', () => {
    expect(iconProblem('icons/app.bmp', BMP)).toBe('icons/app.bmp is not an .ico, .icns or .png file.')
    expect(iconProblem('icons/app.bmp', PNG)).toBe('icons/app.bmp is not an .ico, .icns or .png file.')
    expect(iconProblem('icons/app', PNG)).toBe('icons/app is not an .ico, .icns or .png file.')
  })

  it('refuses content that is no icon', () => {
    expect(iconProblem('icons/app.ico', BMP)).toBe(
      'icons/app.ico is named .ico but its content is not an icon (it does not start like an ICO, ICNS or PNG file).'
    )
    expect(iconProblem('icons/App.PNG', JPEG)).toBe(
      'icons/App.PNG is named .png but its content is not an icon (it does not start like an ICO, ICNS or PNG file).'
    )
  })

  it('refuses an extension that disagrees with the content', () => {
    expect(iconProblem('icons/app.ico', PNG)).toBe('icons/app.ico is named .ico but its content is PNG.')
    expect(iconProblem('icons/app.icns', ICO)).toBe('icons/app.icns is named .icns but its content is ICO.')
    expect(iconProblem('icons/app.png', ICNS)).toBe('icons/app.png is named .png but its content is ICNS.')
  })
})

describe('nativeIconFormat', () => {
  it('is ico on Windows, icns on macOS, none on Linux', () => {
    expect(nativeIconFormat(windows)).toBe('ico')
    expect(nativeIconFormat(platformFor('win32', 'arm64'))).toBe('ico')
    expect(nativeIconFormat(mac)).toBe('icns')
    expect(nativeIconFormat(linux)).toBeUndefined()
  })
})

describe('needsConversion', () => {
  const platforms = { windows, macos: mac, linux }
  it.each([
    ['windows', 'ico', false],
    ['windows', 'png', true],
    ['windows', 'icns', true],
    ['macos', 'icns', false],
    ['macos', 'png', true],
    ['macos', 'ico', true],
    ['linux', 'ico', false],
    ['linux', 'icns', false],
    ['linux', 'png', false]
  ] as const)('%s with %s → %s', (os, format, expected) => {
    expect(needsConversion(platforms[os], format)).toBe(expected)
  })
})
