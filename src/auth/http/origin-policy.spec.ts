import { checkOrigin } from './origin-policy';

describe('checkOrigin (AUTH_MODE=off)', () => {
  it('allows requests without Origin from a loopback host (curl, supertest)', () => {
    expect(checkOrigin(undefined, '127.0.0.1:3000', [])).toBe('allow');
    expect(checkOrigin(undefined, 'localhost:3000', [])).toBe('allow');
  });

  it("refuses a browser's request without Origin from another site (an image or script tag's GET)", () => {
    expect(checkOrigin(undefined, '127.0.0.1:3000', [], 'cross-site')).toBe('foreign-origin');
    expect(checkOrigin(undefined, '127.0.0.1:3000', [], 'same-site')).toBe('foreign-origin');
    expect(checkOrigin(undefined, '127.0.0.1:3000', [], 'same-origin')).toBe('allow');
    expect(checkOrigin(undefined, '127.0.0.1:3000', [], 'none')).toBe('allow');
  });

  it('allows our own pages', () => {
    expect(checkOrigin('http://127.0.0.1:3000', '127.0.0.1:3000', [])).toBe('allow');
  });

  it('refuses a foreign page', () => {
    expect(checkOrigin('https://evil.example', '127.0.0.1:3000', [])).toBe('foreign-origin');
    expect(checkOrigin('http://127.0.0.1:8080', '127.0.0.1:3000', [])).toBe('foreign-origin');
    expect(checkOrigin('null', '127.0.0.1:3000', [])).toBe('foreign-origin');
  });

  it('allows an origin listed in CORS_ORIGINS', () => {
    expect(checkOrigin('http://localhost:5173', '127.0.0.1:3000', ['http://localhost:5173'])).toBe('allow');
  });

  it('refuses a rebound DNS name, even same-origin', () => {
    expect(checkOrigin('http://evil.example:3000', 'evil.example:3000', [])).toBe('foreign-host');
    expect(checkOrigin(undefined, undefined, [])).toBe('foreign-host');
  });
});
