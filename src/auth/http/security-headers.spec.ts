import helmet from 'helmet';
import { createServer } from 'node:http';
import request from 'supertest';
import { HELMET_OPTIONS, helmetHeaders } from './security-headers';

describe('helmetHeaders', () => {
  it('are exactly the headers helmet itself sets on a response', async () => {
    const guard = helmet(HELMET_OPTIONS);
    const server = createServer((req, res) => guard(req, res, () => res.end()));
    const res = await request(server).get('/');
    const expected = Object.fromEntries(helmetHeaders(HELMET_OPTIONS).map(([name, value]) => [name.toLowerCase(), value]));
    const set = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !['date', 'connection', 'content-length', 'keep-alive'].includes(name)));
    expect(set).toEqual(expected);
    expect(expected['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(expected['x-frame-options']).toBe('DENY');
    expect(expected['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});
