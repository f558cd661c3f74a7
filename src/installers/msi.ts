/**
 * A Windows Installer package (.msi) as tables: the planner turns the build
 * into the rows of each table (per-user install under
 * %LOCALAPPDATA%\Programs\{name}, Start-menu shortcuts for windowed programs,
 * the folder of console programs appended to the user's PATH, a major upgrade
 * that replaces any other version of the same UpgradeCode, a newer one
 * refusing a downgrade), written as text archive (.idt) files that the
 * platform's database tool imports: msidb.exe (Windows SDK; Wine's builtin)
 * or msibuild (msitools) elsewhere. The files go into one cabinet (cab.ts)
 * added as the `app.cab` stream. Every GUID is derived (UUID v5), so the same
 * build gives the same package.
 */
import { createHash } from 'node:crypto'
import type { Command } from '../exec.js'
import type { Arch } from '../platform.js'
import type { InstallEntry } from './layout.js'
import type { PackageMeta } from './meta.js'

/** The namespace of every GUID the action derives (a random UUID, fixed once). */
export const GUID_NAMESPACE = '6b2f5f0e-8d0c-4c2a-9a55-2f3c7f1d4b9e'

/** An RFC 4122 version 5 UUID of `name` in `namespace`, upper case in braces, as Windows Installer writes GUIDs. */
export function guid5(name: string, namespace = GUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/[{}-]/g, ''), 'hex')
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest()
  h[6] = (h[6] & 0x0f) | 0x50
  h[8] = (h[8] & 0x3f) | 0x80
  const x = h.subarray(0, 16).toString('hex').toUpperCase()
  return `{${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}}`
}

/** The UpgradeCode: from the package name alone, so every version of the project shares it and replaces the others. */
export const upgradeCode = (name: string): string => guid5(`upgrade:${name}`)

/**
 * ProductVersion: major.minor.build from the version's release numbers
 * (Windows Installer compares only these three; major and minor at most 255,
 * build at most 65535). Undefined when the version has no such numbers.
 */
export function msiVersion(version: string): string | undefined {
  const release = /^(?:\d+!)?v?(\d+(?:\.\d+)*)/i.exec(version.trim())
  if (!release) return undefined
  const parts = release[1].split('.').map(Number)
  while (parts.length < 3) parts.push(0)
  const [major, minor, build] = parts
  if (major > 255 || minor > 255 || build > 65535) return undefined
  return `${major}.${minor}.${build}`
}

export type Cell = string | number
export interface MsiTable {
  readonly name: string
  /** Column names, their IDT types (s72, S255, i2, l255, …), and how many lead columns are the primary key. */
  readonly columns: readonly (readonly [string, string])[]
  readonly keys: number
  readonly rows: readonly (readonly Cell[])[]
}

export interface MsiProgram {
  /** The file name, e.g. tiny.exe. */
  readonly name: string
  /** Its path in the install folder, '/' separated. */
  readonly path: string
  readonly windowed: boolean
}

export interface MsiPlan {
  readonly tables: readonly MsiTable[]
  /** The cabinet's files, in File table sequence order: key and where it is read. */
  readonly files: readonly { readonly key: string; readonly source: string }[]
  readonly productCode: string
  readonly upgradeCode: string
  readonly packageCode: string
  readonly productVersion: string
}

/** The cabinet's stream name, as the Media table names it ('#' = a stream of the package). */
export const CABINET = 'app.cab'

const id = (prefix: string, rel: string): string => `${prefix}${createHash('sha256').update(rel).digest('hex').slice(0, 24).toUpperCase()}`
const dirId = (rel: string): string => (rel === '' ? 'INSTALLDIR' : id('D', rel))
const parentOf = (rel: string): string => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '')
const baseOf = (rel: string): string => rel.slice(rel.lastIndexOf('/') + 1)

/** A text the installer's tables hold: printable ASCII (accents dropped, others '?'), no tabs or line breaks. */
export function msiText(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/[^\u0020-\u007e]/g, '?')
  )
}

