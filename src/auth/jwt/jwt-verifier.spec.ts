import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createServer, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUDIENCE, ISSUER, rsaKey, signJwt } from '../../../test/helpers/jwt';
import { httpStatusOf } from '../../common/errors/error-code';
import { isInfrastructureError } from '../../common/errors/infrastructure-error';
import { loadConfig } from '../../config/load-config';
import { JwtVerifier } from './jwt-verifier';
import { KeySetUnavailableError } from './key-set-unavailable-error';

const idp = rsaKey();
const token = signJwt(idp, { roles: ['viewer'] });
const verifierFor = (env: Record<string, string>) =>
  new JwtVerifier(loadConfig({ AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, AUTH_JWKS_COOLDOWN_MS: '0', ...env }));

/** What the identity provider's key-set URL does for the next request. */
type Answer = 'keys' | 'error' | 'not-json' | 'no-key-set' | 'hang';

describe('JwtVerifier against a JWKS on loopback', () => {
  let server: Server;
  let url: string;
  let answer: Answer;
  const hanging: ServerResponse[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = createServer((_req, res) => {
      if (answer === 'hang') return void hanging.push(res);
      if (answer === 'error') return void res.writeHead(500).end('upstream down');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer === 'not-json' ? '<html>maintenance</html>' : JSON.stringify(answer === 'keys' ? { keys: [idp.jwk] } : { error: 'x' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  });
  afterAll(async () => {
    hanging.forEach((res) => res.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  const expectUnavailable = async (check: Promise<unknown>) => {
    const error = await check.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(KeySetUnavailableError);
    // What makes HTTP answer 503 and a consumer wait instead of dead-lettering.
    expect(isInfrastructureError(error)).toBe(true);
    expect(httpStatusOf((error as KeySetUnavailableError).code)).toBe(503);
  };

  it('accepts a token signed with a key of the set', async () => {
    answer = 'keys';
    await expect(verifierFor({ AUTH_JWKS_URL: url }).check(token)).resolves.toMatchObject({ principal: { roles: ['viewer'] } });
  });

  it.each<[string, Answer]>([
    ['answers 500', 'error'],
    ['answers something that is not JSON', 'not-json'],
    ['answers JSON that is no key set', 'no-key-set'],
  ])('does not refuse the token, but says the keys are unavailable, when the key-set URL %s', async (_what, given) => {
    answer = given;
    await expectUnavailable(verifierFor({ AUTH_JWKS_URL: url }).check(token));
  });

  it('says the keys are unavailable when nothing listens at the key-set URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expectUnavailable(verifierFor({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/certs` }).check(token));
  });

  it('says the keys are unavailable when the key-set URL does not answer in time (jose waits 5 s)', async () => {
    answer = 'hang';
    await expectUnavailable(verifierFor({ AUTH_JWKS_URL: url }).check(token));
  }, 15_000);

  it('accepts tokens again once the key set is back, and still refuses a token whose key the set lacks', async () => {
    const verifier = verifierFor({ AUTH_JWKS_URL: url });
    answer = 'error';
    await expectUnavailable(verifier.check(token));
    answer = 'keys';
    await expect(verifier.check(token)).resolves.toMatchObject({ principal: { roles: ['viewer'] } });
    await expect(verifier.check(signJwt(rsaKey(), { roles: ['viewer'] }))).resolves.toMatchObject({ refusal: 'invalid' });
  });
});

describe('JwtVerifier with a static key', () => {
  it('does not keep a key it failed to load: a corrected setting is used by the next token', async () => {
    // loadConfig refuses such a key; the verifier must not make one bad load last for the process's life either.
    const config = loadConfig({ AUTH_JWT_PUBLIC_KEY: idp.publicPem, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
    const verifier = new JwtVerifier(config);
    config.AUTH_JWT_PUBLIC_KEY = idp.publicPem.slice(0, 80);
    await expect(verifier.check(token)).rejects.toThrow();
    config.AUTH_JWT_PUBLIC_KEY = idp.publicPem;
    await expect(verifier.check(token)).resolves.toMatchObject({ principal: { roles: ['viewer'] } });
  });
});
