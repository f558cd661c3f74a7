export const id = 629;
export const ids = [629];
export const modules = {

/***/ 3629:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 10 modules
var core = __webpack_require__(7264);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 1 modules
var exec = __webpack_require__(1955);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/words.ts
var words = __webpack_require__(5846);
;// CONCATENATED MODULE: ./src/exec.ts
/**
 * The executor: the one place that starts processes. Commands are argument
 * arrays, never shell strings. It logs what it runs, and turns a non-zero
 * exit into a StageError with the tail of the output.
 */




/** Time spent waiting for child processes, in milliseconds (the rest is the action's own). */
const childTime = { ms: 0 };
function display(cmd) {
    return [cmd.program, ...cmd.args].map(words/* quoteForDisplay */.We).join(' ');
}
function environment(extra, base = process.env) {
    const env = {};
    for (const [k, v] of Object.entries(base))
        if (v !== undefined)
            env[k] = v;
    for (const [k, v] of Object.entries(extra ?? {})) {
        if (v === undefined)
            delete env[k];
        else
            env[k] = v;
    }
    return env;
}
/** The last `n` non-empty lines of a process's output. */
function tail(text, n = 20) {
    return text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(-n).join('\n');
}
/** Runs a command with its output streamed to the log; returns whatever the exit code. */
async function runCommand(cmd, opts = {}) {
    const started = Date.now();
    try {
        return await exec/* getExecOutput */.H(cmd.program, [...cmd.args], {
            cwd: cmd.cwd,
            env: environment(cmd.env),
            ignoreReturnCode: true,
            silent: opts.silent
        });
    }
    catch (e) {
        throw new errors/* StageError */.Zu('run', `could not start ${cmd.program}: ${e.message}`);
    }
    finally {
        childTime.ms += Date.now() - started;
    }
}
/** Runs a command and throws a StageError naming `stage` and `hint` when it fails. */
async function runChecked(stage, cmd, hint, opts = {}) {
    const result = await runCommand(cmd, opts);
    if (result.exitCode !== 0) {
        const output = tail(`${result.stdout}\n${result.stderr}`);
        throw new errors/* StageError */.Zu(stage, `\`${display(cmd)}\` exited with code ${result.exitCode}. ${hint}${output ? `\nLast lines of its output:\n${output}` : ''}`);
    }
    return result;
}
/**
 * Runs a command with a time limit, capturing its output. On time-out the
 * whole process group is killed (a one-file executable forks a child).
 */
function runWithTimeout(cmd, timeoutMs) {
    const started = Date.now();
    const windows = process.platform === 'win32';
    return new Promise((resolve) => {
        let output = '';
        let timedOut = false;
        const child = (0,external_node_child_process_.spawn)(cmd.program, [...cmd.args], {
            cwd: cmd.cwd,
            env: environment(cmd.env),
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: !windows,
            windowsHide: true
        });
        const collect = (chunk) => {
            output += chunk.toString('utf8');
            if (output.length > 1_000_000)
                output = output.slice(-500_000);
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        const kill = () => {
            try {
                if (windows)
                    (0,external_node_child_process_.spawn)('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
                else if (child.pid)
                    process.kill(-child.pid, 'SIGKILL');
            }
            catch {
                child.kill('SIGKILL');
            }
        };
        const timer = setTimeout(() => {
            timedOut = true;
            kill();
        }, timeoutMs);
        const finish = (exitCode, signal) => {
            clearTimeout(timer);
            const ms = Date.now() - started;
            childTime.ms += ms;
            resolve({ exitCode, signal, timedOut, output, ms });
        };
        child.on('error', (e) => {
            output += `\n${e.message}`;
            finish(null, null);
        });
        child.on('close', finish);
    });
}

;// CONCATENATED MODULE: ./src/build.ts
/**
 * Running PyInstaller on the project's .spec file, and finding what it made:
 * one-file executables, one-folder builds and macOS .app bundles.
 */





function buildPaths(config) {
    return { distDir: external_node_path_.join(config.workDir, 'dist'), workPath: external_node_path_.join(config.workDir, 'work') };
}
function planSpecBuild(config, python, paths) {
    return {
        program: python,
        args: ['-m', 'PyInstaller', '--noconfirm', '--distpath', paths.distDir, '--workpath', paths.workPath, config.spec],
        cwd: config.projectDir,
        env: { PYTHONPATH: undefined, PYTHONHOME: undefined, PYTHONNOUSERSITE: '1' }
    };
}
const NOT_PROGRAMS = /\.(so(\.\d+)*|dylib|dll|pyd|toc|pkg|txt|json|plist)$/i;
/** Which top-level dist entries are builds, for the given platform. */
function classifyDist(platform, distDir, entries) {
    const join = platform.path.join;
    const builds = [];
    for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.name.startsWith('.'))
            continue;
        const root = join(distDir, entry.name);
        if (!entry.isDir) {
            const runnable = platform.os === 'windows' ? entry.name.toLowerCase().endsWith('.exe') : entry.executable === true && !NOT_PROGRAMS.test(entry.name);
            if (runnable)
                builds.push({ mode: 'onefile', name: entry.name, root, executables: [{ name: entry.name, path: root }] });
            continue;
        }
        const programs = (entry.programs ?? []).filter((p) => (platform.os === 'windows' ? p.toLowerCase().endsWith('.exe') : !NOT_PROGRAMS.test(p))).sort();
        if (!programs.length)
            continue;
        const app = platform.os === 'macos' && entry.name.endsWith('.app');
        const base = app ? join(root, 'Contents', 'MacOS') : root;
        builds.push({ mode: app ? 'app' : 'onedir', name: entry.name, root, executables: programs.map((p) => ({ name: p, path: join(base, p) })) });
    }
    return builds;
}
const isRunnable = (file) => {
    try {
        const st = external_node_fs_.statSync(file);
        return st.isFile() && (process.platform === 'win32' || (st.mode & 0o111) !== 0);
    }
    catch {
        return false;
    }
};
/** Reads a dist folder into the entries `classifyDist` takes. */
function scanDist(distDir) {
    if (!external_node_fs_.existsSync(distDir))
        return [];
    return external_node_fs_.readdirSync(distDir, { withFileTypes: true }).map((d) => {
        const full = external_node_path_.join(distDir, d.name);
        if (!d.isDirectory())
            return { name: d.name, isDir: false, executable: isRunnable(full) };
        const inner = d.name.endsWith('.app') ? external_node_path_.join(full, 'Contents', 'MacOS') : full;
        const programs = external_node_fs_.existsSync(inner) ? external_node_fs_.readdirSync(inner).filter((f) => isRunnable(external_node_path_.join(inner, f))) : [];
        return { name: d.name, isDir: true, programs };
    });
}
async function build(config, platform, python) {
    const paths = buildPaths(config);
    await io/* rmRF */.Yz(paths.distDir);
    await runChecked('build', planSpecBuild(config, python, paths), `PyInstaller could not build ${external_node_path_.relative(config.projectDir, config.spec) || config.spec}: the error is in the lines above.`);
    const builds = classifyDist(platform, paths.distDir, scanDist(paths.distDir));
    if (!builds.length)
        throw new errors/* StageError */.Zu('build', `PyInstaller finished but ${paths.distDir} holds no executable. Check that the spec defines an EXE (and a COLLECT for a one-folder build).`);
    return builds;
}

// EXTERNAL MODULE: ./src/inputs.ts + 10 modules
var inputs = __webpack_require__(1620);
;// CONCATENATED MODULE: ./src/install.ts
/**
 * Installing the project (extras, PEP 735 dependency groups, requirements
 * files) and PyInstaller into the build venv, and reading the version that
 * was installed.
 */




/** The environment every installer run gets: quiet, non-interactive, no user site. */
const INSTALL_ENV = Object.freeze({
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    PYTHONNOUSERSITE: '1',
    PYTHONPATH: undefined,
    PYTHONHOME: undefined
});
/** `path[extra1,extra2]`, pip's form for a local project with extras. */
function projectRequirement(projectDir, extras) {
    return extras.length ? `${projectDir}[${extras.join(',')}]` : projectDir;
}
/** The requirements of the chosen dependency groups, one a line, in order, without repeats. */
function groupRequirements(config) {
    const out = [];
    for (const group of config.dependencyGroups)
        for (const req of config.project.dependencyGroups[group] ?? [])
            if (!out.includes(req))
                out.push(req);
    return out;
}
function planInstall(config, python) {
    const groups = groupRequirements(config);
    const groupFile = external_node_path_.join(config.workDir, 'dependency-groups.txt');
    const files = groups.length ? [{ path: groupFile, content: `${groups.join('\n')}\n` }] : [];
    const args = ['-m', 'pip', 'install', projectRequirement(config.projectDir, config.extras)];
    if (groups.length)
        args.push('-r', groupFile);
    for (const file of config.requirements)
        args.push('-r', file);
    args.push(config.pyinstallerRequirement);
    return { files, commands: [{ program: python, args, cwd: config.projectDir, env: INSTALL_ENV }] };
}
async function install(config, python) {
    const plan = planInstall(config, python);
    for (const file of plan.files) {
        external_node_fs_.mkdirSync(external_node_path_.dirname(file.path), { recursive: true });
        external_node_fs_.writeFileSync(file.path, file.content);
    }
    for (const cmd of plan.commands)
        await runChecked('install', cmd, 'The project or PyInstaller could not be installed: check the dependency that pip names above, and the extras, dependency-groups and requirements inputs.');
}
const VERSION_SCRIPT = 'import importlib.metadata as m,sys;print(m.version(sys.argv[1]))';
/** The command that prints the installed distribution's version. */
function installedVersionCommand(python, distribution) {
    return { program: python, args: ['-c', VERSION_SCRIPT, distribution], env: INSTALL_ENV };
}
/** The version for archive names: the input, the static one, or the installed distribution's. */
async function resolveVersion(config, python) {
    if (config.version)
        return config.version;
    if (config.project.version)
        return config.project.version;
    if (config.project.name) {
        const result = await runChecked('install', installedVersionCommand(python, config.project.name), '', { silent: true }).catch(() => undefined);
        const version = result?.stdout.trim().split('\n').pop();
        if (version)
            return version;
    }
    throw new errors/* StageError */.Zu('install', 'the project version is unknown (pyproject.toml has no static [project] version and the installed distribution has none). Set the `version` input.');
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/package.ts
/**
 * Packaging: one archive per build (zip on Windows, tar.gz elsewhere, keeping
 * exec bits), named `{name}-{version}-{os}-{arch}[-onedir|-app]`, and a
 * SHA256SUMS file.
 */





/** Strips the executable suffix and bundle extension from a build's name. */
function baseName(build) {
    return build.name.replace(/\.(exe|app)$/i, '');
}
function archiveStem(platform, base, version, mode) {
    const suffix = mode === 'onedir' ? '-onedir' : mode === 'app' ? '-app' : '';
    return `${base}-${version}-${platform.os}-${platform.arch}${suffix}`;
}
/** The command that archives `root` (a file or folder) into `archive`, the entry named as `root`'s base name. */
function archiveCommand(platform, root, archive, env = process.env) {
    const p = platform.path;
    if (platform.os === 'windows') {
        const tar = p.join(env.SystemRoot || env.SYSTEMROOT || 'C:\\Windows', 'System32', 'tar.exe');
        return { program: tar, args: ['-a', '-c', '-f', archive, '-C', p.dirname(root), p.basename(root)] };
    }
    return {
        program: 'tar',
        args: ['-c', '-z', '-f', archive, '-C', p.dirname(root), p.basename(root)],
        env: platform.os === 'macos' ? { COPYFILE_DISABLE: '1' } : undefined
    };
}
/**
 * Plans one archive per build. `name` replaces the executable's name when set;
 * two builds that would share an archive name are refused.
 */
function planArchives(platform, builds, name, version, outputDir) {
    const planned = builds.map((build) => {
        const file = `${archiveStem(platform, name || baseName(build), version, build.mode)}.${platform.archiveFormat}`;
        const archive = platform.path.join(outputDir, file);
        return { build, file, path: archive, command: archiveCommand(platform, build.root, archive) };
    });
    const seen = new Map();
    for (const a of planned) {
        const other = seen.get(a.file);
        if (other)
            throw new errors/* StageError */.Zu('package', `the builds ${other.name} and ${a.build.name} would both be archived as ${a.file}. ${name ? `Remove the name input (it gives every build the name '${name}')` : 'Give the executables different names in the spec'}.`);
        seen.set(a.file, a.build);
    }
    return planned;
}
/** The lines of a SHA256SUMS file, in the format `sha256sum -c` reads. */
function checksumsText(assets) {
    return assets.map((a) => `${a.sha256}  ${a.name}\n`).join('');
}
async function sha256File(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of external_node_fs_.createReadStream(file))
        hash.update(chunk);
    return hash.digest('hex');
}
const CHECKSUMS_FILE = 'SHA256SUMS';
async function packageBuilds(platform, builds, name, version, outputDir) {
    const planned = planArchives(platform, builds, name, version, outputDir);
    external_node_fs_.mkdirSync(outputDir, { recursive: true });
    const assets = [];
    for (const a of planned) {
        external_node_fs_.rmSync(a.path, { force: true });
        await runChecked('package', a.command, `Could not write ${a.path}: check that output-dir is writable and has space.`);
        assets.push({ name: a.file, path: a.path, size: external_node_fs_.statSync(a.path).size, sha256: await sha256File(a.path), mode: a.build.mode });
    }
    const sumsPath = external_node_path_.join(outputDir, CHECKSUMS_FILE);
    external_node_fs_.writeFileSync(sumsPath, checksumsText(assets));
    assets.push({ name: CHECKSUMS_FILE, path: sumsPath, size: external_node_fs_.statSync(sumsPath).size, sha256: await sha256File(sumsPath), mode: 'checksums' });
    return assets;
}

;// CONCATENATED MODULE: ./src/platform.ts
/**
 * The runner's operating system and architecture as typed values, and every
 * naming difference that follows from them. Planners take a Platform so that
 * Windows and macOS behaviour is testable on any machine.
 */

const OS_NAMES = { linux: 'linux', win32: 'windows', darwin: 'macos' };
const ARCH_NAMES = { x64: 'x64', arm64: 'arm64', ia32: 'x86' };
/** The Platform for Node's `process.platform` and `process.arch` values. */
function platformFor(nodePlatform, nodeArch) {
    const os = OS_NAMES[nodePlatform];
    const arch = ARCH_NAMES[nodeArch];
    if (!os)
        throw new Error(`unsupported operating system '${nodePlatform}' (supported: Linux, Windows, macOS)`);
    if (!arch)
        throw new Error(`unsupported architecture '${nodeArch}' (supported: x64, arm64, x86)`);
    const windows = os === 'windows';
    return Object.freeze({
        os,
        arch,
        exeSuffix: windows ? '.exe' : '',
        archiveFormat: windows ? 'zip' : 'tar.gz',
        venvBin: windows ? 'Scripts' : 'bin',
        pathDelimiter: windows ? ';' : ':',
        path: windows ? external_node_path_.win32 : external_node_path_.posix
    });
}
/** The Platform this process runs on. */
function currentPlatform() {
    return platformFor(process.platform, process.arch);
}
/** The interpreter inside a venv. */
function venvPython(platform, venvDir) {
    return platform.path.join(venvDir, platform.venvBin, `python${platform.exeSuffix}`);
}

;// CONCATENATED MODULE: ./src/python.ts
/**
 * Finding a Python interpreter that matches `python-version` (the runner's
 * tool cache first, then PATH) and creating the isolated build venv.
 */






const PROBE_SCRIPT = 'import json,platform,struct,sys;print(json.dumps({"version":"%d.%d.%d"%sys.version_info[:3],"executable":sys.executable,"bits":struct.calcsize("P")*8,"machine":platform.machine()}))';
/** True when `actual` (e.g. 3.11.7) is what `spec` (3, 3.11, 3.11.7, 3.x) asks for. */
function versionMatches(spec, actual) {
    const want = spec.split('.');
    const have = actual.split('.');
    return want.every((part, i) => part === 'x' || part === have[i]);
}
/** Newest first. */
function compareVersionsDesc(a, b) {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pb[i] ?? 0) - (pa[i] ?? 0);
        if (d !== 0)
            return d;
    }
    return 0;
}
/** The interpreter path inside a tool-cache entry `<toolCache>/Python/<version>/<arch>`. */
function toolCachePython(platform, toolCache, version) {
    const dir = platform.path.join(toolCache, 'Python', version, platform.arch);
    return platform.os === 'windows' ? platform.path.join(dir, 'python.exe') : platform.path.join(dir, 'bin', 'python3');
}
/**
 * Interpreters to try from the tool cache, best first: the versions whose
 * `<arch>.complete` marker exists and that match `spec`.
 */
