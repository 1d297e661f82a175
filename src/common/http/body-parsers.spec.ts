import { fastify, type FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error';
import { parseBodies, refuseCompressedBody } from './body-parsers';

/** A server with Baton's parsers and one route that echoes what they made of the body. */
async function server(): Promise<FastifyInstance> {
  const app = fastify({ bodyLimit: 1024 });
  app.addHook('onRequest', refuseCompressedBody);
  parseBodies(app);
  app.setErrorHandler((error: Error & { code?: string }, _req, reply) => {
    const refused = error instanceof AppError ? { code: error.code, problems: error.problems } : { code: error.code };
    return reply.code(400).send(refused);
  });
  app.get('/', () => ({ body: '(none)' }));
  app.post('/', (req) => {
    const { body, rawBody } = req as typeof req & { rawBody?: Buffer };
    return { body: Buffer.isBuffer(body) ? `bytes:${body.toString('hex')}` : body ?? '(none)', raw: rawBody?.toString('hex') };
  });
  await app.ready();
  return app;
}

describe('parseBodies', () => {
  let app: FastifyInstance;
  beforeAll(async () => { app = await server(); });
  afterAll(() => app.close());

  const post = async (contentType: string | undefined, payload: string | Buffer, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'POST', url: '/', payload, headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers } });
    return res.json();
  };

  it('parses JSON of any kind (+json, scalars, a BOM) and keeps the bytes as sent', async () => {
    expect(await post('application/json', '{"a":1}')).toEqual({ body: { a: 1 }, raw: Buffer.from('{"a":1}').toString('hex') });
    expect((await post('application/vnd.api+json; charset=utf-8', '42')).body).toBe(42);
    expect((await post('application/json', '\ufeff{"b":2}')).body).toEqual({ b: 2 });
    expect((await post('application/json', '')).body).toEqual({});
  });

  it('refuses a compressed body before reading it, and ignores Content-Encoding where no body is read', async () => {
    const gzip = { 'content-encoding': 'gzip' };
    expect(await post('application/json', '{}', gzip)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', problems: [{ path: 'headers.content-encoding' }] });
    // Over the limit, the refusal is still the encoding's: nothing was read to find the body too large.
    expect(await post('application/octet-stream', Buffer.alloc(4096), gzip)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await post('application/json', '{}', { 'content-encoding': ' Identity ' })).body).toEqual({});
    expect((await app.inject({ method: 'GET', url: '/', headers: gzip, payload: 'x' })).json()).toEqual({ body: '(none)' });
    expect((await app.inject({ method: 'POST', url: '/nowhere', headers: gzip, payload: 'x' })).statusCode).toBe(404);
  });

  it('refuses bad JSON and another charset, naming where', async () => {
    expect(await post('application/json', '{oops')).toMatchObject({ code: 'INVALID_REQUEST', problems: [{ path: 'body' }] });
    expect(await post('text/plain; charset=latin1', 'x')).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', problems: [{ path: 'headers.content-type' }] });
  });

  it('refuses JSON and text that are not UTF-8, instead of taking them with U+FFFD in place of the bytes', async () => {
    const latin1 = Buffer.from('{"name":"caf\xe9"}', 'latin1');
    for (const type of ['application/json', 'text/plain; charset=utf-8', 'application/yaml']) {
      expect([type, await post(type, latin1)]).toEqual([type, expect.objectContaining({ code: 'INVALID_REQUEST', problems: [{ path: 'body', message: 'holds bytes that are not UTF-8' }] })]);
    }
    expect((await post('application/json', Buffer.from('{"name":"café"}'))).body).toEqual({ name: 'café' });
    expect((await post('application/octet-stream', latin1)).body).toBe(`bytes:${latin1.toString('hex')}`);
  });

  it('keeps YAML and text as text, anything else as bytes, and no bytes as no body', async () => {
    expect((await post('application/yaml', 'a: 1\n')).body).toBe('a: 1\n');
    expect((await post('text/csv; charset="UTF-8"', 'a,b')).body).toBe('a,b');
    expect((await post('application/octet-stream', Buffer.from([0, 255]))).body).toBe('bytes:00ff');
    expect((await post('application/octet-stream', '', { 'content-length': '0' })).body).toBe('(none)');
    expect(await post('application/json', `"${'x'.repeat(2000)}"`)).toEqual({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  });
});
