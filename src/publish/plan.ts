/**
 * What to publish, decided from the inputs and the run's environment: whether
 * to upload artifacts, their names, and whether to attach release assets.
 */
import { InputError } from '../errors.js'
import type { Asset } from '../package.js'
import type { Platform } from '../platform.js'
import { firstCollision } from '../unique.js'
import type { UploadWhen } from '../config.js'

export const TEMPLATE_VARIABLES = ['file', 'stem', 'os', 'arch', 'version', 'mode'] as const

/** True when the ref is a pushed tag. */
export const isTag = (ref: string): boolean => ref.startsWith('refs/tags/')

export function shouldUpload(when: UploadWhen, ref: string): boolean {
  return when === 'always' || (when === 'tags' && isTag(ref))
}

/** Characters GitHub refuses in artifact names. */
const BAD_ARTIFACT_CHARS = /["<>|*?:\\/\r\n]/

/** Checks an artifact-name template: known {variables} only. Throws an InputError. */
export function checkTemplate(template: string): void {
  for (const m of template.matchAll(/\{([^}]*)\}/g))
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(m[1]))
      throw new InputError('artifact-name', `'{${m[1]}}' is not a template variable.`, `Use ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(', ')}.`)
  const rest = template.replace(/\{[^}]*\}/g, '')
  if (BAD_ARTIFACT_CHARS.test(rest))
    throw new InputError('artifact-name', `'${template}' has a character artifact names cannot hold (" : < > | * ? \\ / or a line break).`, 'Remove it.')
}

/** The archive name without its .tar.gz / .zip ending. */
export const stem = (file: string): string => file.replace(/\.(tar\.gz|zip|txt|deb|rpm|msi|dmg)$/, '')

export function renderTemplate(template: string, vars: Readonly<Record<(typeof TEMPLATE_VARIABLES)[number], string>>): string {
  return template.replace(/\{([a-z]+)\}/g, (_, v: keyof typeof vars) => vars[v])
}

export interface PlannedArtifact {
  readonly asset: Asset
  readonly name: string
  /** Upload the file as it is (its own name), not wrapped in a zip. */
  readonly skipArchive: boolean
}

/**
 * One artifact per archive and one for the checksums. Without a template each
 * file is uploaded as it is, under its own name (unique per os and arch); with
 * one, each is wrapped in an uncompressed zip named by the template.
 */
export function planArtifacts(assets: readonly Asset[], template: string, platform: Pick<Platform, 'os' | 'arch'>, version: string): PlannedArtifact[] {
  const planned = assets.map((asset) =>
    template
      ? {
          asset,
          skipArchive: false,
          name: renderTemplate(template, { file: asset.name, stem: stem(asset.name), os: platform.os, arch: platform.arch, version, mode: asset.mode })
        }
      : { asset, skipArchive: true, name: asset.name }
  )
  const clash = firstCollision(planned, (p) => p.name)
  if (clash)
    throw new InputError(
      'artifact-name',
      `'${template}' names both ${clash[0].asset.name} and ${clash[1].asset.name} '${clash[1].name}'.`,
      'Put {file} or {stem} in the template so that every file gets its own artifact.'
    )
  return planned
}

/** The tag of a tag ref, '' otherwise. */
export const tagName = (ref: string): string => (isTag(ref) ? ref.slice('refs/tags/'.length) : '')
