/** Every workflow, and the action it uses from this repository, passes actionlint (pinned, from `go install`). */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { REPO, tempDir } from './harness.js'

const ACTIONLINT = process.env.ACTIONLINT_BIN || path.join(os.homedir(), 'go', 'bin', 'actionlint')

describe('actionlint', () => {
  it('finds nothing in .github/workflows', () => {
    const workflows = fs.readdirSync(path.join(REPO, '.github', 'workflows')).map((f) => path.join('.github', 'workflows', f))
    expect(workflows.length).toBeGreaterThanOrEqual(2)
    const r = spawnSync(ACTIONLINT, workflows, { cwd: REPO, encoding: 'utf8' })
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it('would catch a broken workflow (it is really linting)', () => {
    const dir = tempDir('actionlint')
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true })
    fs.writeFileSync(
      path.join(dir, '.github', 'workflows', 'bad.yml'),
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n'
    )
    const r = spawnSync(ACTIONLINT, ['.github/workflows/bad.yml'], { cwd: dir, encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('property "nope" is not defined')
  })
})
