// Suites against real servers (PostgreSQL, RabbitMQ, Kafka), started by scripts/services.sh.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// A suite that stops and starts a server (through serviceControls) breaks every suite using that
// server meanwhile, so it must run alone. Every other suite has its own database and namespaced
// topics and queues, so those may run side by side. INTEGRATION_GROUP picks one kind: `shared` runs
// on two workers, `restarts` one at a time; unset, every suite runs, one at a time.
const root = join(__dirname, '..', '..');
const suites = readdirSync(__dirname, { recursive: true })
  .filter((file) => file.endsWith('.int-spec.ts'))
  .map((file) => join(__dirname, file));
const restarting = suites.filter((file) => file.endsWith('.restarts.int-spec.ts'));
const groups = { restarts: restarting, shared: suites.filter((file) => !restarting.includes(file)) };
const group = process.env.INTEGRATION_GROUP;
if (group !== undefined && !groups[group]) {
  throw new Error(`INTEGRATION_GROUP must be one of ${Object.keys(groups).join(', ')}, not "${group}"`);
}

module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@baton/worker$': '<rootDir>/packages/worker/src/index.ts', '^@baton/worker/internal$': '<rootDir>/packages/worker/src/internal.ts' },
  // Exact paths (testRegex is matched against the absolute path): a group lists its files.
  testMatch: group ? undefined : ['<rootDir>/test/integration/**/*.int-spec.ts'],
  testRegex: group ? groups[group].map((file) => `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : undefined,
  maxWorkers: group === 'shared' ? 2 : 1,
  testTimeout: 120_000,
};
