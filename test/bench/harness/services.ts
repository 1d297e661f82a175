import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';

export type Driver = 'memory' | 'rabbitmq' | 'kafka';
export const DRIVERS: Driver[] = ['memory', 'rabbitmq', 'kafka'];

const HINT = 'start the servers with: eval "$(bash scripts/services.sh up && bash scripts/services.sh env)"';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: ${HINT}`);
  return value;
}

/** The PostgreSQL server of scripts/services.sh (a superuser URL: we create databases). */
export function adminDatabaseUrl(): string {
  return required('DATABASE_URL');
}

/** The broker settings a driver needs, as environment variables for the engine and the workers. */
export function brokerEnv(driver: Driver): Record<string, string> {
  if (driver === 'memory') return { MESSAGING_DRIVER: 'memory' };
  if (driver === 'rabbitmq') return { MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: required('RABBITMQ_URL') };
  return { MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: required('KAFKA_BROKERS') };
}

/**
 * Topic and group names of their own for one deployment, so that runs sharing a broker never see
 * each other's messages (and a Kafka consumer group never inherits another run's offsets).
 */
export function namespaceEnv(prefix = 'bench'): Record<string, string> {
  const ns = `${prefix}${randomBytes(4).toString('hex')}.`;
  return {
    CONSUMER_GROUP: `${ns}engine`,
    TOPIC_REGISTRATION: `${ns}registration`,
    TOPIC_EXECUTION_START: `${ns}start`,
    TOPIC_REPLY: `${ns}reply`,
    TOPIC_RUN_STATUS: `${ns}status`,
    COMMAND_TOPIC_PREFIX: `${ns}commands.`,
  };
}

export interface Database {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An empty database on the shared server; the engine's migrations create the schema. */
export async function createDatabase(prefix = 'baton_bench'): Promise<Database> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
