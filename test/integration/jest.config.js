// Suites against real servers (PostgreSQL, RabbitMQ, Kafka), started by scripts/services.sh.
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@baton/worker$': '<rootDir>/packages/worker/src/index.ts' },
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  testTimeout: 120_000,
};