function toolCacheCandidates(platform, toolCache, spec, versions, complete) {
    if (!toolCache)
        return [];
    return versions
        .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && versionMatches(spec, v) && complete(v))
        .sort(compareVersionsDesc)
        .map((v) => toolCachePython(platform, toolCache, v));
}
/** Program names to look up on PATH, most specific first. */
function pathCandidates(platform, spec) {
    const [major, minor] = spec.split('.');
    const names = platform.os === 'windows' ? ['python', 'python3'] : ['python3', 'python'];
    if (minor && minor !== 'x' && platform.os !== 'windows')
        names.unshift(`python${major}.${minor}`);
    return names;
}
/** True when the interpreter was built for the runner's architecture. */
function archMatches(probe, platform) {
    const machine = probe.machine.toLowerCase();
    const arm = machine === 'arm64' || machine === 'aarch64';
    if (platform.arch === 'x86')
        return probe.bits === 32;
    if (platform.arch === 'arm64')
        return probe.bits === 64 && arm;
    return probe.bits === 64 && !arm;
}
function probeCommand(program) {
    return { program, args: ['-c', PROBE_SCRIPT], env: { PYTHONHOME: undefined, PYTHONPATH: undefined } };
}
/** Finds an interpreter for `spec`, or throws naming what was found instead. */
async function findPython(platform, spec, toolCache) {
    const cacheRoot = toolCache ? external_node_path_.join(toolCache, 'Python') : '';
    const versions = cacheRoot && external_node_fs_.existsSync(cacheRoot) ? external_node_fs_.readdirSync(cacheRoot) : [];
    const fromCache = toolCacheCandidates(platform, toolCache, spec, versions, (v) => external_node_fs_.existsSync(external_node_path_.join(cacheRoot, v, `${platform.arch}.complete`)));
    const fromPath = [];
    for (const name of pathCandidates(platform, spec)) {
        const found = await io/* which */.K7(name, false);
        if (found && !fromPath.includes(found))
            fromPath.push(found);
    }
    const seen = [];
    const candidates = [...fromCache.map((p) => ({ p, source: 'tool cache' })), ...fromPath.map((p) => ({ p, source: 'PATH' }))];
    for (const { p, source } of candidates) {
        if (!external_node_fs_.existsSync(p))
            continue;
        const info = await probe(p);
        if (!info)
            continue;
        seen.push(`${info.version} (${info.bits}-bit ${info.machine}) at ${p}`);
        if (versionMatches(spec, info.version) && archMatches(info, platform))
            return { executable: info.executable || p, version: info.version, source };
    }
    const looked = [cacheRoot ? `the runner tool cache (${cacheRoot})` : 'the runner tool cache (RUNNER_TOOL_CACHE is not set)', 'PATH'].join(' and ');
    throw new errors/* StageError */.Zu('python', `no Python ${spec} for ${platform.arch} was found in ${looked}. ${seen.length ? `Found instead: ${seen.join('; ')}.` : 'No Python was found at all.'} ` +
        `Install it before this step (for example with actions/setup-python), or set python-version to one that is installed.`);
}
async function probe(program) {
    const result = await runCommand(probeCommand(program), { silent: true });
    if (result.exitCode !== 0)
        return undefined;
    try {
        return JSON.parse(result.stdout.trim().split('\n').pop() ?? '');
    }
    catch {
        return undefined;
    }
}
/** The command that creates the build venv. */
function venvCommand(python, venvDir) {
    return { program: python, args: ['-m', 'venv', venvDir] };
}
/** Creates a fresh venv and returns its interpreter. */
async function createVenv(platform, python, venvDir) {
    await io/* rmRF */.Yz(venvDir);
    const result = await runCommand(venvCommand(python, venvDir));
    if (result.exitCode !== 0)
        throw new errors/* StageError */.Zu('python', `could not create a venv with ${python} (exit code ${result.exitCode}): ${result.stderr.trim()}. On Debian/Ubuntu, install the pythonX.Y-venv package.`);
    return venvPython(platform, venvDir);
}

