import 'reflect-metadata';
import { loadHandlersConfig } from '../handlers/handlers-config';
import { AppConfig } from './app-config';
import { SETTING_NAMES, loadConfig } from './load-config';

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
    expect(() => loadConfig({ ORCA_COMPAT: 'maybe' })).toThrow('ORCA_COMPAT must be true or false (or 1/0, yes/no, on/off)');
    expect(() => loadConfig({ ORCA_CONNECTIONS: 'tower=prod' })).toThrow('ORCA_CONNECTIONS must be a list');
    expect(loadConfig({ ORCA_CONNECTIONS: 'awx=prod,awx:42=lab,oo:3f2a9c1e-7b4d-4e8a-9c61-2d5b8e0f4a17=oo2' }).ORCA_CONNECTIONS).toContain('awx:42=lab');
  });
});

describe('loadConfig: what a refusal says', () => {
  it('names the URL schemes a database or broker URL may have, and when a broker setting is required', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/baton' })).toThrow('DATABASE_URL must be a postgres:// or postgresql:// URL');
    expect(() => loadConfig({ MESSAGING_DRIVER: 'kafka' })).toThrow('(required with MESSAGING_DRIVER=kafka)');
    expect(() => loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: 'http://mq' })).toThrow('RABBITMQ_URL must be an amqp:// or amqps:// URL');
    const sasl = { MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: '127.0.0.1:9094', KAFKA_SASL_MECHANISM: 'scram-sha-512' };
    expect(() => loadConfig({ ...sasl, KAFKA_SASL_USERNAME: 'baton' })).toThrow('KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM');
    expect(() => loadConfig({ ...sasl, KAFKA_SASL_PASSWORD: 'p' })).toThrow('KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM');
  });

  it('takes CORS_ORIGINS only as origins: one with a path or trailing slash could never match a browser\'s Origin', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://console.example.com, http://localhost:5173' }).corsOrigins)
      .toEqual(['https://console.example.com', 'http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: 'http://[::1]:5173,' }).corsOrigins).toEqual(['http://[::1]:5173']);
    for (const bad of ['notaurl', 'https://console.example.com/', 'https://a.example/ui', 'ftp://a.example', 'https://a.example, x',
      'HTTPS://A.EXAMPLE', 'https://a.example:443', 'http://a:b:c']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad })).toThrow('CORS_ORIGINS must list origins');
    }
  });
});

const KEY = `bk_admin_${'k'.repeat(43)}`;

