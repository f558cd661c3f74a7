/** A NuitkaInput for planner tests: chatty's facts and no extras, with the given entry points and overrides. */
import type { NuitkaInput } from '../src/freeze/nuitka-plan.js'

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
    facts: { version: '0.3.1', productName: 'chatty-commander', company: 'Chatty Team', description: 'Voice commands' },
    bundleIdPrefix: 'org.chatty-commander',
    importable: [],
    dataKind: () => 'file',
    compressionLevel: 6,
    ...over
  }
}