const TEMPLATE_PLATFORM: Readonly<Record<Arch, string>> = { x64: 'x64', arm64: 'Arm64', x86: 'Intel' }

/** 'YYYY/MM/DD hh:mm:ss' (UTC), the summary information's time format in a text archive. */
function summaryTime(seconds: number): string {
  const d = new Date(seconds * 1000)
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}

/**
 * The tables of the package. `contentId` (the cabinet's sha256) makes the
 * ProductCode and PackageCode differ for every different build: a rebuild of
 * the same version then replaces the installed one as a major upgrade does.
 */
export function planMsi(meta: PackageMeta, arch: Arch, entries: readonly InstallEntry[], programs: readonly MsiProgram[], contentId: string): MsiPlan {
  const productVersion = msiVersion(meta.version)
  if (!productVersion) throw new Error(`the version ${meta.version} has no major.minor.build numbers within 255.255.65535, which Windows Installer needs`)
  const product = `${meta.name} ${meta.version} ${contentId}`
  const productCode = guid5(`product:${product}`)
  const packageCode = guid5(`package:${product}`)
  const upgrade = upgradeCode(meta.name)
  const bits64 = arch !== 'x86' ? 256 : 0
  const dirs = ['', ...entries.filter((e) => e.type === 'directory').map((e) => e.name)]
  const files = entries.filter((e) => e.type === 'file' || e.type === 'link')
  const sources = new Map(entries.filter((e) => e.type === 'file').map((e) => [e.name, e.source as string]))
  const fileRows = files.map((e, i) => [id('F', e.name), id('C', parentOf(e.name)), msiText(baseOf(e.name)), e.size ?? 0, '', '', 512, i + 1] as const)
  const withFiles = new Set(files.map((e) => parentOf(e.name)))
  const registryKey = `Software\\${msiText(meta.name)}\\Components`
  const consoleDirs = [...new Set(programs.filter((p) => !p.windowed).map((p) => parentOf(p.path)))].sort()
  const manufacturer = msiText(meta.vendor || meta.name)
  const t = (name: string, columns: [string, string][], keys: number, rows: Cell[][]): MsiTable => ({ name, columns, keys, rows })
  const sequence = (actions: [string, number, string?][]): Cell[][] => actions.map(([a, n, c]) => [a, c ?? '', n])
  const tables: MsiTable[] = [
    t(
      '_SummaryInformation',
      [
        ['PropertyId', 'i2'],
        ['Value', 'l255']
      ],
      1,
      [
        [1, 1252],
        [2, 'Installation Database'],
        [3, msiText(meta.name)],
        [4, manufacturer],
        [5, 'Installer'],
        [6, msiText(`${meta.name} ${meta.version}: ${meta.summary}`)],
        [7, `${TEMPLATE_PLATFORM[arch]};1033`],
        [9, packageCode],
        [12, summaryTime(meta.epoch)],
        [13, summaryTime(meta.epoch)],
        [14, arch === 'arm64' ? 500 : 200],
        // 2: compressed files; 8: no elevation needed (a per-user install).
        [15, 10],
        [18, 'build-standalone'],
        [19, 2]
      ]
    ),
    t(
      'Property',
      [
        ['Property', 's72'],
        ['Value', 'l0']
      ],
      1,
      [
        ['ProductCode', productCode],
        ['ProductName', msiText(meta.name)],
        ['ProductVersion', productVersion],
        ['ProductLanguage', '1033'],
        ['Manufacturer', manufacturer],
        ['UpgradeCode', upgrade],
        ['ARPNOMODIFY', '1'],
        ['ARPNOREPAIR', '1'],
        ['ARPCOMMENTS', msiText(meta.summary)],
        ...(meta.homepage ? [['ARPURLINFOABOUT', msiText(meta.homepage)]] : []),
        ...(meta.maintainer ? [['ARPCONTACT', msiText(meta.maintainer)]] : []),
        ['SecureCustomProperties', 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED']
      ]
    ),
    t(
      'Directory',
      [
        ['Directory', 's72'],
        ['Directory_Parent', 'S72'],
        ['DefaultDir', 'l255']
      ],
      1,
      [
        ['TARGETDIR', '', 'SourceDir'],
        ['LocalAppDataFolder', 'TARGETDIR', '.'],
        ['ProgramsFolder', 'LocalAppDataFolder', 'Programs'],
        ['ProgramMenuFolder', 'TARGETDIR', '.'],
        ['INSTALLDIR', 'ProgramsFolder', msiText(meta.name)],
        ...dirs.slice(1).map((d) => [dirId(d), dirId(parentOf(d)), msiText(baseOf(d))])
      ]
    ),
    t(
      'Component',
      [
        ['Component', 's72'],
        ['ComponentId', 'S38'],
        ['Directory_', 's72'],
        ['Attributes', 'i2'],
        ['Condition', 'S255'],
        ['KeyPath', 'S72']
      ],
      1,
      // One component per folder, its key path a value under HKCU (a per-user component's key path, ICE38).
      dirs.map((d) => [id('C', d), guid5(`component:${meta.name}:${d}`), dirId(d), 4 | bits64, '', id('R', d)])
    ),
    t(
      'Registry',
      [
        ['Registry', 's72'],
        ['Root', 'i2'],
        ['Key', 'l255'],
        ['Name', 'L255'],
        ['Value', 'L0'],
        ['Component_', 's72']
      ],
      1,
      dirs.map((d) => [id('R', d), 1, registryKey, id('C', d), '#1', id('C', d)])
    ),
    t(
      'RemoveFile',
      [
        ['FileKey', 's72'],
        ['Component_', 's72'],
        ['FileName', 'L255'],
        ['DirProperty', 's72'],
        ['InstallMode', 'i2']
      ],
      1,
      // Each folder is removed on uninstall (ICE64), the innermost first as the installer orders them itself.
      dirs.map((d) => [id('X', d), id('C', d), '', dirId(d), 2])
    ),
    t(
      'CreateFolder',
      [
        ['Directory_', 's72'],
        ['Component_', 's72']
      ],
      2,
      dirs.filter((d) => !withFiles.has(d)).map((d) => [dirId(d), id('C', d)])
    ),
    t(
      'Feature',
      [
        ['Feature', 's38'],
        ['Feature_Parent', 'S38'],
        ['Title', 'L64'],
        ['Description', 'L255'],
        ['Display', 'I2'],
        ['Level', 'i2'],
        ['Directory_', 'S72'],
        ['Attributes', 'i2']
      ],
      1,
      [['Main', '', msiText(meta.name).slice(0, 64), msiText(meta.summary).slice(0, 255), 1, 1, 'INSTALLDIR', 0]]
    ),
    t(
      'FeatureComponents',
      [
        ['Feature_', 's38'],
        ['Component_', 's72']
      ],
      2,
      dirs.map((d) => ['Main', id('C', d)])
    ),
    t(
      'File',
      [
        ['File', 's72'],
        ['Component_', 's72'],
        ['FileName', 'l255'],
        ['FileSize', 'i4'],
        ['Version', 'S72'],
        ['Language', 'S20'],
        ['Attributes', 'I2'],
        ['Sequence', 'i4']
      ],
      1,
      fileRows.map((r) => [...r])
    ),
    t(
      'Media',
      [
        ['DiskId', 'i2'],
        ['LastSequence', 'i4'],
        ['DiskPrompt', 'L64'],
        ['Cabinet', 'S255'],
        ['VolumeLabel', 'S32'],
        ['Source', 'S72']
      ],
      1,
      [[1, Math.max(1, files.length), '', `#${CABINET}`, '', '']]
    ),
    t(
      'Shortcut',
      [
        ['Shortcut', 's72'],
        ['Directory_', 's72'],
        ['Name', 'l128'],
        ['Component_', 's72'],
        ['Target', 's72'],
        ['Arguments', 'S255'],
        ['Description', 'L255'],
        ['Hotkey', 'I2'],
        ['Icon_', 'S72'],
        ['IconIndex', 'I2'],
        ['ShowCmd', 'I2'],
        ['WkDir', 'S72']
      ],
      1,
      programs
        .filter((p) => p.windowed)
        .map((p) => [
          id('S', p.path),
          'ProgramMenuFolder',
          msiText(p.name.replace(/\.exe$/i, '')),
          id('C', parentOf(p.path)),
          `[#${id('F', p.path)}]`,
          '',
          msiText(meta.summary).slice(0, 255),
          '',
          '',
          '',
          '',
          dirId(parentOf(p.path))
        ])
    ),
    t(
      'Environment',
      [
        ['Environment', 's72'],
        ['Name', 'l255'],
        ['Value', 'L255'],
        ['Component_', 's72']
      ],
      1,
      // '=' sets it, '-' removes this part again on uninstall; no '*': the user's variable. [~] is the value it had.
      consoleDirs.map((d) => [id('E', d), '=-PATH', `[~];[${dirId(d)}]`, id('C', d)])
    ),
    t(
      'Upgrade',
      [
        ['UpgradeCode', 's38'],
        ['VersionMin', 'S20'],
        ['VersionMax', 'S20'],
        ['Language', 'S255'],
        ['Attributes', 'i4'],
        ['Remove', 'S255'],
        ['ActionProperty', 's72']
      ],
      5,
      [
        // Every other product of this UpgradeCode up to this version, this version's other builds included
        // (1: migrate features, 512: VersionMax inclusive), is removed: one installed copy.
        [upgrade, '', productVersion, '', 1 | 512, '', 'WIX_UPGRADE_DETECTED'],
        // A newer one (2: only detect) stops the install with the launch condition below.
        [upgrade, productVersion, '', '', 2, '', 'WIX_DOWNGRADE_DETECTED']
      ]
    ),
    t(
      'LaunchCondition',
      [
        ['Condition', 's255'],
        ['Description', 'l255']
      ],
      1,
      [['NOT WIX_DOWNGRADE_DETECTED', 'A newer version of [ProductName] is already installed.']]
    ),
    t(
      'InstallExecuteSequence',
      [
        ['Action', 's72'],
        ['Condition', 'S255'],
        ['Sequence', 'I2']
      ],
      1,
      sequence([
        ['FindRelatedProducts', 25],
        ['LaunchConditions', 100],
        ['ValidateProductID', 700],
        ['CostInitialize', 800],
        ['FileCost', 900],
        ['CostFinalize', 1000],
        ['MigrateFeatureStates', 1200],
        ['InstallValidate', 1400],
        ['RemoveExistingProducts', 1401],
        ['InstallInitialize', 1500],
        ['ProcessComponents', 1600],
        ['UnpublishFeatures', 1800],
        ['RemoveRegistryValues', 2600],
        ['RemoveShortcuts', 3200],
        ['RemoveEnvironmentStrings', 3300],
        ['RemoveFiles', 3500],
        ['RemoveFolders', 3600],
        ['CreateFolders', 3700],
        ['InstallFiles', 4000],
        ['CreateShortcuts', 4500],
        ['WriteRegistryValues', 5000],
        ['WriteEnvironmentStrings', 5200],
        ['RegisterUser', 6000],
        ['RegisterProduct', 6100],
        ['PublishFeatures', 6300],
        ['PublishProduct', 6400],
        ['InstallFinalize', 6600]
      ])
    ),
    t(
      'InstallUISequence',
      [
        ['Action', 's72'],
        ['Condition', 'S255'],
        ['Sequence', 'I2']
      ],
      1,
      sequence([
        ['FindRelatedProducts', 25],
        ['LaunchConditions', 100],
        ['ValidateProductID', 700],
        ['CostInitialize', 800],
        ['FileCost', 900],
        ['CostFinalize', 1000],
        ['MigrateFeatureStates', 1200],
        ['ExecuteAction', 1300]
      ])
    )
  ]
  return {
    tables,
    files: files.map((e) => ({ key: id('F', e.name), source: e.type === 'link' ? (sources.get(e.linkname as string) as string) : (e.source as string) })),
    productCode,
    upgradeCode: upgrade,
    packageCode,
    productVersion
  }
}

/** A table as a text archive file (.idt): names, types, the table and its keys, then the rows, tab-separated, CR LF. */
export function idtText(table: MsiTable): string {
  const cell = (c: Cell): string => (typeof c === 'number' ? String(c) : c.replace(/[\t\r\n]/g, ' '))
  const lines = [
    table.columns.map(([n]) => n).join('\t'),
    table.columns.map(([, type]) => type).join('\t'),
    [table.name, ...table.columns.slice(0, table.keys).map(([n]) => n)].join('\t'),
    ...table.rows.map((r) => r.map(cell).join('\t'))
  ]
  return `${lines.join('\r\n')}\r\n`
}

/**
 * The .idt file name of a table: its first 8 characters and .idt, as
 * msidb.exe imports them (it cuts a longer name it is given to 8 characters
 * before it opens the file, so `_SummaryInformation.idt` would be looked for
 * as `_Summary.idt`). The table's own name is the file's third line.
 */
export const idtFile = (table: MsiTable): string => `${table.name.slice(0, 8)}.idt`

/** The commands that make the .msi from the tables' folder and the cabinet: msidb.exe (Windows SDK, Wine) or msibuild (msitools). */
export function msiDatabaseCommands(
  tool: { readonly kind: 'msidb' | 'msibuild'; readonly program: string },
  msi: string,
  tablesDir: string,
  tables: readonly MsiTable[],
  cab: string
): Command[] {
  const names = tables.map(idtFile)
  if (tool.kind === 'msidb')
    return [
      { program: tool.program, args: ['-c', '-d', msi, '-f', tablesDir, '-i', ...names] },
      { program: tool.program, args: ['-d', msi, '-a', cab] }
    ]
  return [
    { program: tool.program, args: [msi, '-i', ...names], cwd: tablesDir },
    { program: tool.program, args: [msi, '-a', CABINET, cab] }
  ]
}

/**
 * MsiDb.exe in the Windows SDKs a runner has, newest first: the SDK's MSI
 * Tools put it (32-bit only) in `<kits>\bin\<version>\x86\`, the first
 * Windows 10 SDKs in `<kits>\bin\x86\`.
 */
export function msidbCandidates(join: (...parts: string[]) => string, kitsRoot: string, versions: readonly string[]): string[] {
  return [
    ...versions
      .filter((v) => /^10\.\d+\.\d+\.\d+$/.test(v))
      .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
      .map((v) => join(kitsRoot, 'bin', v, 'x86', 'MsiDb.exe')),
    ...(versions.includes('x86') ? [join(kitsRoot, 'bin', 'x86', 'MsiDb.exe')] : [])
  ]
}

/** What a Windows runner without MsiDb.exe is told: where it was looked for, and how to install it. */
export function msidbMissing(kitsRoot: string): string {
  return (
    `msi: MsiDb.exe, the Windows SDK tool that writes the package database, is neither on PATH nor in a Windows 10/11 SDK ` +
    `(looked for ${kitsRoot}\\bin\\<version>\\x86\\MsiDb.exe). It comes with the SDK's MSI Tools: install them with the Windows SDK ` +
    `installer (winsdksetup.exe /features OptionId.MSIInstallTools /quiet /norestart), or put the folder that holds MsiDb.exe ` +
    `on PATH in a step before this one; or remove msi from formats.`
  )
}
