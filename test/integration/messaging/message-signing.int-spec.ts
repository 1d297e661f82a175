import { serverSuite } from '../../helpers/server-env';
import { messageSigningScenarios } from '../../scenarios/message-signing.scenarios';

for (const driver of ['rabbitmq', 'kafka'] as const) {
  const suite = serverSuite(driver);
  messageSigningScenarios(`PostgreSQL 15, ${driver} broker`, suite.env);
  afterAll(() => suite.cleanup());
}
