import { requestTimeoutMs } from './http-adapter';

describe('requestTimeoutMs', () => {
  it('gives a whole request a second per 16 KiB of the body limit, and at least a minute', () => {
    expect(requestTimeoutMs(1024 * 1024)).toBe(64_000);
    expect(requestTimeoutMs(64 * 1024 * 1024)).toBe(4_096_000);
    expect(requestTimeoutMs(512 * 1024)).toBe(60_000);
  });
});
