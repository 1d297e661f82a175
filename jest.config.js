// `npm test`: everything that needs no server. Unit specs sit next to their code; e2e suites
// boot the app on the embedded default (PGlite + in-process broker).
const tsJest = { '^.+\\.ts$': 'ts-jest' };
// Suites use the SDK from its sources, so `npm test` needs no build first.
const moduleNameMapper = { '^@baton/worker$': '<rootDir>/packages/worker/src/index.ts', '^@baton/worker/internal$': '<rootDir>/packages/worker/src/internal.ts' };
const common = { testEnvironment: 'node', transform: tsJest, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  testTimeout: 30_000,
  // Each e2e suite boots an app on its own PGlite, and a process keeps ~100 MB of each: run in one
  // process (what jest does with one worker, on a 2-core machine), the suites ran out of heap.
  // Two workers at least, each replaced once it holds 1.5 GB between suites.
  maxWorkers: Math.max(2, require('node:os').availableParallelism() - 1),
  workerIdleMemoryLimit: '1536MB',
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', moduleNameMapper, testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'worker-sdk', rootDir: 'packages/worker', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', rootDir: '.', moduleNameMapper, testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
