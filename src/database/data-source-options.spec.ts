import { AppConfig } from '../config/app-config';
import { BoundedClient } from './bounded-client';
import { dataSourceOptions } from './data-source-options';

const serverConfig = (settings: Partial<AppConfig> = {}) =>
  Object.assign(new AppConfig(), { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' }, settings);
const extraOf = (config: AppConfig, pglite?: unknown) => dataSourceOptions(config, pglite as never).extra as Record<string, unknown>;

describe('dataSourceOptions', () => {
  it('on a server, bounds each statement on the client a little past the server statement_timeout, and keeps connections probed', () => {
    expect(extraOf(serverConfig({ DATABASE_STATEMENT_TIMEOUT_MS: 30_000 }))).toMatchObject({
      statement_timeout: 30_000, Client: BoundedClient, replyTimeoutMillis: 33_000, keepAlive: true, keepAliveInitialDelayMillis: 10_000,
    });
  });

  it('on a server with no statement limit, leaves statements unbounded on the client too: keepalive only', () => {
    expect(extraOf(serverConfig({ DATABASE_STATEMENT_TIMEOUT_MS: 0 }))).toMatchObject({ Client: BoundedClient, replyTimeoutMillis: 0, keepAlive: true });
  });

  it("embedded, keeps PGlite's in-process client as it is (no socket, nothing to bound)", () => {
    const pglite = { execProtocolStream: () => Promise.resolve([]), waitReady: Promise.resolve() };
    const extra = extraOf(new AppConfig(), pglite);
    expect(extra.Client).toBeUndefined();
    expect(extra).not.toHaveProperty('replyTimeoutMillis');
    expect(extra).not.toHaveProperty('keepAlive');
  });
});