describe('loadConfig: who may reach Baton', () => {
  it('listens on loopback with auth off by default', () => {
    const config = loadConfig({});
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.authEnabled).toBe(false);
  });

  it('turns auth on by default on a non-loopback HOST', () => {
    expect(loadConfig({ HOST: '0.0.0.0', ADMIN_API_KEY: KEY }).authEnabled).toBe(true);
  });

  it('refuses AUTH_MODE=off on a non-loopback HOST, saying what to set', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0', AUTH_MODE: 'off' })).toThrow(/AUTH_MODE=off is allowed only on a loopback HOST/);
  });

  it('takes auth on without ADMIN_API_KEY or a verifier: keys in the database may let callers in (checked at start, keys-only.e2e-spec)', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).authEnabled).toBe(true);
  });

  it('accepts a JWT verifier instead of an admin key, with issuer and audience', () => {
    const jwt = { HOST: '0.0.0.0', AUTH_JWKS_URL: 'https://idp.example/certs' };
    expect(() => loadConfig(jwt)).toThrow(/AUTH_JWT_ISSUER is required/);
    expect(loadConfig({ ...jwt, AUTH_JWT_ISSUER: 'https://idp.example', AUTH_JWT_AUDIENCE: 'baton' }).jwtConfigured).toBe(true);
  });

  it('accepts the console OIDC client only with a JWT verifier and an http(s) issuer', () => {
    const jwt = { HOST: '0.0.0.0', AUTH_JWKS_URL: 'https://idp.example/certs', AUTH_JWT_AUDIENCE: 'baton' };
    const oidc = { CONSOLE_OIDC_CLIENT_ID: 'baton-console' };
    expect(() => loadConfig({ ADMIN_API_KEY: undefined, ...oidc })).toThrow(/CONSOLE_OIDC_CLIENT_ID needs AUTH_JWT_ISSUER/);
    expect(() => loadConfig({ ...jwt, ...oidc, AUTH_JWT_ISSUER: 'acme-realm' })).toThrow(/CONSOLE_OIDC_CLIENT_ID needs AUTH_JWT_ISSUER/);
    expect(() => loadConfig({ ...jwt, ...oidc, AUTH_JWT_ISSUER: 'https://idp.example', CONSOLE_OIDC_SCOPES: 'openid\nroles' }))
      .toThrow(/CONSOLE_OIDC_SCOPES must be space-separated/);
    const config = loadConfig({ ...jwt, ...oidc, AUTH_JWT_ISSUER: 'https://idp.example' });
    expect([config.consoleOidcEnabled, config.CONSOLE_OIDC_SCOPES, config.consoleOidcOrigins]).toEqual([true, 'openid', ['https://idp.example']]);
    for (const origins of ['https://tokens.example/path', 'tokens.example', 'https://a.example,,https://b.example']) {
      expect(() => loadConfig({ ...jwt, ...oidc, AUTH_JWT_ISSUER: 'https://idp.example', CONSOLE_OIDC_ORIGINS: origins })).toThrow(/CONSOLE_OIDC_ORIGINS must be/);
    }
  });

  it('refuses a malformed admin key without echoing it', () => {
    let message = '';
    try {
      loadConfig({ ADMIN_API_KEY: 'hunter2-secret' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('ADMIN_API_KEY must look like');
    expect(message).not.toContain('hunter2');
  });

  it('refuses an invalid ALLOWED_WORKER_TOPIC_PATTERN', () => {
    expect(() => loadConfig({ ALLOWED_WORKER_TOPIC_PATTERN: '(' })).toThrow(/ALLOWED_WORKER_TOPIC_PATTERN/);
  });
});

describe('loadConfig: tracing', () => {
  it('is off without an OTLP endpoint, and reads the standard OTEL_* variables', () => {
    expect(loadConfig({}).tracingEnabled).toBe(false);
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SERVICE_NAME: 'baton-eu', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(config).toMatchObject({ tracingEnabled: true, OTEL_SERVICE_NAME: 'baton-eu', OTEL_TRACES_SAMPLER_ARG: 0.25 });
  });

  it('refuses an unknown sampler, a ratio outside 0..1 and an endpoint that is not http(s)', () => {
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow('OTEL_TRACES_SAMPLER');
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow('OTEL_TRACES_SAMPLER_ARG');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector' })).toThrow('OTEL_EXPORTER_OTLP_ENDPOINT');
  });
});

describe('loadConfig: message signing', () => {
  const SECRET = 's'.repeat(40);

  it('is off by default, and required needs a way to verify', () => {
    expect(loadConfig({}).MESSAGE_SIGNING).toBe('off');
    expect(() => loadConfig({ MESSAGE_SIGNING: 'required' })).toThrow(/MESSAGE_SIGNING=required needs a way to verify messages/);
    expect(loadConfig({ MESSAGE_SIGNING: 'required', SIGNING_SECRETS: `tenant-service:${SECRET}` }).MESSAGE_SIGNING).toBe('required');
    expect(() => loadConfig({ MESSAGE_SIGNING: 'sometimes' })).toThrow(/MESSAGE_SIGNING/);
  });

  it('bounds the age of signed messages: 300 s by default, 1 s to a day', () => {
    expect(loadConfig({}).MESSAGE_SIGNATURE_MAX_AGE_SECONDS).toBe(300);
    expect(loadConfig({ MESSAGE_SIGNATURE_MAX_AGE_SECONDS: '60' }).MESSAGE_SIGNATURE_MAX_AGE_SECONDS).toBe(60);
    for (const bad of ['0', '86401', '1.5', 'soon']) {
      expect(() => loadConfig({ MESSAGE_SIGNATURE_MAX_AGE_SECONDS: bad })).toThrow(/MESSAGE_SIGNATURE_MAX_AGE_SECONDS/);
    }
  });

  it('keeps a signed registration\'s inbox row for as long as a copy of it is accepted, clock skew included', () => {
    expect(loadConfig({ OUTBOX_RETENTION_HOURS: '1', MESSAGE_SIGNATURE_MAX_AGE_SECONDS: '3539' }).OUTBOX_RETENTION_HOURS).toBe(1);
    expect(() => loadConfig({ OUTBOX_RETENTION_HOURS: '1', MESSAGE_SIGNATURE_MAX_AGE_SECONDS: '3540' }))
      .toThrow('OUTBOX_RETENTION_HOURS=1 must outlast MESSAGE_SIGNATURE_MAX_AGE_SECONDS=3540 and twice the 30 s clock skew allowed (3600 s)');
    expect(() => loadConfig({ MESSAGE_SIGNATURE_MAX_AGE_SECONDS: '86400' })).toThrow(/OUTBOX_RETENTION_HOURS=24 must outlast/);
    expect(loadConfig({ OUTBOX_RETENTION_HOURS: '25', MESSAGE_SIGNATURE_MAX_AGE_SECONDS: '86400' }).MESSAGE_SIGNATURE_MAX_AGE_SECONDS).toBe(86_400);
  });

  it('refuses malformed or short secrets without echoing them', () => {
    for (const bad of ['tenant-service:short-secret', `no-colon${SECRET}`, `a:${SECRET},b:${SECRET} x`]) {
      let message = '';
      try {
        loadConfig({ SIGNING_SECRETS: bad });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/SIGNING_SECRETS must be a list/);
      expect(message).not.toContain(bad.slice(-12));
    }
  });
});

describe('loadConfig: start-up settings', () => {
  it('reads LOG_FORMAT and EMBEDDED_SHARED_BUFFERS, and refuses values PGlite or pino could not use', () => {
    expect(loadConfig({})).toMatchObject({ LOG_FORMAT: undefined, EMBEDDED_SHARED_BUFFERS: '8MB' });
    expect(loadConfig({ LOG_FORMAT: 'pretty', EMBEDDED_SHARED_BUFFERS: '64MB' })).toMatchObject({ LOG_FORMAT: 'pretty', EMBEDDED_SHARED_BUFFERS: '64MB' });
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    for (const size of ['0MB', '16 MB', '16mb', '16', '-1MB']) {
      expect(() => loadConfig({ EMBEDDED_SHARED_BUFFERS: size })).toThrow('EMBEDDED_SHARED_BUFFERS must be a size such as 8MB');
    }
  });

  it('reads EMBEDDED_CHECKPOINT_INTERVAL_MS: 5 s by default, 0 turns the checkpoints off, a negative value is refused', () => {
    expect(loadConfig({}).EMBEDDED_CHECKPOINT_INTERVAL_MS).toBe(5000);
    expect(loadConfig({ EMBEDDED_CHECKPOINT_INTERVAL_MS: '0' }).EMBEDDED_CHECKPOINT_INTERVAL_MS).toBe(0);
    expect(() => loadConfig({ EMBEDDED_CHECKPOINT_INTERVAL_MS: '-1' })).toThrow(/EMBEDDED_CHECKPOINT_INTERVAL_MS/);
  });
});

describe('loadConfig: every setting', () => {
  it('reads settings that have no default, from every role', () => {
    const config = loadConfig({ INSTANCE_ID: 'engine-a', MESSAGE_MAX_BYTES: '2048', DEMO_WORKER: 'false', CORS_ORIGINS: 'http://a.test', OTEL_TRACES_SAMPLER_ARG: '0.5' });
    expect([config.INSTANCE_ID, config.MESSAGE_MAX_BYTES, config.DEMO_WORKER, config.corsOrigins, config.OTEL_TRACES_SAMPLER_ARG])
      .toEqual(['engine-a', 2048, false, ['http://a.test'], 0.5]);
  });

  it('reads every property of the configuration from the environment (none is left undecorated)', () => {
    expect(SETTING_NAMES).toEqual(expect.arrayContaining(Object.keys(new AppConfig())));
    expect(SETTING_NAMES).toEqual(expect.arrayContaining(['DATABASE_URL', 'ADMIN_API_KEY', 'OTEL_EXPORTER_OTLP_ENDPOINT']));
  });
});
