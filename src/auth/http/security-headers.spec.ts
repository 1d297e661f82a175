import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { HELMET_OPTIONS, helmetHeaders } from './security-headers';

describe('helmetHeaders', () => {
  it('are exactly the headers helmet itself sets on a response', async () => {
    const app = express();
    app.disable('x-powered-by');
    app.use(helmet(HELMET_OPTIONS));
    app.get('/', (_req, res) => { res.end(); });
    const res = await request(app).get('/');
    const expected = Object.fromEntries(helmetHeaders(HELMET_OPTIONS).map(([name, value]) => [name.toLowerCase(), value]));
    const set = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !['date', 'connection', 'content-length', 'keep-alive'].includes(name)));
    expect(set).toEqual(expected);
    expect(expected['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(expected['x-frame-options']).toBe('DENY');
  });
});
