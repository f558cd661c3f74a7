/**
 * The contents of a PyInstaller one-file executable: its CArchive (PKG) holds
 * libpython, the extension modules and the bundled shared libraries, which
 * the bootloader unpacks at start-up. They are read with PyInstaller's own
 * archive reader (PyInstaller.archive.readers.CArchiveReader), run with the
 * build venv's interpreter, which has the very PyInstaller that wrote the
 * archive; every member that is an ELF, Mach-O or PE file by its first bytes
 * is written under a temporary folder, at its path inside the archive.
 */
import type { Command } from '../exec.js'
import { NO_PYTHON_LEAKS } from '../exec.js'

/**
 * argv: the executable, the folder to extract into. Prints one JSON line:
 * {"members": [relative paths written], "archive": true}, or
 * {"archive": false, "reason": "..."} when the file holds no CArchive.
 */
export const EXTRACT_BINARIES_SCRIPT = `
import json, os, sys
from PyInstaller.archive.readers import CArchiveReader, NotAnArchiveError
exe, out = sys.argv[1], sys.argv[2]
try:
    archive = CArchiveReader(exe)
except (NotAnArchiveError, ValueError, OSError) as e:
    print(json.dumps({"archive": False, "reason": str(e)}))
    sys.exit(0)
MAGICS = (b"\\x7fELF", b"\\xfe\\xed\\xfa\\xce", b"\\xfe\\xed\\xfa\\xcf", b"\\xce\\xfa\\xed\\xfe", b"\\xcf\\xfa\\xed\\xfe", b"\\xca\\xfe\\xba\\xbe", b"MZ")
members = []
for name, entry in sorted(archive.toc.items()):
    typecode = entry[-1]
    if typecode not in ("b", "x"):
        continue
    data = archive.extract(name)
    if not data or not data.startswith(MAGICS):
        continue
    rel = os.path.normpath(name.replace("\\\\", "/")).lstrip("/")
    if rel.startswith(".."):
        rel = rel.replace("..", "__")
    target = os.path.join(out, rel)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(data)
    members.append(rel.replace(os.sep, "/"))
print(json.dumps({"archive": True, "members": members}))
`

export interface ExtractResult {
  readonly archive: boolean
  readonly members?: readonly string[]
  readonly reason?: string
}

/** The command that writes a one-file executable's binary members under `outDir`. */
export function extractCommand(python: string, executable: string, outDir: string): Command {
  return { program: python, args: ['-c', EXTRACT_BINARIES_SCRIPT, executable, outDir], cwd: outDir, env: NO_PYTHON_LEAKS }
}

/** The script's answer: its last line of output. */
export function parseExtractOutput(stdout: string): ExtractResult {
  const last = stdout.trim().split('\n').pop() || '{}'
  return JSON.parse(last) as ExtractResult
}
