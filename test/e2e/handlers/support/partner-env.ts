import { Logger } from '@nestjs/common';
import { inspect } from 'node:util';
import type { FakePartnerServer } from '../../../fakes/fake-partner.server';
import type { TestApp } from '../../../helpers/test-app';
import { startEngineApp } from './engine-app';

const BOOT_TIMEOUT_MS = 120_000;

/** Canary credentials: none may appear in a log line, a row or a response. */
export const ERP_TOKEN = 'canary-erp-token-7f3a9c';
export const CLIENT_SECRET = 'canary-client-secret-51d2';
export const CLIENT_ID = 'baton-client';

/** The partner's options: it accepts the ERP bearer token and the OAuth2 client's Basic credentials. */
export const PARTNER_AUTH = { token: ERP_TOKEN, username: CLIENT_ID, password: CLIENT_SECRET };

/**
 * Two connections to the fake partner, both with the base path /api: `erp` with a bearer token,
 * `crm` with an OAuth2 client-credentials grant; a fast job runner. `extra` wins.
 */
export function partnerEnv(partner: FakePartnerServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LOG_LEVEL: 'error',
    HTTP_CONNECTIONS: 'erp,crm',
    HTTP_ERP_BASE_URL: `${partner.url}/api`, HTTP_ERP_TOKEN: ERP_TOKEN, HTTP_ERP_CONNECT_TIMEOUT_MS: '1000', HTTP_ERP_TIMEOUT_MS: '1000',
    HTTP_CRM_BASE_URL: `${partner.url}/api`, HTTP_CRM_TOKEN_URL: `${partner.url}/oauth/token`,
    HTTP_CRM_CLIENT_ID: CLIENT_ID, HTTP_CRM_CLIENT_SECRET: CLIENT_SECRET, HTTP_CRM_CONNECT_TIMEOUT_MS: '1000', HTTP_CRM_TIMEOUT_MS: '1000',
    HANDLER_POLL_INTERVAL_MS: '10', HANDLER_JOB_POLL_INTERVAL_MS: '20',
    // Past crm's longest exchange: a token, the call, a fresh token and the call again, 4 × 2 s.
    HANDLER_LEASE_MS: '10000',
    HANDLER_LAUNCH_BACKOFF_INITIAL_MS: '10', HANDLER_LAUNCH_BACKOFF_MAX_MS: '40',
    ...extra,
  };
}

/**
 * Starts the partner and an engine on it (partnerEnv) before the suite's tests, and stops both
 * after them. Returns the engine's getter: it exists once the suite's tests run.
 */
export function usePartnerApp(partner: FakePartnerServer): () => TestApp {
  let t: TestApp | undefined;
  beforeAll(async () => {
    await partner.start();
    t = await startEngineApp(partnerEnv(partner));
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await t?.close();
    await partner.stop();
  });
  return () => t!;
}

/** Records every line Baton's scoped loggers are asked to write (message and context objects). */
export function captureLogs(): { text(): string; restore(): void } {
  const lines: string[] = [];
  const spies = (['log', 'warn', 'error', 'debug', 'verbose'] as const).map((level) =>
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 6 }))).join(' '));
    }));
  return { text: () => lines.join('\n'), restore: () => spies.forEach((s) => s.mockRestore()) };
}
