import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { HandlerHttpError } from '../http/handler-http-error';
import { MAX_TOKEN_BODY_BYTES, OAuth2TokenSource } from './oauth2-token-source';
import { writeEndlessAnswer } from '../../../test/helpers/endless-answer';

describe('OAuth2TokenSource', () => {
  let server: Server;
  let baseUrl: string;
  const agent = new Agent();
  /** Bytes the endless endpoint managed to write before the client hung up. */
  let written = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"tok-1","expires_in":3600}');
        return;
      }
      // A token URL pointing at a download, or a hostile endpoint.
      res.writeHead(req.url === '/endless-503' ? 503 : 200, { 'content-type': 'application/json' });
      writeEndlessAnswer(res, (bytes) => { written += bytes; });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const source = (path: string, scrub = (t: string) => t) => new OAuth2TokenSource(
    { scheme: 'oauth2', tokenUrl: `${baseUrl}${path}`, clientId: 'baton', clientSecret: 'client-secret-1' } as never,
    agent, 10_000, scrub);

  it('reads a token answer', async () => {
    expect(await source('/token').token()).toBe('tok-1');
  });

  it('stops reading an answer past 64 KiB, and fails with why', async () => {
    written = 0;
    const failure = await source('/endless').token().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HandlerHttpError);
    expect(failure).toMatchObject({ status: 200, retriable: false, message: 'OAuth2 token request failed: the 200 answer is larger than 64 KiB' });
    expect(written).toBeLessThan(64 * MAX_TOKEN_BODY_BYTES);
  });

  it('keeps a 5xx over the cap retriable, and its message scrubbed', async () => {
    const scrub = (t: string) => t.replace(/OAuth2/g, '***');
    const failure = await source('/endless-503', scrub).token().catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 503, retriable: true, message: '*** token request failed: the 503 answer is larger than 64 KiB' });
  });
});
