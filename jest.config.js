// Jest in ESM mode: unit tests (fast, mocked toolkit) and e2e tests (run dist/ under Node 24 on real projects).
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
    }
  ]
}
