import 'reflect-metadata';
import { ConfigError } from '../config/load-config';
import { loadHandlersConfig } from './handlers-config';

const awx = { AWX_HOST: 'https://awx.example.com/', AWX_TOKEN: 'tok-123456' };

describe('loadHandlersConfig', () => {
  it('has the documented defaults and no connections when nothing is set', () => {
    const config = loadHandlersConfig({});
    expect(config.settings).toMatchObject({
      HANDLER_POLL_INTERVAL_MS: 1000, HANDLER_BATCH_SIZE: 10, HANDLER_LEASE_MS: 180_000, HANDLER_JOB_POLL_INTERVAL_MS: 5000,
      HANDLER_JOB_MAX_POLLS: 1440, HANDLER_LAUNCH_MAX_ATTEMPTS: 5, HANDLER_LAUNCH_BACKOFF_INITIAL_MS: 5000,
      HANDLER_LAUNCH_BACKOFF_MULTIPLIER: 2, HANDLER_LAUNCH_BACKOFF_MAX_MS: 120_000,
    });
    expect(config.connectionNames()).toEqual([]);
  });

  it('reads the default AWX connection, preferring the token', () => {
    const config = loadHandlersConfig({ ...awx, AWX_USERNAME: 'u', AWX_PASSWORD: 'p', AWX_API_PREFIX: '/api/controller/v2/' });
    expect(config.connection('awx')).toEqual({
      kind: 'awx', name: 'default', baseUrl: 'https://awx.example.com', apiPrefix: '/api/controller/v2',
      auth: { scheme: 'bearer', token: 'tok-123456' }, allowInvalidSsl: false, connectTimeoutMs: 10_000,
      requestTimeoutMs: 30_000, traceExtraVars: true, statusEndpoint: 'summary', services: null,
    });
  });

  it('opens a connection to the services its SERVICES lists, to any service with *, and to any without it', () => {
    const config = loadHandlersConfig({
      ...awx, AWX_SERVICES: 'ops-team, baton-orca', OO_HOST: 'https://oo.example.com/oo', OO_TOKEN: 'oo-token-1',
      HTTP_CONNECTIONS: 'erp,public', HTTP_ERP_BASE_URL: 'https://erp.example.com/api', HTTP_ERP_SERVICES: 'orders',
      HTTP_PUBLIC_BASE_URL: 'https://example.com', HTTP_PUBLIC_SERVICES: ' * ',
    });
    expect(config.connection('awx')?.services).toEqual(['ops-team', 'baton-orca']);
    expect(['ops-team', 'baton-orca', 'shop'].map((s) => config.allowsService('awx', undefined, s))).toEqual([true, true, false]);
    expect(['orders', 'shop'].map((s) => config.allowsService('http', 'ERP', s))).toEqual([true, false]);
    expect(config.allowsService('oo', undefined, 'shop')).toBe(true);
    expect(config.allowsService('http', 'public', 'shop')).toBe(true);
    expect(config.unlistedConnections()).toEqual(['OO_SERVICES']);
    // Not configured: the step fails when it runs, as it always did; this check does not decide it.
    expect(config.allowsService('awx', 'lab', 'shop')).toBe(true);
  });

  it('refuses a SERVICES that lists no service name, or * among names, without echoing it', () => {
    expect(() => loadHandlersConfig({ ...awx, AWX_SERVICES: 'ops team' })).toThrow(
      'AWX_SERVICES must list service names (letters, digits, ".", "_" and "-"), comma-separated, or be * for every service');
    expect(() => loadHandlersConfig({ ...awx, AWX_SERVICES: 'ops-team,*' })).toThrow('AWX_SERVICES must list service names');
    expect(() => loadHandlersConfig({ HTTP_CONNECTIONS: 'erp', HTTP_ERP_BASE_URL: 'https://erp.example.com', HTTP_ERP_SERVICES: ' , ' }))
      .toThrow('HTTP_ERP_SERVICES must list service names');
  });

  it('reads named connections, case-insensitively', () => {
    const config = loadHandlersConfig({
      OO_CONNECTIONS: 'Prod, lab',
      OO_PROD_HOST: 'https://oo.example.com:8443/oo', OO_PROD_USERNAME: 'svc', OO_PROD_PASSWORD: 'pw-prod',
      OO_PROD_STATUS_ENDPOINT: 'execution-log', OO_PROD_ALLOW_INVALID_SSL: 'true',
      OO_LAB_HOST: 'http://10.0.0.5:8080/oo', OO_LAB_TOKEN: 'lab-token', OO_LAB_API_PREFIX: '/rest/latest',
    });
    expect(config.connectionNames()).toEqual(['oo:prod', 'oo:lab']);
    expect(config.connection('oo', 'PROD')).toMatchObject({
      name: 'prod', apiPrefix: '/rest/v2', auth: { scheme: 'basic', username: 'svc', password: 'pw-prod' },
      statusEndpoint: 'execution-log', allowInvalidSsl: true,
    });
    expect(config.connection('oo', 'lab')).toMatchObject({ apiPrefix: '/rest/latest', auth: { scheme: 'bearer' } });
    expect(config.connection('oo')).toBeUndefined();
  });

  it('names every bad variable in one error, never echoing a value', () => {
    let error: unknown;
    try {
      loadHandlersConfig({
        AWX_HOST: 'ftp://nope', AWX_PASSWORD: 'hunter2-secret', HANDLER_BATCH_SIZE: '0',
        OO_CONNECTIONS: 'x-y,lab', OO_HOST: 'https://oo', OO_USERNAME: 'u', OO_PASSWORD: 'p', OO_STATUS_ENDPOINT: 'log',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const expected of [
      'HANDLER_BATCH_SIZE', 'AWX_HOST must be an http(s) URL', 'AWX_PASSWORD is set without AWX_USERNAME',
      'AWX_TOKEN or AWX_USERNAME and AWX_PASSWORD must be set', 'connection name "x-y"', 'OO_LAB_HOST must be set',
      'OO_STATUS_ENDPOINT',
    ]) expect(message).toContain(expected);
    expect(message).not.toContain('hunter2-secret');
  });

  it('refuses credentials in the URL', () => {
    expect(() => loadHandlersConfig({ AWX_HOST: 'https://admin:pw@awx.example.com', AWX_TOKEN: 'tok-1' }))
      .toThrow('AWX_HOST must not contain credentials');
  });

  it('requires the lease to outlast every exchange one claim may make with a connection', () => {
    expect(() => loadHandlersConfig({ ...awx, HANDLER_LEASE_MS: '160000' })).toThrow('HANDLER_LEASE_MS (160000) must exceed the 4 exchanges '
      + 'one claim may make with awx connection "default", each up to its connect + request timeout (160000 ms)');
    expect(() => loadHandlersConfig({ OO_HOST: 'https://oo', OO_TOKEN: 't', HANDLER_LEASE_MS: '120000' })).toThrow('HANDLER_LEASE_MS (120000) '
      + 'must exceed the 3 exchanges one claim may make with oo connection "default", each up to its connect + request timeout (120000 ms)');
    expect(loadHandlersConfig({ ...awx, OO_HOST: 'https://oo', OO_TOKEN: 't' }).settings.HANDLER_LEASE_MS).toBe(180_000);
  });

  it('keeps credentials out of JSON and lists them for scrubbing', () => {
    const config = loadHandlersConfig({ ...awx, OO_HOST: 'https://oo', OO_USERNAME: 'svc', OO_PASSWORD: 'pw-123' });
    expect(JSON.stringify(config)).not.toMatch(/tok-123456|pw-123/);
    expect(config.secrets()).toEqual(expect.arrayContaining(['tok-123456', 'pw-123', Buffer.from('svc:pw-123').toString('base64')]));
  });
});
