import 'reflect-metadata';
import { loadConfig } from './load-config';
import { startLine } from './start-line';

describe('startLine', () => {
  it('names the address, the embedded database, the in-process broker and the UI on the default', () => {
    expect(startLine(loadConfig({}), 3000, true))
      .toBe('Baton listening on http://127.0.0.1:3000 (embedded database ./data, in-process broker, UI at /ui)');
  });

  it('reflects the configuration: the bound port, DATA_DIR, an IPv6 host, and a missing UI build', () => {
    expect(startLine(loadConfig({ DATA_DIR: '/var/lib/baton', HOST: '::1', CONSOLE_DIR: '/opt/baton/ui' }), 41234, false))
      .toBe('Baton listening on http://[::1]:41234 (embedded database /var/lib/baton, in-process broker, '
        + 'no UI build in /opt/baton/ui: run npm run build, or set CONSOLE_DIR)');
  });

  it('names a relative CONSOLE_DIR in full when it holds no build: Baton started from another directory finds none there', () => {
    expect(startLine(loadConfig({}), 3000, false)).toContain(`no UI build in ${process.cwd()}/ui/dist:`);
  });

  it('names PostgreSQL and RabbitMQ by host and path, never with their credentials or query', () => {
    const line = startLine(loadConfig({
      DATABASE_URL: 'postgres://baton:s3cret-pw@db.internal:5433/baton?sslmode=require&password=other-secret',
      MESSAGING_DRIVER: 'rabbitmq',
      RABBITMQ_URL: 'amqp://guest:rabbit-pw@mq.internal:5672/prod',
    }), 3000, true);
    expect(line).toBe('Baton listening on http://127.0.0.1:3000 (PostgreSQL at db.internal:5433/baton, RabbitMQ at mq.internal:5672/prod, UI at /ui)');
    expect(line).not.toMatch(/s3cret|rabbit-pw|other-secret|baton:|guest/);
  });

  it('names the Kafka brokers', () => {
    const config = loadConfig({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: 'k1:9092,k2:9092', HOST: '0.0.0.0', ADMIN_API_KEY: `bk_test_${'a'.repeat(32)}` });
    expect(startLine(config, 8080, true))
      .toBe('Baton listening on http://0.0.0.0:8080 (embedded database ./data, Kafka at k1:9092,k2:9092, UI at /ui)');
  });
});
