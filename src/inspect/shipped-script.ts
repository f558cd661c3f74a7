/**
 * The Python program that tells which installed distributions ship in a
 * PyInstaller build. Run in the build venv (it needs PyInstaller's archive
 * reader and the venv's distributions), it reads what the build holds, not
 * what the venv holds:
 * - the CArchive embedded in each executable (PyInstaller.archive.readers),
 *   and in it the PYZ of byte-compiled modules (their names) and the binaries
 *   and data files of a one-file build;
 * - the files of a one-folder build (its contents folder, `_internal` by
 *   default, as the executable's `pyi-contents-directory` option names it) or
 *   of a .app bundle (Contents/Frameworks and Contents/Resources);
 * and maps each to the distribution whose installed file list (RECORD) holds
 * it: a module through its `.py` or extension file, a binary or data file
 * through its path. PyInstaller and the build-only packages are never
 * collected, so they never match. It also reads each shipped distribution's
 * license fields and license texts (License-File entries, the dist-info's
 * licenses/ folder, LICENSE/COPYING/NOTICE files), sums the bytes each ships
 * (before compression), and names the entries that hold one of the `needles`
 * (the venv's and the temp folder's absolute paths).
 *
 * Its one argument is JSON: { root, mode, executables, needles }. It prints
 * one JSON object on its last line (see ShippedReport).
 */
export const SHIPPED_SCRIPT = String.raw`
import json, os, re, sys
from importlib import metadata
from pathlib import PurePosixPath

req = json.loads(sys.argv[1])
needles = [n.encode() for n in req.get('needles', []) if n]
entries = {}
modules = {}
leaks = []


def norm(name):
    return str(PurePosixPath(name.replace('\\', '/')))


def scan(name, data):
    if data and any(n in data for n in needles) and len(leaks) < 50:
        leaks.append(name)


def read_archive(exe, prefix):
    from PyInstaller.archive.readers import CArchiveReader
    try:
        archive = CArchiveReader(exe)
    except Exception:
        return None
    contents = None
    for name, (_, _, size, _, code) in archive.toc.items():
        if code == 'o':
            if name.startswith('pyi-contents-directory '):
                contents = name.split(' ', 1)[1]
            continue
        if code == 'z':
            pyz = archive.open_embedded_archive(name)
            for module in pyz.toc:
                data = pyz.extract(module, raw=True)
                modules[module] = modules.get(module, 0) + len(data or b'')
                scan(prefix + module, data)
            continue
        data = archive.extract(name)
        scan(prefix + name, data)
        if code in ('b', 'x', 'Z', 'n'):
            entries[norm(name)] = size
    return contents


root = req['root']
programs = set(os.path.abspath(p) for p in req['executables'])
contents = None
for exe in sorted(programs):
    found = read_archive(exe, os.path.basename(exe) + '!')
    contents = contents or found
if os.path.isdir(root):
    bases = [root]
    if req['mode'] == 'app':
        bases = [os.path.join(root, 'Contents', 'Frameworks'), os.path.join(root, 'Contents', 'Resources')]
    elif contents and contents != '.':
        bases = [os.path.join(root, contents)]
    for base in bases:
        for folder, dirs, files in os.walk(base):
            dirs.sort()
            for f in sorted(files):
                full = os.path.join(folder, f)
                if os.path.abspath(full) in programs or os.path.islink(full):
                    continue
                name = norm(os.path.relpath(full, base))
                if name == 'THIRD-PARTY-NOTICES.txt':
                    continue
                with open(full, 'rb') as fh:
                    data = fh.read()
                entries[name] = entries.get(name, 0) + len(data)
                scan(os.path.relpath(full, root), data)

def field(md, name):
    # A field the metadata lacks: None from the standard library's reader, KeyError from
    # importlib_metadata's (which PyInstaller installs on Python 3.9 and which then serves the lookups).
    try:
        return (md[name] or '').strip()
    except KeyError:
        return ''


EXT = re.compile(r'\.(so|pyd|dylib)$|\.cpython-[^/]*\.so$|\.abi3\.so$')
LICENSE_NAME = re.compile(r'^(licen[cs]e|copying|notice|authors)([._-].*)?$', re.I)
owner_file = {}
owner_module = {}
dists = {}
for dist in metadata.distributions():
    name = field(dist.metadata, 'Name')
    if not name:
        continue
    key = re.sub(r'[-_.]+', '-', name).lower()
    if key in dists:
        continue
    dists[key] = dist
    for f in dist.files or []:
        p = norm(str(f))
        if p.startswith('..') or '__pycache__' in p:
            continue
        owner_file.setdefault(p, key)
        if p.endswith('.py'):
            mod = p[:-3].replace('/', '.')
            if mod.endswith('.__init__'):
                mod = mod[: -len('.__init__')]
            owner_module.setdefault(mod, key)
            owner_file.setdefault(p + 'c', key)
        elif EXT.search(p):
            head, _, tail = p.rpartition('/')
            mod = ((head + '/') if head else '') + tail.split('.')[0]
            owner_module.setdefault(mod.replace('/', '.'), key)
    if not dist.files:
        for top in (dist.read_text('top_level.txt') or '').split():
            owner_module.setdefault(top, key)

shipped = {}


def add(key, size, item):
    s = shipped.setdefault(key, {'files': 0, 'size': 0})
    s['files'] += 1
    s['size'] += size


for mod, size in modules.items():
    key = owner_module.get(mod)
    if key is None:
        # a distribution without a file list (no RECORD) owns the modules under its top_level.txt names
        top = owner_module.get(mod.split('.')[0])
        key = top if top is not None and not dists[top].files else None
    if key is not None:
        add(key, size, mod)
for name, size in entries.items():
    key = owner_file.get(name)
    if key is not None:
        add(key, size, name)


def license_texts(dist):
    texts = []
    seen = set()
    info = None
    for f in dist.files or []:
        parts = PurePosixPath(norm(str(f))).parts
        if parts and parts[0].endswith(('.dist-info', '.egg-info')):
            info = parts[0]
            break
    candidates = []
    for lf in dist.metadata.get_all('License-File') or []:
        candidates += [info + '/licenses/' + lf, info + '/' + lf] if info else []
    for f in dist.files or []:
        p = norm(str(f))
        parts = PurePosixPath(p).parts
        if p.startswith('..') or len(parts) > 3:
            continue
        if LICENSE_NAME.match(parts[-1]) or (len(parts) >= 3 and parts[0] == info and parts[1] == 'licenses'):
            candidates.append(p)
    for c in candidates:
        if c in seen:
            continue
        seen.add(c)
        try:
            text = dist.locate_file(c).read_bytes().decode('utf-8', 'replace')
        except OSError:
            continue
        if text.strip() and text not in [t['text'] for t in texts]:
            texts.append({'file': PurePosixPath(c).name, 'text': text})
    return texts


out = []
for key in sorted(shipped):
    dist = dists[key]
    md = dist.metadata
    out.append({
        'name': field(md, 'Name'),
        'version': field(md, 'Version'),
        'licenseExpression': field(md, 'License-Expression'),
        'license': field(md, 'License'),
        'classifiers': [c for c in (md.get_all('Classifier') or []) if c.startswith('License ::')],
        'summary': field(md, 'Summary'),
        'licenseTexts': license_texts(dist),
        'files': shipped[key]['files'],
        'size': shipped[key]['size'],
    })
print(json.dumps({'distributions': out, 'entries': len(entries) + len(modules), 'leaks': leaks}))
`
