/** A complete Config for planner tests; override what a test is about. */
import type { Config } from '../src/config.js'
import { NO_PYPROJECT } from '../src/pyproject.js'

export function testConfig(over: Partial<Config> = {}): Config {
  return {
    pythonVersion: '3.11',
    pythonManifest: 'https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json',
    projectDir: '/ws/proj',
    project: NO_PYPROJECT,
    extras: [],
    dependencyGroups: [],
    requirements: [],
    builder: 'pyinstaller',
    builderRequirement: 'pyinstaller==6.22.3',
    installer: 'uv',
    lock: 'auto',
    cache: true,
    spec: '/ws/proj/packaging/app.spec',
    entrypoints: [],
    onefile: true,
    onedir: true,
    icon: '',
    hiddenImports: [],
    collect: [],
    addData: [],
    excludeModules: [],
    upx: false,
    strip: false,
    compressionLevel: 6,
    glibcMax: '',
    name: '',
    version: '',
    smokeTests: [],
    smokeTimeoutSeconds: 60,
    outputDir: '/rt/build-standalone/out',
    workDir: '/rt/build-standalone',
    toolCache: '',
    ref: '',
    upload: 'tags',
    artifactName: '',
    retentionDays: undefined,
    release: 'false',
    githubToken: '',
    signing: {},
    licenseDeny: [],
    ...over
  }
}
