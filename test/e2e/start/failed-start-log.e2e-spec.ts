import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { EmbeddedDatabase } from '../../../src/database/embedded-database';
import { startBaton } from '../../../src/start-baton';
import { newAdminKey } from '../../helpers/auth';
import { captureOutput } from '../../helpers/captured-output';
import { seedInto } from '../../helpers/seeded-data-dir';

/**
 * A start that fails inside Nest (here: authentication on with no way in) is reported in the
 * configured format, so a log collector parses it: Nest's default logger wrote it in colour.
 */
describe('a failed start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-failed-start-'));
  afterAll(async () => {
    jest.restoreAllMocks();
    // A provider that fails while the embedded database is still opening leaves it opening: startBaton
    // closes what was open when the start failed, and this what opened later, before its directory goes.
    await EmbeddedDatabase.closeOpenedSince(new Set());
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Starts Baton with `env` on top of what the process has (the application's own ConfigModule reads
   * process.env, as in production), expects the start to fail, and answers the lines it wrote.
   */
  async function failedStart(env: Record<string, string>): Promise<Array<{ level: number; msg: string; context?: string }>> {
    const before = { ...process.env };
    Object.assign(process.env, { DATA_DIR: dir, DEFINITIONS_DIR: join(dir, 'none'), LOG_FORMAT: 'json', LOG_LEVEL: 'info', DEMO_WORKER: 'false', PORT: '0', ...env });
    try {
      const output = captureOutput();
      await expect(startBaton(loadConfig(process.env))).resolves.toBeUndefined();
      const lines = output.lines();
      jest.restoreAllMocks();
      expect(lines.length).toBeGreaterThan(0);
      return lines.map((line) => JSON.parse(line));
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
      Object.assign(process.env, before);
    }
  }

  it('is logged as JSON lines, naming why', async () => {
    expect(await failedStart({ AUTH_MODE: 'on' })).toContainEqual(expect.objectContaining({
      level: 60, context: 'Baton', msg: expect.stringMatching(/^Baton failed to start: AUTH_MODE=on needs a way to authenticate/),
    }));
  }, 60_000);

  it('says what to do about a port already in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((holder.address() as AddressInfo).port);
      expect(await failedStart({ PORT: port, HOST: '127.0.0.1', AUTH_MODE: 'off' })).toContainEqual(expect.objectContaining({
        level: 60, msg: expect.stringMatching(/^Baton failed to start: listen EADDRINUSE.*\(another process listens there: stop it, or set PORT\)$/),
      }));
    } finally {
      holder.close();
    }
  }, 60_000);

  it('names each connection that lists no services, when callers are authenticated', async () => {
    const records = await failedStart({
      AUTH_MODE: 'on', ADMIN_API_KEY: newAdminKey(), AWX_HOST: 'http://127.0.0.1:9', AWX_TOKEN: 'awx-never-used', HTTP_CONNECTIONS: 'erp',
      HTTP_ERP_BASE_URL: 'http://127.0.0.1:9/api', HTTP_ERP_SERVICES: 'orders',
    });
    expect(records).toContainEqual(expect.objectContaining({
      level: 60, msg: expect.stringMatching(/^Baton failed to start: AWX_SERVICES must be set when callers are authenticated/),
    }));
  }, 60_000);

  it('names the broker and its variable when it cannot be reached, never the password in RABBITMQ_URL', async () => {
    // A port nothing listens on: bound, then released.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    // A data directory of its own (a migrated copy: no initdb), as the start above that failed late may still hold the shared one's lock.
    const own = mkdtempSync(join(tmpdir(), 'baton-failed-start-broker-'));
    await seedInto(own);
    const records = await failedStart({ DATA_DIR: own, MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: `amqp://baton:never-logged-pw@127.0.0.1:${port}` })
      .finally(() => rmSync(own, { recursive: true, force: true }));
    expect(records).toContainEqual(expect.objectContaining({
      level: 60, msg: expect.stringMatching(new RegExp(`^Baton failed to start: Cannot connect to RabbitMQ at 127\\.0\\.0\\.1:${port} \\(RABBITMQ_URL\\): `)),
    }));
    expect(JSON.stringify(records)).not.toContain('never-logged-pw');
  }, 60_000);
});
