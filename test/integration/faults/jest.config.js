// The fault suite: real servers stopped and restarted, the engine SIGKILLed. It restarts the servers
// named by the environment through scripts/services.sh, so it runs alone, after the integration suites.
const integration = require('../jest.config.js');

module.exports = {
  ...integration,
  rootDir: '../../..',
  testMatch: ['<rootDir>/test/integration/faults/**/*.fault-spec.ts'],
  testRegex: undefined,
  testTimeout: 300_000,
};
