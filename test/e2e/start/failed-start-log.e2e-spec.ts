import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { startBaton } from '../../../src/start-baton';
import { newAdminKey } from '../../helpers/auth';
import { captureOutput } from '../../helpers/captured-output';

/**
 * A start that fails inside Nest (here: authentication on with no way in) is reported in the
 * configured format, so a log collector parses it: Nest's default logger wrote it in colour.
 */
describe('a failed start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-failed-start-'));
  afterAll(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is logged as JSON lines, naming why', async () => {
    Object.assign(process.env, {
      DATA_DIR: dir, DEFINITIONS_DIR: join(dir, 'none'), AUTH_MODE: 'on', LOG_FORMAT: 'json', LOG_LEVEL: 'info', DEMO_WORKER: 'false', PORT: '0',
    });
    const config = loadConfig(process.env);
    const output = captureOutput();
    await expect(startBaton(config)).resolves.toBeUndefined();
    const lines = output.lines();
    jest.restoreAllMocks();
    expect(lines.length).toBeGreaterThan(0);
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(records).toContainEqual(expect.objectContaining({
      level: 60, context: 'Baton', msg: expect.stringMatching(/^Baton failed to start: AUTH_MODE=on needs a way to authenticate/),
    }));
  }, 60_000);

  it('says what to do about a port already in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    // The application's own ConfigModule reads process.env, as in production.
    const env = { DATA_DIR: dir, DEFINITIONS_DIR: join(dir, 'none'), LOG_FORMAT: 'json', LOG_LEVEL: 'info', DEMO_WORKER: 'false',
      PORT: String((holder.address() as AddressInfo).port), HOST: '127.0.0.1', AUTH_MODE: 'off' };
    const before = { ...process.env };
    Object.assign(process.env, env);
    try {
      const output = captureOutput();
      await expect(startBaton(loadConfig(process.env))).resolves.toBeUndefined();
      const records = output.lines().map((line) => JSON.parse(line) as { level: number; msg: string });
      jest.restoreAllMocks();
      expect(records).toContainEqual(expect.objectContaining({
        level: 60, msg: expect.stringMatching(/^Baton failed to start: listen EADDRINUSE.*\(another process listens there: stop it, or set PORT\)$/),
      }));
    } finally {
      holder.close();
      for (const key of Object.keys(env)) if (before[key] === undefined) delete process.env[key]; else process.env[key] = before[key];
    }
  }, 60_000);

  it('names each connection that lists no services, when callers are authenticated', async () => {
    const connections = {
      DATA_DIR: dir, DEFINITIONS_DIR: join(dir, 'none'), AUTH_MODE: 'on', LOG_FORMAT: 'json', LOG_LEVEL: 'info', DEMO_WORKER: 'false', PORT: '0',
      ADMIN_API_KEY: newAdminKey(), AWX_HOST: 'http://127.0.0.1:9', AWX_TOKEN: 'awx-never-used', HTTP_CONNECTIONS: 'erp',
      HTTP_ERP_BASE_URL: 'http://127.0.0.1:9/api', HTTP_ERP_SERVICES: 'orders',
    };
    Object.assign(process.env, connections);
    try {
      const output = captureOutput();
      await expect(startBaton(loadConfig(process.env))).resolves.toBeUndefined();
      const records = output.lines().map((line) => JSON.parse(line) as { level: number; msg: string });
      jest.restoreAllMocks();
      expect(records).toContainEqual(expect.objectContaining({
        level: 60, msg: expect.stringMatching(/^Baton failed to start: AWX_SERVICES must be set when callers are authenticated/),
      }));
    } finally {
      for (const key of Object.keys(connections)) delete process.env[key];
    }
  }, 60_000);
});
