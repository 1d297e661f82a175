import { ConfigError } from '../config/load-config';
import { requireListedConnections } from './connection-access';
import { loadHandlersConfig } from './handlers-config';

describe('requireListedConnections', () => {
  const env = {
    AWX_HOST: 'https://awx.example.com', AWX_TOKEN: 'tok-123456', AWX_SERVICES: 'ops-team',
    OO_CONNECTIONS: 'prod', OO_PROD_HOST: 'https://oo.example.com/oo', OO_PROD_TOKEN: 'oo-token-1',
    HTTP_CONNECTIONS: 'erp', HTTP_ERP_BASE_URL: 'https://erp.example.com/api',
  };
  const check = (authEnabled: boolean, vars: Record<string, string>) => () => requireListedConnections(loadHandlersConfig(vars), authEnabled);

  it('stops the start, with authentication on, naming the variable of each connection that lists no services', () => {
    expect(check(true, env)).toThrow(ConfigError);
    expect(check(true, env)).toThrow('OO_PROD_SERVICES, HTTP_ERP_SERVICES must be set when callers are authenticated: the services whose '
      + 'templates may use each connection and its credentials, comma-separated, or * for every service');
  });

  it('lets Baton start when every connection lists its services or says *, or when authentication is off', () => {
    expect(check(true, { ...env, OO_PROD_SERVICES: 'ops-team', HTTP_ERP_SERVICES: '*' })).not.toThrow();
    expect(check(false, env)).not.toThrow();
    expect(check(true, {})).not.toThrow();
  });
});
