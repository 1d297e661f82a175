import 'reflect-metadata';
import { loadHandlersConfig } from '../handlers-config';

describe('http connections from the environment', () => {
  const load = (env: Record<string, string>) => loadHandlersConfig(env);

  it('reads each listed connection with its auth, and lists every secret for redaction', () => {
    const config = load({
      HTTP_CONNECTIONS: 'erp, CRM,idp,open',
      HTTP_ERP_BASE_URL: 'https://erp.example.com/api/', HTTP_ERP_TOKEN: 'erp-token-1234',
      HTTP_CRM_BASE_URL: 'https://crm.example.com', HTTP_CRM_USERNAME: 'baton', HTTP_CRM_PASSWORD: 'crm-password',
      HTTP_IDP_BASE_URL: 'https://api.example.com', HTTP_IDP_TOKEN_URL: 'https://login.example.com/token',
      HTTP_IDP_CLIENT_ID: 'client', HTTP_IDP_CLIENT_SECRET: 'client-secret', HTTP_IDP_SCOPE: 'orders.write', HTTP_IDP_TIMEOUT_MS: '5000',
      HTTP_OPEN_BASE_URL: 'http://127.0.0.1:9000',
    });
    expect(config.httpConnectionNames()).toEqual(['erp', 'crm', 'idp', 'open']);
    expect(config.httpConnection('ERP')).toMatchObject({ baseUrl: 'https://erp.example.com/api', auth: { scheme: 'bearer' }, timeoutMs: 30_000 });
    expect(config.httpConnection('crm')?.auth).toEqual({ scheme: 'basic', username: 'baton', password: 'crm-password' });
    expect(config.httpConnection('idp')).toMatchObject({ timeoutMs: 5000, auth: { scheme: 'oauth2', clientId: 'client', scope: 'orders.write' } });
    expect(config.httpConnection('open')?.auth).toEqual({ scheme: 'none' });
    expect(config.secrets()).toEqual(expect.arrayContaining([
      'erp-token-1234', 'crm-password', Buffer.from('baton:crm-password').toString('base64'), 'client-secret',
      Buffer.from('client:client-secret').toString('base64'),
    ]));
    expect(JSON.stringify(config)).not.toMatch(/secret|password|token-1234/);
  });

  it('reads an API key sent in a header of its own, X-API-Key unless named, and lists it for redaction', () => {
    const config = load({
      HTTP_CONNECTIONS: 'geo,okta',
      HTTP_GEO_BASE_URL: 'https://geo.example.com', HTTP_GEO_API_KEY: 'geo-key-0123456789',
      HTTP_OKTA_BASE_URL: 'https://acme.okta.com/api/v1', HTTP_OKTA_API_KEY: 'SSWS okta-key-0123456789', HTTP_OKTA_API_KEY_HEADER: 'Authorization',
    });
    expect(config.httpConnection('geo')?.auth).toEqual({ scheme: 'apiKey', header: 'x-api-key', key: 'geo-key-0123456789' });
    expect(config.httpConnection('okta')?.auth).toEqual({ scheme: 'apiKey', header: 'authorization', key: 'SSWS okta-key-0123456789' });
    expect(config.secrets()).toEqual(expect.arrayContaining(['geo-key-0123456789', 'SSWS okta-key-0123456789']));
    const attempt = () => load({
      HTTP_CONNECTIONS: 'a,b,c',
      HTTP_A_BASE_URL: 'https://a.example.com', HTTP_A_API_KEY: 'k-secret-value', HTTP_A_API_KEY_HEADER: 'Idempotency-Key',
      HTTP_B_BASE_URL: 'https://b.example.com', HTTP_B_API_KEY_HEADER: 'X-Key',
      HTTP_C_BASE_URL: 'https://c.example.com', HTTP_C_API_KEY: 'k2-secret-value', HTTP_C_TOKEN: 't',
    });
    expect(attempt).toThrow(/HTTP_A_API_KEY_HEADER must be a header name Baton does not set itself/);
    expect(attempt).toThrow(/HTTP_B_API_KEY_HEADER names the header of HTTP_B_API_KEY, which is not set/);
    expect(attempt).toThrow(/HTTP_C: set one kind of credentials, not HTTP_C_TOKEN and HTTP_C_API_KEY/);
    expect(attempt).not.toThrow(/secret-value/);
  });

  it('names every bad variable, never its value', () => {
    const attempt = () => load({
      HTTP_CONNECTIONS: 'erp,crm,idp,bad-name,missing,erp',
      HTTP_ERP_BASE_URL: 'https://user:hunter2@erp.example.com', HTTP_ERP_TOKEN: 't',
      HTTP_CRM_BASE_URL: 'ftp://crm', HTTP_CRM_USERNAME: 'only-user',
      HTTP_IDP_BASE_URL: 'https://api.example.com', HTTP_IDP_CLIENT_ID: 'client', HTTP_IDP_TOKEN: 'x',
    });
    expect(attempt).toThrow(/HTTP_ERP_BASE_URL must not contain credentials/);
    expect(attempt).toThrow(/HTTP_CRM_BASE_URL must be an http\(s\) URL/);
    expect(attempt).toThrow(/HTTP_CRM_USERNAME and HTTP_CRM_PASSWORD must be set together/);
    expect(attempt).toThrow(/HTTP_IDP: set one kind of credentials, not HTTP_IDP_TOKEN and HTTP_IDP_TOKEN_URL\/CLIENT_ID\/CLIENT_SECRET/);
    expect(attempt).toThrow(/"bad-name" is not a connection name/);
    expect(attempt).toThrow(/HTTP_MISSING_BASE_URL must be set/);
    expect(attempt).toThrow(/connection "erp" is defined twice/);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('wants the job lease to outlast a call', () => {
    expect(() => load({ HTTP_CONNECTIONS: 'erp', HTTP_ERP_BASE_URL: 'https://erp', HTTP_ERP_TIMEOUT_MS: '200000' }))
      .toThrow('HANDLER_LEASE_MS (180000) must exceed the longest exchange of http connection "erp" (205000 ms)');
  });

  it('requires the claim lease to outlast an OAuth2 connection\'s longest exchange: token, call, token, call', () => {
    const idp = { HTTP_CONNECTIONS: 'idp', HTTP_IDP_BASE_URL: 'https://api.example.com', HTTP_IDP_TOKEN_URL: 'https://login.example.com/token',
      HTTP_IDP_CLIENT_ID: 'client', HTTP_IDP_CLIENT_SECRET: 'client-secret' };
    expect(() => load(idp)).not.toThrow();
    expect(() => load({ ...idp, HANDLER_LEASE_MS: '120000' })).toThrow('HANDLER_LEASE_MS (120000) must exceed the longest exchange of http '
      + 'connection "idp" (140000 ms: token, call, then a fresh token and the call again after a 401)');
    expect(() => load({ HTTP_CONNECTIONS: 'erp', HTTP_ERP_BASE_URL: 'https://erp.example.com', HTTP_ERP_TOKEN: 't', HANDLER_LEASE_MS: '40000' }))
      .not.toThrow();
  });
});
