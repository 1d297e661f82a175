import { randomBytes } from 'node:crypto';
import { freshDatabase } from './postgres';

export type Driver = 'memory' | 'rabbitmq' | 'kafka';

function brokerEnv(driver: Driver): Record<string, string> {
  if (driver === 'memory') return { MESSAGING_DRIVER: 'memory' };
  const variable = driver === 'kafka' ? 'KAFKA_BROKERS' : 'RABBITMQ_URL';
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: eval "$(bash scripts/services.sh env)" first`);
  return { MESSAGING_DRIVER: driver, [variable]: value };
}

/**
 * Settings for a suite against the real servers: a fresh PostgreSQL database and topics of its
 * own, so that suites sharing a broker never see each other's messages. Call `cleanup` in afterAll.
 */
export function serverSuite(driver: Driver) {
  let drop: (() => Promise<void>) | undefined;
  return {
    env: async (): Promise<Record<string, string>> => {
      const db = await freshDatabase();
      drop = db.drop;
      const ns = `t${randomBytes(4).toString('hex')}.`;
      return {
        DATABASE_URL: db.url, ...brokerEnv(driver), CONSUMER_GROUP: `${ns}engine`,
        TOPIC_REGISTRATION: `${ns}registration`, TOPIC_EXECUTION_START: `${ns}start`, TOPIC_REPLY: `${ns}reply`,
        TOPIC_RUN_STATUS: `${ns}status`, COMMAND_TOPIC_PREFIX: `${ns}commands.`,
      };
    },
    cleanup: () => drop?.(),
  };
}
