/**
 * license-unknown, and the license inputs with builder nuitka (issue 22,
 * defect 4): a license the action cannot classify fails the build under
 * license-deny unless license-unknown is allow; with Nuitka, whose builds are
 * not read for licenses, the inputs are refused instead of silently not
 * enforced.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { inputErrorOf, readInputs, tempWorkspace } from '../../__fixtures__/read-config.js'
import { readLicenseUnknown } from '../../src/inputs/licenses.js'

const ws = tempWorkspace('license-inputs-')
afterAll(() => ws.remove())
const read = (inputs: Record<string, string>) => readInputs({ 'project-path': 'proj', ...inputs }, ws.env)

describe('license-unknown', () => {
  it('is fail by default with license-deny, allow without it; fail and allow in any case', () => {
    expect(read({}).licenseUnknown).toBe('allow')
    expect(read({ 'license-deny': 'GPL-3.0-only' }).licenseUnknown).toBe('fail')
    expect(read({ 'license-deny': 'GPL-3.0-only', 'license-unknown': 'Allow' }).licenseUnknown).toBe('allow')
    expect(read({ 'license-unknown': 'FAIL' }).licenseUnknown).toBe('fail')
    expect(readLicenseUnknown(' allow ', [])).toBe('allow')
  })

  it('refuses anything else, naming the input and both values', () => {
    for (const bad of ['warn', 'true', 'ignore', 'fail allow']) {
      const e = inputErrorOf(() => read({ 'license-unknown': bad }), { 'license-unknown': bad })
      expect(e.input).toBe('license-unknown')
      expect(e.message).toBe(
        `Input 'license-unknown': '${bad}' is not fail or allow. Write fail (a shipped distribution whose license the action cannot classify fails the build; the default with license-deny) or allow (it is reported in the job summary).`
      )
    }
  })
})

describe('license inputs with builder nuitka', () => {
  it.each(['license-deny', 'license-unknown'])('refuses %s: Nuitka builds are not read for licenses', (input) => {
    const inputs = { builder: 'nuitka', [input]: input === 'license-deny' ? 'GPL-3.0-only' : 'fail' }
    const e = inputErrorOf(() => read(inputs), inputs)
    expect(e.input).toBe(input)
    expect(e.message).toBe(
      `Input '${input}': is set, and builder is nuitka: the action reads the licenses of what a PyInstaller build ships, not yet of a Nuitka build, so it could not be enforced. Remove ${input}, or set builder: pyinstaller.`
    )
  })

  it('takes Nuitka without them', () => {
    expect(read({ builder: 'nuitka' }).licenseDeny).toEqual([])
  })
})
