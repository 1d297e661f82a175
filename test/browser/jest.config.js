// The console in a real headless Chromium (Debian's package, driven by playwright-core) against
// the embedded default with the demo worker. Needs `npm run build` (the console's files) and
// chromium (`bash scripts/services.sh up chromium`); `npm test` does not run it.
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testTimeout: 60_000,
  moduleNameMapper: { '^@baton/worker$': '<rootDir>/packages/worker/src/index.ts', '^@baton/worker/internal$': '<rootDir>/packages/worker/src/internal.ts' },
};
