// Runs a Node entry (dist/index.js, dist/cli/index.js) under Windows Node in Wine as a runner would: Wine drops
// environment variables whose names hold '-' (INPUT_SMOKE-TEST), so the variables come in a JSON file and are set
// here, in the process, before the entry is imported (it has top-level await: an import, not a require).
//   node.exe wrapper.mjs Z:\...\run.json     with run.json = { cwd, entry, args, env }
import * as fs from 'node:fs'
import { pathToFileURL } from 'node:url'

const run = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
Object.assign(process.env, run.env)
process.chdir(run.cwd)
process.argv = [process.argv[0], run.entry, ...run.args]
await import(pathToFileURL(run.entry).href)
