import type { OpenAPIObject } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors/app-error';
import { methodGuard } from './method-guard';

const DOCUMENT = {
  openapi: '3.0.0', info: { title: 't', version: '1' },
  paths: { '/runs/{flowId}': { get: {}, delete: {} }, '/execute/{orchName}': { post: {} } },
} as unknown as OpenAPIObject;

function call(guard: ReturnType<typeof methodGuard>, method: string, url: string) {
  const headers: Record<string, string> = {};
  const res = { statusCode: 200, setHeader: (k: string, v: string) => { headers[k] = v; }, end: () => undefined } as unknown as ServerResponse;
  let passed: unknown = 'not called';
  guard({ method, url } as IncomingMessage, res, (error?: unknown) => { passed = error; });
  return { passed, allow: headers.Allow, status: res.statusCode };
}

describe('methodGuard', () => {
  const guard = methodGuard(DOCUMENT);

  it('passes allowed methods and unknown paths, answers OPTIONS and refuses the rest, the same on every repeat', () => {
    for (let i = 0; i < 3; i++) {
      expect(call(guard, 'POST', '/execute/demo?x=1').passed).toBeUndefined();
      expect(call(guard, 'GET', '/nowhere').passed).toBeUndefined();
      expect(call(guard, 'OPTIONS', '/runs/abc')).toMatchObject({ status: 204, allow: 'GET, DELETE, HEAD, OPTIONS' });
      const refused = call(guard, 'PUT', '/runs/abc');
      expect(refused.passed).toBeInstanceOf(AppError);
      expect(refused.allow).toBe('GET, DELETE, HEAD, OPTIONS');
    }
  });

  it('answers for the read-only paths it is given as for a GET route', () => {
    const withConsole = methodGuard(DOCUMENT, [/^\/ui(\/.*)?$/]);
    expect(call(withConsole, 'GET', '/ui/runs/1').passed).toBeUndefined();
    expect(call(withConsole, 'OPTIONS', '/ui')).toMatchObject({ status: 204, allow: 'GET, HEAD, OPTIONS' });
    expect(call(withConsole, 'POST', '/ui/').allow).toBe('GET, HEAD, OPTIONS');
    expect(call(withConsole, 'POST', '/uix').passed).toBeUndefined();
  });

  it('stays right past its memo of recent paths', () => {
    for (let i = 0; i < 3000; i++) expect(call(guard, 'HEAD', `/runs/${i}`).passed).toBeUndefined();
    expect(call(guard, 'POST', '/runs/7').allow).toBe('GET, DELETE, HEAD, OPTIONS');
    expect(call(guard, 'POST', '/execute/demo').passed).toBeUndefined();
  });
});
