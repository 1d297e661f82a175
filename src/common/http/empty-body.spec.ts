import type { IncomingMessage, ServerResponse } from 'node:http';
import { emptyBodyIsNoBody } from './empty-body';

describe('emptyBodyIsNoBody', () => {
  const run = (body: unknown) => {
    const req = { body } as IncomingMessage & { body?: unknown };
    const next = jest.fn();
    emptyBodyIsNoBody(req, {} as ServerResponse, next);
    expect(next).toHaveBeenCalledTimes(1);
    return req.body;
  };

  it('drops an empty raw body', () => {
    expect(run(Buffer.alloc(0))).toBeUndefined();
  });

  it('keeps every body with bytes, and parsed ones', () => {
    expect(run(Buffer.from('x'))).toEqual(Buffer.from('x'));
    expect(run({})).toEqual({});
    expect(run('')).toBe('');
  });
});
