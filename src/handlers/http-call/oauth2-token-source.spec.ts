import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { HandlerHttpError } from '../http/handler-http-error';
import { DEFAULT_LIFETIME_MS, MAX_TOKEN_BODY_BYTES, OAuth2TokenSource } from './oauth2-token-source';
import { writeEndlessAnswer } from '../../../test/helpers/endless-answer';

describe('OAuth2TokenSource', () => {
  let server: Server;
  let baseUrl: string;
  const agent = new Agent();
  /** Bytes the endless endpoint managed to write before the client hung up. */
  let written = 0;
  /** Tokens issued by the endpoints that count them. */
  let issued = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"tok-1","expires_in":3600}');
        return;
      }
      const lifetimes: Record<string, string> = { '/token-string': ',"expires_in":"3599"', '/token-none': '', '/token-odd': ',"expires_in":"soon"' };
      if (req.url! in lifetimes) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"access_token":"tok-${++issued}"${lifetimes[req.url!]}}`);
        return;
      }
      if (req.url === '/token-echoes') {
        res.writeHead(400, { 'content-type': 'application/json' })
          .end('{"error":"invalid_request","error_description":"assertion eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln refused, password=pw-42"}');
        return;
      }
      if (req.url === '/token-refused') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
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

  const source = (path: string, scrub = (t: string) => t, now = Date.now) => new OAuth2TokenSource(
    { scheme: 'oauth2', tokenUrl: `${baseUrl}${path}`, clientId: 'baton', clientSecret: 'client-secret-1' } as never,
    agent, 10_000, scrub, now);

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

  it('cuts what is shaped like a credential from the token endpoint\'s error body', async () => {
    expect(await source('/token-echoes').token().catch((e: unknown) => e)).toMatchObject({ status: 400,
      message: 'OAuth2 token request failed (HTTP 400): {"error":"invalid_request","error_description":"assertion *** refused, password=***"}' });
  });

  /** "expires_in":"3599" (a string) read as no lifetime kept the token for good: every call after its expiry was refused once. */
  it('reads expires_in given as a string, and assumes a lifetime when none is given or readable', async () => {
    let now = 1_000_000;
    const lifetimeOf = async (path: string) => {
      issued = 0;
      const tokens = source(path, (t) => t, () => now);
      const first = await tokens.token();
      let elapsed = 0;
      for (; elapsed < 24 * 3_600_000 && (await tokens.token()) === first; elapsed += 10_000) now += 10_000;
      return elapsed;
    };
    expect(await lifetimeOf('/token-string')).toBe(3_540_000);
    expect(await lifetimeOf('/token-none')).toBe(DEFAULT_LIFETIME_MS - 60_000);
    expect(await lifetimeOf('/token-odd')).toBe(DEFAULT_LIFETIME_MS - 60_000);
  });

  /** A launch that failed on its token set the call unanswered: an UNDO then failed on a call that was never made. */
  it('says a failed token request sent no call', async () => {
    expect(await source('/token-refused').token().catch((e: unknown) => e)).toMatchObject({ status: 401, retriable: false, unsent: true });
    expect(await source('/endless-503').token().catch((e: unknown) => e)).toMatchObject({ status: 503, retriable: true, unsent: true });
    const unreachable = new OAuth2TokenSource({ scheme: 'oauth2', tokenUrl: 'http://127.0.0.1:1/token', clientId: 'baton', clientSecret: 's' } as never,
      agent, 10_000, (t) => t);
    expect(await unreachable.token().catch((e: unknown) => e)).toMatchObject({ status: null, retriable: true, unsent: true });
  });
});
