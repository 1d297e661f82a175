import { worthRetrying } from './connect-retry';

describe('worthRetrying', () => {
  it('gives up on a wrong password or user and on a missing database, and retries a server not there yet', () => {
    for (const code of ['28P01', '28000', '3D000']) expect([code, worthRetrying(Object.assign(new Error('refused'), { code }))]).toEqual([code, false]);
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', '57P03', undefined]) expect([code, worthRetrying(Object.assign(new Error('down'), { code }))]).toEqual([code, true]);
    expect(worthRetrying(undefined)).toBe(true);
  });
});
