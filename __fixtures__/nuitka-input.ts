/** A NuitkaInput for planner tests: chatty's facts and no extras, with the given entry points and overrides. */
import type { NuitkaInput } from '../src/freeze/nuitka-plan.js'
import { NO_BUILDER_ARGS } from '../src/config.js'

export function nuitkaInput(over: Partial<NuitkaInput> & Pick<NuitkaInput, 'entries'>): NuitkaInput {
  return {
    projectDir: '/ws/proj',
    onefile: true,
    onedir: true,
    collectName: 'chatty-commander',
    icon: '',
    hiddenImports: [],
    collect: [],
    datas: [],
    excludes: [],
    upx: false,
    strip: false,
    hooksDirs: [],
    runtimeHooks: [],
    options: NO_BUILDER_ARGS.spec,
    facts: { version: '0.3.1', productName: 'chatty-commander', company: 'Chatty Team', description: 'Voice commands' },
    bundleIdPrefix: 'org.chatty-commander',
    importable: [],
    dataKind: () => 'file',
    compressionLevel: 6,
    extraArgs: [],
    ...over
  }
}
