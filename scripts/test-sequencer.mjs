// Jest's own order, except that the files that take longest start first: the Nuitka end-to-end file (a cold
// compile of chatty) is most of the run, and with two workers everything else runs beside it; the Windows files
// (builds under Wine, minutes each: the long Windows tests, the MSI's, the fast case) start next. Jest orders by
// the durations of an earlier run on the same machine, and a CI machine starts with none.
import testSequencer from '@jest/test-sequencer'

const Sequencer = testSequencer.default ?? testSequencer
const LONGEST_FIRST = [/[\\/]long[\\/]nuitka\.test\.ts$/, /[\\/]long[\\/]windows\.test\.ts$/, /[\\/]long[\\/]msi\.test\.ts$/, /[\\/]e2e[\\/]windows\.test\.ts$/]

const rank = (test) => {
  const i = LONGEST_FIRST.findIndex((re) => re.test(test.path))
  return i === -1 ? LONGEST_FIRST.length : i
}

export default class LongestFirst extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests)
    return sorted
      .map((test, i) => ({ test, i }))
      .sort((a, b) => rank(a.test) - rank(b.test) || a.i - b.i)
      .map((x) => x.test)
  }
}