;// CONCATENATED MODULE: ./src/report.ts
/**
 * The action's outputs and its job summary.
 */

function formatSize(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    if (bytes < 1024 * 1024)
        return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
/** Every output, as name → string value. */
function outputsFor(r) {
    const archives = r.assets.filter((a) => a.mode !== 'checksums');
    return {
        version: r.version,
        'python-version': r.python,
        'output-dir': r.outputDir,
        archives: archives.map((a) => a.path).join('\n'),
        checksums: r.assets.find((a) => a.mode === 'checksums')?.path ?? '',
        assets: JSON.stringify(r.assets.map((a) => ({ name: a.name, path: a.path, size: a.size, sha256: a.sha256, mode: a.mode }))),
        executables: JSON.stringify(r.builds.flatMap((b) => b.executables.map((e) => ({ name: e.name, path: e.path, mode: b.mode })))),
        timings: JSON.stringify(Object.fromEntries(r.timings.map((t) => [t.stage, Number(t.seconds.toFixed(2))])))
    };
}
const escapeCell = (s) => s.replace(/\|/g, '\\|');
/** The job summary in Markdown. */
function summaryMarkdown(r) {
    const lines = [
        `## build-standalone: ${r.builds.length} build${r.builds.length === 1 ? '' : 's'} for ${r.platform.os}-${r.platform.arch}`,
        '',
        `Version **${escapeCell(r.version)}**, Python ${r.python}, ${r.smokeRuns ? `${r.smokeRuns} smoke test${r.smokeRuns === 1 ? '' : 's'} passed` : 'no smoke tests'}.`,
        '',
        '| asset | mode | size | sha256 |',
        '|---|---|---:|---|',
        ...r.assets.map((a) => `| \`${escapeCell(a.name)}\` | ${a.mode} | ${formatSize(a.size)} | \`${a.sha256}\` |`),
        '',
        '| stage | seconds |',
        '|---|---:|',
        ...r.timings.map((t) => `| ${t.stage} | ${t.seconds.toFixed(1)} |`),
        ''
    ];
    return lines.join('\n');
}
function failureMarkdown(message, timings) {
    return [
        '## build-standalone failed',
        '',
        '```',
        message,
        '```',
        '',
        '| stage | seconds |',
        '|---|---:|',
        ...timings.map((t) => `| ${t.stage} | ${t.seconds.toFixed(1)} |`),
        ''
    ].join('\n');
}
/** Writes the summary when the runner gave a summary file (no-op otherwise). */
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await core/* summary */.z.addRaw(markdown, true).write();
}
async function report(r) {
    for (const [name, value] of Object.entries(outputsFor(r)))
        core/* setOutput */.uH(name, value);
    await writeSummary(summaryMarkdown(r));
    for (const a of r.assets)
        core/* info */.pq(`${a.name}  ${formatSize(a.size)}  sha256 ${a.sha256}`);
}

