/** The bench's command line: `npm run bench -- [options]`. */

export interface Options {
  readonly runs: number
  /** The Python project, relative to the repository. */
  readonly project: string
  /** The PyInstaller spec, relative to the project; '' builds the `entry` console script instead (no spec). */
  readonly spec: string
  /** The [project.scripts] entry to build when there is no spec; '' for the first. */
  readonly entry: string
  /** The smoke test's arguments (one command line, split on blanks). */
  readonly smoke: string
  readonly extras: readonly string[]
  readonly builders: boolean
  readonly startupRuns: number
  /** Where to keep every run's output ('' for nowhere). */
  readonly logs: string
}

export const USAGE = `usage: npm run bench -- [--runs N] [--project DIR] [--spec FILE | --entry NAME] [--smoke ARGS] [--extras LIST] [--startup-runs N]
       npm run bench -- --builders [--startup-runs N]
  --runs N          runs of each variant, interleaved (default 3)
  --project DIR     the Python project, relative to the repository (default examples/chatty)
  --spec FILE       PyInstaller spec, relative to the project (default for examples/chatty: packaging/chatty_cli.spec;
                    for any other project: none, build --entry from its [project.scripts] instead)
  --entry NAME      the [project.scripts] entry to build one-file when there is no spec (default: the first)
  --smoke ARGS      the smoke test's arguments (default --help)
  --extras LIST     extras to install, comma-separated; '' for none (default for examples/chatty: dev; else none)
  --startup-runs N  runs of each executable for the start-up median (default 15)
  --logs DIR        keep the output of every run there, a file per run
  --builders        compare PyInstaller and Nuitka on examples/chatty (build time, size, start-up time) instead`

type ValueOption = 'runs' | 'project' | 'spec' | 'entry' | 'smoke' | 'extras' | 'startupRuns' | 'logs'

const VALUE_OPTIONS: Readonly<Record<string, ValueOption>> = {
  '--runs': 'runs',
  '--project': 'project',
  '--spec': 'spec',
  '--entry': 'entry',
  '--smoke': 'smoke',
  '--extras': 'extras',
  '--startup-runs': 'startupRuns',
  '--logs': 'logs'
}

/** The sample the bench builds by default, from its spec, with its `dev` extra. */
export const DEFAULT_PROJECT = 'examples/chatty'
const DEFAULT_PROJECT_SPEC = 'packaging/chatty_cli.spec'
const DEFAULT_PROJECT_EXTRAS = 'dev'

/** Prints the message and the usage, and exits with 2. */
export function usageError(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`)
  process.exit(2)
}

/** Parses the arguments (`--name value` or `--name=value`); prints the usage and exits on -h/--help or a mistake. */
export function parseArgs(argv: readonly string[]): Options {
  const raw: Partial<Record<ValueOption, string>> = {}
  let builders = false
  for (let i = 0; i < argv.length; i++) {
    const [name, given] = argv[i].split(/=(.*)/s)
    let value: string | undefined = given
    if (name === '-h' || name === '--help') {
      console.log(USAGE)
      process.exit(0)
    }
    if (name === '--builders') {
      builders = true
      continue
    }
    const key = Object.hasOwn(VALUE_OPTIONS, name) ? VALUE_OPTIONS[name] : undefined
    if (!key) usageError(`unknown option ${argv[i]}`)
    if (value === undefined) {
      if (i + 1 >= argv.length) usageError(`${name} needs a value`)
      value = argv[++i]
    }
    raw[key] = value
  }
  const count = (name: string, value = ''): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < 1) usageError(`${name} must be a whole number ≥ 1, not '${value}'`)
    return n
  }
  const project = (raw.project ?? DEFAULT_PROJECT).replace(/\/+$/, '')
  const isDefault = project === DEFAULT_PROJECT
  if (raw.spec && raw.entry) usageError('--spec and --entry exclude each other: a spec names its own executables')
  return {
    runs: count('--runs', raw.runs ?? '3'),
    project,
    spec: raw.spec ?? (isDefault && raw.entry === undefined ? DEFAULT_PROJECT_SPEC : ''),
    entry: raw.entry ?? '',
    smoke: raw.smoke ?? '--help',
    extras: (raw.extras ?? (isDefault ? DEFAULT_PROJECT_EXTRAS : '')).split(/[\s,]+/).filter(Boolean),
    builders,
    startupRuns: count('--startup-runs', raw.startupRuns ?? '15'),
    logs: raw.logs ?? ''
  }
}
