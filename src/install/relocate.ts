/**
 * Console scripts that do not name the venv: pip writes each console script
 * of a distribution with the venv's absolute interpreter path in its shebang,
 * and the distribution's RECORD holds the hash of that script. PyInstaller
 * collects dist-info folders (RECORD included) for packages that read their
 * own metadata, so the executable changed with the build folder (issue 16:
 * websockets-*.dist-info/RECORD). uv's `venv --relocatable` writes scripts
 * that find their interpreter beside themselves; this does the same after a
 * pip install: it rewrites such shebangs into that form and updates the hash
 * and size of each rewritten script in its RECORD.
 */
import { NO_PYTHON_LEAKS, type Command } from '../exec.js'

export const RELOCATE_SCRIPTS_SCRIPT = String.raw`
import base64, csv, hashlib, io, os, sys, sysconfig
from importlib import metadata

scripts = os.path.realpath(sysconfig.get_path('scripts'))
prefix = b'#!' + os.path.join(scripts, '').encode()
alias = b'#!' + os.path.join(sysconfig.get_path('scripts'), '').encode()
changed = []
for dist in metadata.distributions(path=[sysconfig.get_path('purelib'), sysconfig.get_path('platlib')]):
    updates = {}
    for f in dist.files or []:
        full = os.path.realpath(dist.locate_file(f))
        if os.path.dirname(full) != scripts or not os.path.isfile(full):
            continue
        with open(full, 'rb') as fh:
            data = fh.read()
        first, nl, rest = data.partition(b'\n')
        head = prefix if first.startswith(prefix) else alias if first.startswith(alias) else None
        if head is None or b' ' in first[len(head):] or b'/' in first[len(head):]:
            continue
        program = first[len(head):].decode()
        data = ("#!/bin/sh\n'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")\"/'%s' \"$0\" \"$@\"\n' '''\n" % program).encode() + rest
        with open(full, 'wb') as fh:
            fh.write(data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        updates[str(f)] = ('sha256=' + digest, str(len(data)))
        changed.append(os.path.basename(full))
    if not updates:
        continue
    record = next(p for p in dist.files if p.name == 'RECORD' and p.parent.name.endswith('.dist-info'))
    path = dist.locate_file(record)
    with open(path, 'r', newline='', encoding='utf-8') as fh:
        text = fh.read()
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        if row and row[0] in updates:
            row[1], row[2] = updates[row[0]]
    out = io.StringIO()
    csv.writer(out, lineterminator='\r\n' if '\r\n' in text else '\n').writerows(rows)
    with open(path, 'w', newline='', encoding='utf-8') as fh:
        fh.write(out.getvalue())
print(' '.join(sorted(changed)))
`

/** The command that makes the venv's console scripts relocatable (POSIX only: Windows launchers are .exe files). */
export function relocateScriptsCommand(venvPython: string): Command {
  return { program: venvPython, args: ['-c', RELOCATE_SCRIPTS_SCRIPT], env: NO_PYTHON_LEAKS }
}
