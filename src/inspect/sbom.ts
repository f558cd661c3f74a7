/**
 * The bill of materials of one build: a CycloneDX 1.6 JSON document whose
 * root component is the project and whose components are the distributions
 * that ship in the build, each with its version, pkg:pypi purl and license.
 * Serialized with the CycloneDX library (@cyclonedx/cyclonedx-library).
 */
// Subpath imports only: the package's main entry loads the validators (ajv, schema files by path), which the bundle must not carry.
import * as Enums from '@cyclonedx/cyclonedx-library/Enums'
import * as Models from '@cyclonedx/cyclonedx-library/Models'
import * as Spec from '@cyclonedx/cyclonedx-library/Spec'
import { JSON as CdxJson, JsonSerializer } from '@cyclonedx/cyclonedx-library/Serialize'
import { PackageURL } from 'packageurl-js'
import { parseExpression, type License } from './licenses.js'

/** What the SBOM says about one distribution. */
export interface SbomComponent {
  readonly name: string
  readonly version: string
  readonly summary: string
  readonly license: License
}

export interface SbomInput {
  /** The project: the root component. */
  readonly project: { readonly name: string; readonly version: string; readonly summary: string }
  /** The shipped distributions, the project excluded. */
  readonly components: readonly SbomComponent[]
  /** The build: its executable or folder name, and its mode. */
  readonly build: { readonly name: string; readonly mode: string; readonly platform: string }
  /** What made the build (PyInstaller 6.22.3). */
  readonly builder: string
  /** SOURCE_DATE_EPOCH, when set: the document's timestamp (none otherwise, so that two builds give the same document). */
  readonly epoch?: number
}

/** `pkg:pypi/{normalized name}@{version}`, as the purl spec writes a PyPI package. */
export function pypiPurl(name: string, version: string): string {
  return new PackageURL('pypi', undefined, name.toLowerCase().replace(/[-_.]+/g, '-'), version || undefined, undefined, undefined).toString()
}

function licenses(l: License): Models.LicenseRepository {
  const repo = new Models.LicenseRepository()
  const parsed = l.expression ? parseExpression(l.expression) : undefined
  if (parsed && 'id' in parsed && !parsed.exception && !parsed.id.startsWith('LicenseRef-') && !parsed.id.endsWith('+'))
    repo.add(new Models.SpdxLicense(parsed.id))
  else if (l.expression) repo.add(new Models.LicenseExpression(l.expression))
  else if (l.names.length) for (const name of l.names) repo.add(new Models.NamedLicense(name))
  else repo.add(new Models.NamedLicense('unknown'))
  return repo
}

/** The CycloneDX 1.6 JSON text of a build's bill of materials. */
export function sbomJson(input: SbomInput): string {
  const bom = new Models.Bom()
  const rootPurl = pypiPurl(input.project.name, input.project.version)
  const root = new Models.Component(Enums.ComponentType.Application, input.project.name, {
    bomRef: rootPurl,
    version: input.project.version || undefined,
    purl: rootPurl,
    description: input.project.summary || undefined
  })
  root.properties.add(new Models.Property('build-standalone:build', input.build.name))
  root.properties.add(new Models.Property('build-standalone:mode', input.build.mode))
  root.properties.add(new Models.Property('build-standalone:platform', input.build.platform))
  bom.metadata.component = root
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'build-standalone'))
  if (input.builder) bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, input.builder))
  if (input.epoch !== undefined) bom.metadata.timestamp = new Date(input.epoch * 1000)
  for (const c of input.components) {
    const purl = pypiPurl(c.name, c.version)
    const component = new Models.Component(Enums.ComponentType.Library, c.name, {
      bomRef: purl,
      version: c.version || undefined,
      purl,
      description: c.summary || undefined,
      licenses: licenses(c.license)
    })
    bom.components.add(component)
    root.dependencies.add(component.bomRef)
  }
  const serializer = new JsonSerializer(new CdxJson.Normalize.Factory(Spec.Spec1dot6))
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`
}
