// Checks a release tag of this repository before it is published, and prints the release notes:
//   node scripts/release-check.mjs v1.2.3 owner/name > notes.md
// Fails (exit 1, reasons on stderr) when the tag is not vX.Y.Z, package.json says another version, CHANGELOG.md has
// no section for the version, or the reusable workflow names this repository's actions at another ref than the major
// tag (v1) that the release moves. check-dist (dist/ matches src/) runs beside it in release.yml.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The section of CHANGELOG.md for `version` (`## [1.2.3] - date` or `## 1.2.3`), without its heading. */
export function changelogSection(changelog, version) {
  const lines = changelog.split('\n')
  const heading = new RegExp(`^## \\[?v?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`)
  const start = lines.findIndex((l) => heading.test(l))
  if (start < 0) return undefined
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l))
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim()
}

/** `uses:` lines of a workflow that name `repository` (its root action, sub-actions or workflows), with their refs. */
export function selfReferences(workflow, repository) {
  const out = []
  const escaped = repository.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  for (const m of workflow.matchAll(new RegExp(`uses:\\s*['"]?(${escaped}(?:/[^@\\s'"]*)?)@([^\\s'"#]+)`, 'gi'))) out.push({ uses: m[1], ref: m[2] })
  return out
}

/** Every problem with releasing `tag`; empty when it may be released. */
export function releaseProblems({ tag, repository, packageVersion, changelog, workflow }) {
  const problems = []
  const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag)
  if (!m) return [`${tag} is not a release tag (vMAJOR.MINOR.PATCH).`]
  const version = tag.slice(1)
  if (packageVersion !== version) problems.push(`package.json says version ${packageVersion}, the tag ${tag}: set "version": "${version}" and tag again.`)
  const notes = changelogSection(changelog, version)
  if (notes === undefined) problems.push(`CHANGELOG.md has no section for ${version}: add '## [${version}] - YYYY-MM-DD' with the changes.`)
  else if (!notes) problems.push(`CHANGELOG.md's section for ${version} is empty.`)
  const major = `v${m[1]}`
  const refs = selfReferences(workflow, repository)
  if (!refs.length)
    problems.push(
      `.github/workflows/standalone.yml names no action of ${repository}: its uses: lines must name this repository (replace the placeholder owner) at ${major}.`
    )
  for (const r of refs)
    if (r.ref !== major) problems.push(`.github/workflows/standalone.yml uses ${r.uses}@${r.ref}, not @${major}, the tag this release moves.`)
  return problems
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [tag, repository] = process.argv.slice(2)
  if (!tag || !repository) {
    console.error('usage: node scripts/release-check.mjs vX.Y.Z owner/name')
    process.exit(2)
  }
  const read = (f) => readFileSync(new URL(`../${f}`, import.meta.url), 'utf8')
  const problems = releaseProblems({
    tag,
    repository,
    packageVersion: JSON.parse(read('package.json')).version,
    changelog: read('CHANGELOG.md'),
    workflow: read('.github/workflows/standalone.yml')
  })
  if (problems.length) {
    for (const p of problems) console.error(`::error::${p}`)
    process.exit(1)
  }
  process.stdout.write(`${changelogSection(read('CHANGELOG.md'), tag.slice(1))}\n`)
}
