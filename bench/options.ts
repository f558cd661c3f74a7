/** The bench's command line: `npm run bench -- [options]`. */

export interface Options {
  readonly runs: number
  /** The Python project, relative to the repository. */
  readonly project: string
  /** The PyInstaller spec, relative to the project. */
  readonly spec: string
  readonly extras: readonly string[]
  readonly builders: boolean
  readonly startupRuns: number
}

export const USAGE = `usage: npm run bench -- [--runs N] [--project DIR] [--spec FILE] [--extras LIST]
       npm run bench -- --builders [--startup-runs N]
  --builders      compare PyInstaller and Nuitka (build time, size, start-up time) instead
  --startup-runs  runs of \`chatty --help\` per build for the start-up median (default 15)
  --runs N        runs of each variant, interleaved (default 3)
  --project DIR   the Python project, relative to the repository (default examples/chatty)
  --spec FILE     PyInstaller spec, relative to the project (default packaging/chatty_cli.spec)
  --extras LIST   extras to install, comma-separated; '' for none (default dev)`

type ValueOption = 'runs' | 'project' | 'spec' | 'extras' | 'startupRuns'

const VALUE_OPTIONS: Readonly<Record<string, ValueOption>> = {
  '--runs': 'runs',
  '--project': 'project',
  '--spec': 'spec',
  '--extras': 'extras',
  '--startup-runs': 'startupRuns'
}

/** Prints the message and the usage, and exits with 2. */
export function usageError(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`)
  process.exit(2)
}

/** Parses the arguments (`--name value` or `--name=value`); prints the usage and exits on -h/--help or a mistake. */
export function parseArgs(argv: readonly string[]): Options {
  const raw: Record<ValueOption, string> = { runs: '3', project: 'examples/chatty', spec: 'packaging/chatty_cli.spec', extras: 'dev', startupRuns: '15' }
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
  const runs = Number(raw.runs)
  if (!Number.isInteger(runs) || runs < 1) usageError(`--runs must be a whole number ≥ 1, not '${raw.runs}'`)
  const startupRuns = Number(raw.startupRuns)
  if (!Number.isInteger(startupRuns) || startupRuns < 1) usageError(`--startup-runs must be a whole number ≥ 1, not '${raw.startupRuns}'`)
  return { runs, project: raw.project, spec: raw.spec, extras: raw.extras.split(/[\s,]+/).filter(Boolean), builders, startupRuns }
}
