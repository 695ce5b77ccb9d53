// Tests are TypeScript (ts-jest); they import the facade from lib/ and run on every device
// wt.devices() lists. The SIMT emulator plugin is loaded in test runs (test/setup-env.js).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Timing-sensitive suites run alone afterwards (npm test runs them with --runInBand).
  testPathIgnorePatterns: ['/node_modules/', '/test/serial/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  setupFiles: ['<rootDir>/test/setup-env.js'],
  testTimeout: 120000,
  // The emulator and the worker tests are CPU-heavy; two cores run two files at a time.
  maxWorkers: 2,
};
