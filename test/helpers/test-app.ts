import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { httpAdapter } from '../../src/common/http/http-adapter';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { HandlersConfig, loadHandlersConfig } from '../../src/handlers/handlers-config';
import { seedInto } from './seeded-data-dir';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  config: AppConfig;
  /** Every route the HTTP server has, as `METHOD path` (HEAD, which Fastify adds to each GET, left out). */
  routes: string[];
  get<T>(token: abstract new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/**
 * Boots the whole application the way main.ts does, on the embedded default unless `env` says
 * otherwise (DATABASE_URL, MESSAGING_DRIVER ...). Configuration goes through the same validation
 * as production: tests change behaviour through settings, never through switches in src/.
 * Without DATA_DIR or DATABASE_URL, on a fresh copy of a migrated embedded database (seeded-data-dir).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-test-'));
  if (!env.DATA_DIR && !env.DATABASE_URL) await seedInto(dataDir);
  const settings = {
    DATA_DIR: dataDir,
    DEFINITIONS_DIR: join(dataDir, 'no-definitions'),
    LOG_LEVEL: 'warn',
    DEMO_WORKER: 'false',
    PORT: '0',
    ...env,
  };
  const config = loadConfig(settings);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig).useValue(config)
    .overrideProvider(HandlersConfig).useValue(loadHandlersConfig(settings))
    .compile();
  const app = moduleRef.createNestApplication(httpAdapter(config), { bodyParser: false, bufferLogs: true });
  configureApp(app);
  const routes: string[] = [];
  (app.getHttpAdapter().getInstance() as FastifyInstance).addHook('onRoute', ({ method, url }) => {
    routes.push(...[method].flat().filter((m) => m !== 'HEAD').map((m) => `${m} ${url}`));
  });
  try {
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (e) {
    // A half-started app still runs its loops: stop them, or they outlive the suite.
    await app.close().catch(() => undefined);
    throw e;
  }
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    routes,
    get: (token) => app.get(token as never),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
