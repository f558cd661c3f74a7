// Jest in ESM mode, four projects:
//   unit         pure functions and planners, mocked toolkit (seconds)
//   integration  real tools on real files (osslsigncode signing a PE)
//   e2e          dist/ run as a runner does on the tiny fixture and examples/chatty, then the builds are run
//   long         what takes many minutes: Nuitka compiles of chatty, nektos/act, older-Linux root filesystems
// `npm test` runs the first three (README's command, minutes); `npm run test:all` runs all four.
const common = {
  preset: 'ts-jest/presets/default-esm',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }] },
  testEnvironment: 'node'
}

export default {
  reporters: ['default', '<rootDir>/scripts/count-reporter.cjs'],
  // Two test files at a time even on two cores (Jest's default there is one): most of an e2e file's time is one
  // single-threaded program (PyInstaller's analysis, Nuitka's optimizer, a smoke test), so a second file runs beside
  // it. Each e2e file builds its own copies of the sample projects (harness sample()), so files never share a folder.
  maxWorkers: 2,
  testSequencer: '<rootDir>/scripts/test-sequencer.mjs',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/__tests__/cleanup.ts']
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/__tests__/cleanup.ts'],
      slowTestThreshold: 600
    },
    {
      ...common,
      displayName: 'long',
      testMatch: ['<rootDir>/__tests__/long/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/__tests__/cleanup.ts'],
      slowTestThreshold: 1800
    }
  ]
}
