/**
 * On Linux, the entry points' PyInstaller processes are forked from one that
 * has built PyInstaller's base module graph already: a Python program run in
 * the build venv analyses an empty script first (the same excludes and hooks
 * as the entry points' specs), which makes PyInstaller cache that graph in
 * the process (PyInstaller.depend.analysis.initialize_modgraph: "Caching
 * module dependency graph..."), then forks one child per entry point, at most
 * `processes` at once; each runs PyInstaller on its spec with
 * PyInstaller.__main__.run (PyInstaller's documented way to run it from
 * Python) and reuses the cached graph ("Reusing cached module dependency
 * graph..."), as the second Analysis of one spec does. That saves each
 * process the graph (3 s of CPU on examples/chatty), which matters where
 * there are fewer cores than entry points. Every entry point starts from the
 * same state, so its bytes do not depend on the number of cores. Elsewhere
 * (Windows has no fork, and macOS frameworks are not safe to fork) each entry
 * point gets a fresh process (pyinstaller.ts).
 *
 * The children's output (theirs and their subprocesses', through a pipe each)
 * is relayed line by line with the entry point's name in front; the driver
 * says when each ended on lines of its own (DRIVER_MARKER + JSON).
 */
import type { Command } from '../exec.js'
import { NO_PYTHON_LEAKS } from '../exec.js'

export const DRIVER_MARKER = '::build-standalone-part::'

/** What the driver is asked to do: a JSON file, its one argument. */
export interface DriverRequest {
  /** One PyInstaller cache folder per child that may run at once: as many children run at once as there are folders. */
  readonly configDirs: readonly string[]
  /** PyInstaller's arguments for the warm-up spec. */
  readonly warmup: readonly string[]
  readonly parts: readonly { readonly name: string; readonly args: readonly string[] }[]
}

/** What a marker line says: the warm-up's end, or a part's. */
export type DriverEvent =
  { readonly warmup: number; readonly exitCode: number } | { readonly name: string; readonly seconds: number; readonly exitCode: number }

/** The marker line's event, or undefined for a line of output. */
export function driverEvent(line: string): DriverEvent | undefined {
  if (!line.startsWith(DRIVER_MARKER)) return undefined
  try {
    return JSON.parse(line.slice(DRIVER_MARKER.length)) as DriverEvent
  } catch {
    return undefined
  }
}

/** The command that runs the driver (written to `script`) with the venv's interpreter, on the request written to `requestFile`. */
export function driverCommand(python: string, script: string, requestFile: string, cwd: string, env: Record<string, string | undefined>): Command {
  return { program: python, args: [script, requestFile], cwd, env: { ...NO_PYTHON_LEAKS, ...env } }
}

export const FORK_DRIVER_SCRIPT = String.raw`
import json, os, selectors, sys, tempfile, time, traceback

with open(sys.argv[1], encoding='utf-8') as f:
    request = json.load(f)
MARKER = ${JSON.stringify(DRIVER_MARKER)}.encode()


def relay(name, data):
    for line in data.splitlines():
        sys.stdout.buffer.write(b'[' + name.encode() + b'] ' + line + b'\n')
    sys.stdout.buffer.flush()


def event(**what):
    sys.stdout.buffer.write(MARKER + json.dumps(what).encode() + b'\n')
    sys.stdout.buffer.flush()


import PyInstaller.__main__


def pyinstaller(args):
    try:
        PyInstaller.__main__.run(list(args))
        return 0
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        traceback.print_exc()
        return 1


# The warm-up, in this process, its output (file descriptors 1 and 2) into a file, then relayed.
started = time.time()
with tempfile.TemporaryFile() as log:
    sys.stdout.flush()
    sys.stderr.flush()
    saved = (os.dup(1), os.dup(2))
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    try:
        code = pyinstaller(request['warmup'])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
    log.seek(0)
    relay('warm-up', log.read())
event(warmup=round(time.time() - started, 1), exitCode=code)
if code:
    sys.exit(code)

selector = selectors.DefaultSelector()
pending = list(request['parts'])
free = list(request['configDirs'])
running = {}
failed = False


def start(part):
    config_dir = free.pop(0)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(r)
            os.dup2(w, 1)
            os.dup2(w, 2)
            os.close(w)
            os.environ['PYINSTALLER_CONFIG_DIR'] = config_dir
            code = pyinstaller(part['args'])
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(w)
    os.set_blocking(r, False)
    running[pid] = {'part': part, 'fd': r, 'started': time.time(), 'rest': b'', 'exit': None, 'config': config_dir}
    selector.register(r, selectors.EVENT_READ, pid)


def drain(pid):
    child = running[pid]
    while True:
        try:
            data = os.read(child['fd'], 65536)
        except BlockingIOError:
            return False
        if not data:
            return True
        lines = (child['rest'] + data).split(b'\n')
        child['rest'] = lines.pop()
        relay(child['part']['name'], b'\n'.join(lines))


def finish(pid):
    child = running.pop(pid)
    free.append(child['config'])
    selector.unregister(child['fd'])
    os.close(child['fd'])
    if child['rest']:
        relay(child['part']['name'], child['rest'])
    event(name=child['part']['name'], seconds=round(time.time() - child['started'], 1), exitCode=child['exit'])
    return child['exit']


while pending or running:
    while pending and not failed and free:
        start(pending.pop(0))
    if not running:
        break
    for key, _ in selector.select(timeout=0.5):
        drain(key.data)
    for pid in list(running):
        child = running[pid]
        if child['exit'] is None:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                child['exit'] = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1
                child['ended'] = time.time()
        # Ended: its output is relayed once its pipe is closed, or 2 s after (a process it started may hold it open).
        if child['exit'] is not None and (drain(pid) or time.time() - child['ended'] > 2):
            if finish(pid) != 0:
                failed = True
sys.exit(1 if failed else 0)
`
