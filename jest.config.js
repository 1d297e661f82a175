// `npm test`: everything that needs no server. Unit specs sit next to their code; e2e suites
// boot the app on the embedded default (PGlite + in-process broker).
const tsJest = { '^.+\\.ts$': 'ts-jest' };
const common = { testEnvironment: 'node', transform: tsJest, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', rootDir: '.', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
