import 'reflect-metadata';
import { loadHandlersConfig } from '../handlers/handlers-config';
import { loadConfig } from './load-config';

describe('loadConfig: boolean settings', () => {
  it('reads "false" as false and "true" as true, not as any non-empty string', () => {
    expect(loadConfig({ MIGRATIONS_RUN: 'false', DEMO_WORKER: 'false', ORCA_COMPAT: 'true' })).toMatchObject({
      MIGRATIONS_RUN: false, DEMO_WORKER: false, ORCA_COMPAT: true,
    });
    expect(loadConfig({ MIGRATIONS_RUN: 'no', ORCA_COMPAT: '0' })).toMatchObject({ MIGRATIONS_RUN: false, ORCA_COMPAT: false });
    expect(loadConfig({})).toMatchObject({ MIGRATIONS_RUN: true, ORCA_COMPAT: false });
    const awx = (env: Record<string, string>) => loadHandlersConfig({ AWX_HOST: 'https://awx', AWX_TOKEN: 't', ...env }).connection('awx', 'default');
    expect(awx({ AWX_TRACE_EXTRA_VARS: 'false' })?.traceExtraVars).toBe(false);
    expect(awx({})?.traceExtraVars).toBe(true);
  });

  it('refuses a boolean it cannot read, and a malformed ORCA_CONNECTIONS', () => {
    expect(() => loadConfig({ ORCA_COMPAT: 'maybe' })).toThrow('ORCA_COMPAT must be a boolean value');
    expect(() => loadConfig({ ORCA_CONNECTIONS: 'tower=prod' })).toThrow('ORCA_CONNECTIONS must be a list');
    expect(loadConfig({ ORCA_CONNECTIONS: 'awx=prod,awx:42=lab,oo:3f2a9c1e-7b4d-4e8a-9c61-2d5b8e0f4a17=oo2' }).ORCA_CONNECTIONS).toContain('awx:42=lab');
  });
});