;// CONCATENATED MODULE: ./src/smoke.ts
/**
 * Smoke tests: every command against every built executable, with a time
 * limit, from an empty folder and with the build venv off PATH, so that a
 * pass means the executable runs without Python. Failures are diagnosed.
 */





/** The variables that would let a build lean on the build venv, removed; PATH without the venv. */
function smokeEnv(env, venvBinDir, delimiter) {
    const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
    const entries = (env[pathKey] ?? '').split(delimiter).filter((p) => p && external_node_path_.resolve(p) !== external_node_path_.resolve(venvBinDir));
    return { [pathKey]: entries.join(delimiter), VIRTUAL_ENV: undefined, PYTHONHOME: undefined, PYTHONPATH: undefined };
}
function planSmoke(builds, tests, cwd, env) {
    return builds.flatMap((build) => build.executables.flatMap((executable) => tests.map((test) => ({ build, executable, test, command: { program: executable.path, args: test.args, cwd, env } }))));
}
/** Why a smoke run failed, and what fixes it. '' when it passed. */
function diagnose(result, timeoutSeconds) {
    if (result.timedOut)
        return `it did not finish within ${timeoutSeconds} s and was stopped. A command that waits for input or starts a server never ends: use one that exits (such as --help), or raise smoke-timeout.`;
    if (result.exitCode === 0)
        return '';
    const out = result.output;
    const missing = /ModuleNotFoundError: No module named '([^']+)'/.exec(out);
    if (missing)
        return `missing hidden import: the executable does not contain the module '${missing[1]}', which is imported at run time in a way PyInstaller cannot see. Add '${missing[1]}' to hiddenimports in the .spec file (or to the hidden-imports input).`;
    const importName = /ImportError: cannot import name '([^']+)' from '([^']+)'/.exec(out);
    if (importName)
        return `import error: '${importName[1]}' could not be imported from '${importName[2]}'. A submodule is probably missing from the build: add '${importName[2]}' with its submodules to hiddenimports.`;
    const data = /(?:FileNotFoundError|No such file or directory)[^\n]*?'([^'\n]*_MEI[^'\n]*|[^'\n]*_internal[^'\n]*)'/.exec(out);
    if (data)
        return `missing data file: '${data[1]}' is not in the build. Add it to datas in the .spec file (or to the add-data input).`;
    const lib = /error while loading shared libraries: ([^:\s]+)/.exec(out);
    if (lib)
        return `missing shared library '${lib[1]}' on this machine or in the build.`;
    if (result.exitCode === null)
        return result.signal ? `it was killed by signal ${result.signal}.` : 'it could not be started.';
    return `it exited with code ${result.exitCode}.`;
}
function describeFailure(f) {
    const last = tail(f.output, 15);
    return `${f.run.build.mode} build ${f.run.build.name}: \`${f.run.executable.name} ${f.run.test.line}\` failed: ${f.reason}${last ? `\n  Last lines of its output:\n${last.replace(/^/gm, '    ')}` : ''}`;
}
/** Runs every smoke test; throws one StageError listing every failure. */
async function smokeTest(config, builds, venvBinDir, delimiter) {
    if (!config.smokeTests.length) {
        core/* notice */.lm('No smoke-test commands are set, so the executables were built but not run. Add smoke-test lines such as --help.');
        return 0;
    }
    const cwd = external_node_path_.join(config.workDir, 'smoke');
    external_node_fs_.mkdirSync(cwd, { recursive: true });
    const runs = planSmoke(builds, config.smokeTests, cwd, smokeEnv(process.env, venvBinDir, delimiter));
    const failures = [];
    for (const run of runs) {
        core/* info */.pq(`$ ${display({ program: run.executable.name, args: run.test.args })}   [${run.build.mode}: ${run.executable.path}]`);
        const result = await runWithTimeout(run.command, config.smokeTimeoutSeconds * 1000);
        const reason = diagnose(result, config.smokeTimeoutSeconds);
        core/* info */.pq(tail(result.output, 40).replace(/^/gm, '  '));
        if (reason) {
            failures.push({ run, reason, output: result.output });
            core/* error */.z3(describeFailure({ run, reason, output: result.output }));
        }
        else
            core/* info */.pq(`  passed in ${(result.ms / 1000).toFixed(1)} s`);
    }
    if (failures.length)
        throw new errors/* StageError */.Zu('smoke', `${failures.length} of ${runs.length} smoke test${runs.length === 1 ? '' : 's'} failed:\n${failures.map(describeFailure).join('\n')}`);
    return runs.length;
}

;// CONCATENATED MODULE: ./src/stage.ts
/**
 * One log group per stage, with its duration, and the timings of a run.
 */


const timings = [];
/** Runs `fn` inside a log group named for the stage, and records how long it took. */
async function stage(name, fn) {
    const started = Date.now();
    let outcome = 'failed';
    try {
        const value = await core/* group */.Os(name, async () => {
            try {
                return await fn();
            }
            catch (e) {
                if (e instanceof errors/* StageError */.Zu || e instanceof errors/* InputError */.dz || !(e instanceof Error))
                    throw e;
                throw new errors/* StageError */.Zu(name, e.message);
            }
        });
        outcome = 'done';
        return value;
    }
    finally {
        const seconds = (Date.now() - started) / 1000;
        timings.push({ stage: name, seconds });
        core/* info */.pq(`${name}: ${outcome} in ${seconds.toFixed(1)} s`);
    }
}

;// CONCATENATED MODULE: ./src/main.ts
/**
 * The pipeline: one run of the action, stage by stage.
 */














/** Runs the action; returns what was built, or undefined after a failure (reported with setFailed). */
async function run() {
    const started = Date.now();
    try {
        const platform = currentPlatform();
        const config = await stage('inputs', async () => (0,inputs/* readConfig */.Xg)((name) => core/* getInput */.V4(name), process.env));
        external_node_fs_.mkdirSync(config.workDir, { recursive: true });
        const venvDir = external_node_path_.join(config.workDir, 'venv');
        const { python, pythonVersion } = await stage('python', async () => {
            const found = await findPython(platform, config.pythonVersion, config.toolCache);
            core/* info */.pq(`Using Python ${found.version} from the ${found.source}: ${found.executable}`);
            return { python: await createVenv(platform, found.executable, venvDir), pythonVersion: found.version };
        });
        const version = await stage('install', async () => {
            await install(config, python);
            return resolveVersion(config, python);
        });
        const builds = await stage('build', () => build(config, platform, python));
        const smokeRuns = await stage('smoke', () => smokeTest(config, builds, external_node_path_.join(venvDir, platform.venvBin), platform.pathDelimiter));
        const assets = await stage('package', () => packageBuilds(platform, builds, config.name, version, config.outputDir));
        const result = { platform, version, python: pythonVersion, builds, assets, smokeRuns, timings: timings, outputDir: config.outputDir };
        await stage('report', () => report(result));
        return result;
    }
    catch (error) {
        const message = (0,errors/* describeError */.Uc)(error);
        core/* setFailed */.C1(message);
        await writeSummary(failureMarkdown(message, timings)).catch(() => undefined);
        return undefined;
    }
    finally {
        const total = (Date.now() - started) / 1000;
        core/* info */.pq(`Total ${total.toFixed(1)} s, of which ${(childTime.ms / 1000).toFixed(1)} s in child processes.`);
    }
}


/***/ })

};
