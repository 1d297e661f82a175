// Suites against real servers (PostgreSQL, RabbitMQ, Kafka), started by scripts/services.sh.
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  testTimeout: 120_000,
};
