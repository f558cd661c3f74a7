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
 * Every path a distribution's metadata gives (License-File, RECORD) is
 * written by whoever made the wheel: it is read only when it leads, with no
 * symbolic link on the way, to a regular file inside that distribution's own
 * folders (its metadata folder for License-File; for a RECORD entry, the
 * top-level folder it names), of at most `limits.licenseText` bytes, while the
 * build's texts stay within `limits.notices`; every other one is reported in
 * `skippedTexts` with the reason. METADATA and RECORD are read only as
 * regular files within their limits; a METADATA that is not UTF-8 is read
 * with the bad bytes replaced and reported in `problems`, naming the
 * distribution.
 *
 * Its one argument is JSON: { root, mode, executables, needles, out, limits }.
 * It writes one JSON object (see ShippedReport) to `out`: a file, not a line
 * of output, which would be read line by line and could be megabytes long.
 */
export const SHIPPED_SCRIPT = String.raw`
import json, os, re, stat, sys
from email.parser import HeaderParser
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

CONTROL = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029]+')
LIMITS = req.get('limits', {})
MAX_TEXT = int(LIMITS.get('licenseText', 1 << 20))
MAX_NOTICES = int(LIMITS.get('notices', 16 << 20))
MAX_METADATA = int(LIMITS.get('metadata', 16 << 20))
MAX_RECORD = int(LIMITS.get('record', 64 << 20))
problems = []


def clean(value, limit):
    # One line of text: metadata is written by whoever made the wheel, and ends up in the log and the summary.
    text = CONTROL.sub(' ', str(value or '')).strip()
    return text if len(text) <= limit else text[:limit] + '...'


def folder_of(dist):
    path = getattr(dist, '_path', None)
    return os.path.realpath(str(path)) if path is not None else None


def label_of(dist):
    folder = folder_of(dist)
    return clean(os.path.basename(folder) if folder else repr(dist), 200)


def read_own(folder, name, limit):
    # A file of the metadata folder: a regular file of at most 'limit' bytes (a link, a device or a huge file is not read).
    path = os.path.join(folder, name)
    try:
        st = os.lstat(path)
    except OSError:
        return None, ''
    if not stat.S_ISREG(st.st_mode):
        return None, f'its {name} is not a regular file, so it was not read'
    if st.st_size > limit:
        return None, f'its {name} is {st.st_size} bytes, more than the {limit} read, so it was not read'
    with open(path, 'rb') as fh:
        return fh.read(limit + 1)[:limit], ''


def load_metadata(dist):
    # The distribution's METADATA (PKG-INFO for an egg-info), headers only, bounded; a file that is not UTF-8 is read
    # with its undecodable bytes replaced (and said so), instead of failing the build with a traceback.
    folder = folder_of(dist)
    if folder is None:
        try:
            return dist.metadata, ''
        except Exception as e:
            return None, f'its metadata could not be read ({type(e).__name__})'
    raw, problem = read_own(folder, 'METADATA', MAX_METADATA)
    if raw is None and not problem:
        raw, problem = read_own(folder, 'PKG-INFO', MAX_METADATA)
    if raw is None:
        return None, problem or 'it has no METADATA'
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        text = raw.decode('utf-8', 'replace')
        problem = f'its METADATA is not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start}): read with that byte replaced'
    return HeaderParser().parsestr(text), problem


def field(md, name, limit=1000):
    # A field the metadata lacks: None from email's parser and the standard library's reader, KeyError from
    # importlib_metadata's (which PyInstaller installs on Python 3.9).
    try:
        value = md[name]
    except KeyError:
        return ''
    return clean(value, limit)


def field_all(md, name):
    try:
        return [str(v) for v in (md.get_all(name) or [])]
    except KeyError:
        return []


def files_of(dist, label):
    folder = folder_of(dist)
    if folder is not None:
        for name in ('RECORD', 'installed-files.txt', 'SOURCES.txt'):
            _, problem = read_own(folder, name, MAX_RECORD)
            if problem:
                problems.append({'distribution': label, 'problem': problem + '; its files are not matched'})
                return []
    try:
        return list(dist.files or [])
    except Exception as e:
        problems.append({'distribution': label, 'problem': f'its file list could not be read ({type(e).__name__}); its files are not matched'})
        return []


EXT = re.compile(r'\.(so|pyd|dylib)$|\.cpython-[^/]*\.so$|\.abi3\.so$')
LICENSE_NAME = re.compile(r'^(licen[cs]e|copying|notice|authors)([._-].*)?$', re.I)
owner_file = {}
owner_module = {}
dists = {}
for dist in metadata.distributions():
    label = label_of(dist)
    md, problem = load_metadata(dist)
    name = field(md, 'Name', 200) if md is not None else ''
    if problem:
        problems.append({'distribution': f"{name} {field(md, 'Version', 100)} ({label})" if name else label, 'problem': problem})
    if md is None:
        continue
    if not name:
        continue
    key = re.sub(r'[-_.]+', '-', name).lower()
    if key in dists:
        continue
    files = files_of(dist, label)
    dists[key] = (dist, md, files)
    for f in files:
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
    if not files:
        top_level, _ = read_own(folder_of(dist), 'top_level.txt', MAX_METADATA) if folder_of(dist) else (None, '')
        for top in (top_level or b'').decode('utf-8', 'replace').split():
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
        key = top if top is not None and not dists[top][2] else None
    if key is not None:
        add(key, size, mod)
for name, size in entries.items():
    key = owner_file.get(name)
    if key is not None:
        add(key, size, name)

notices_left = [MAX_NOTICES]


def same(a, b):
    return os.path.normcase(a) == os.path.normcase(b)


def inside(path, folder):
    path, folder = os.path.normcase(path), os.path.normcase(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def locate(site, rel, own):
    # A path from the distribution's metadata, relative to its site folder: where it leads, or why it is refused.
    # It must stay inside 'own' (the distribution's own folder) with no symbolic link on the way, and be a regular file.
    if not rel or '\x00' in rel or '\\' in rel or rel.startswith('/') or re.match('^[A-Za-z]:', rel):
        return None, 'is an absolute path'
    parts = PurePosixPath(rel).parts
    if '..' in parts:
        return None, "climbs out of the distribution's folders (..)"
    full = os.path.join(site, *parts)
    real = os.path.realpath(full)
    if not same(real, os.path.normpath(full)):
        return None, 'goes through a symbolic link'
    if not inside(real, own):
        return None, "lies outside the distribution's own folders"
    try:
        st = os.stat(real)
    except OSError:
        return None, ''
    if not stat.S_ISREG(st.st_mode):
        return None, 'is not a regular file'
    return (real, st.st_size), ''


def license_texts(dist, md, files):
    texts, skipped, seen, judged = [], [], set(), set()
    folder = folder_of(dist)
    if folder is None:
        return texts, skipped
    site = os.path.realpath(str(dist.locate_file('')))
    info = os.path.relpath(folder, site).replace(os.sep, '/')

    def skip(name, reason):
        if len(skipped) < 50:
            skipped.append({'file': clean(name, 200), 'reason': reason})

    def take(name, found):
        real, size = found
        if real in seen:
            return
        seen.add(real)
        if size > MAX_TEXT:
            return skip(name, f'is {size} bytes, more than the {MAX_TEXT} a license text may have')
        if size > notices_left[0]:
            return skip(name, f'would take the notices file past its {MAX_NOTICES} bytes')
        with open(real, 'rb') as fh:
            data = fh.read(MAX_TEXT + 1)
        if len(data) > MAX_TEXT:
            return skip(name, f'is more than the {MAX_TEXT} bytes a license text may have')
        text = data.decode('utf-8', 'replace')
        if text.strip() and text not in [t['text'] for t in texts]:
            notices_left[0] -= len(data)
            texts.append({'file': clean(PurePosixPath(name).name, 200), 'text': text})

    # License-File (PEP 639: inside the metadata folder, under licenses/; older tools put it beside METADATA).
    for lf in field_all(md, 'License-File')[:100]:
        if re.match(r'^([A-Za-z]:|[/\\])', lf):
            skip(lf, 'is an absolute path')
            continue
        if '..' in PurePosixPath(lf.replace('\\', '/')).parts:
            skip(lf, "climbs out of the distribution's folders (..)")
            continue
        reasons = []
        for candidate in (info + '/licenses/' + lf, info + '/' + lf):
            found, reason = locate(site, candidate, folder)
            if found or reason:
                judged.add(os.path.normcase(os.path.normpath(os.path.join(site, candidate))))
            if found:
                take(lf, found)
                break
            if reason:
                reasons.append(reason)
        else:
            skip(lf, reasons[0] if reasons else 'is not in its metadata folder')
    # License files among its installed files (RECORD): near the top of a package, or in licenses/.
    for f in files:
        p = norm(str(f))
        parts = PurePosixPath(p).parts
        if not parts or len(parts) > 3:
            continue
        if not (LICENSE_NAME.match(parts[-1]) or (len(parts) >= 3 and parts[0] == info and parts[1] == 'licenses')):
            continue
        if os.path.normcase(os.path.normpath(os.path.join(site, p))) in judged:
            continue
        own = folder if parts[0] == info else os.path.join(site, parts[0]) if len(parts) > 1 else site
        found, reason = locate(site, p, own)
        if found:
            take(p, found)
        elif reason:
            skip(p, reason)
    return texts, skipped


out = []
for key in sorted(shipped):
    dist, md, files = dists[key]
    texts, skipped = license_texts(dist, md, files)
    out.append({
        'name': field(md, 'Name', 200),
        'version': field(md, 'Version', 100),
        'licenseExpression': field(md, 'License-Expression', 1000),
        'license': str(md['License'] or '')[:16384] if 'License' in md else '',
        'classifiers': [clean(c, 200) for c in field_all(md, 'Classifier') if c.startswith('License ::')][:50],
        'summary': field(md, 'Summary', 300),
        'licenseTexts': texts,
        'skippedTexts': skipped,
        'files': shipped[key]['files'],
        'size': shipped[key]['size'],
    })
report = {'distributions': out, 'entries': len(entries) + len(modules), 'leaks': leaks, 'problems': problems[:100]}
with open(req['out'], 'w', encoding='utf-8') as fh:
    json.dump(report, fh)
`
