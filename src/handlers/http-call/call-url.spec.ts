import { callUrl, statusPathOf } from './call-url';

describe('the URL of a call', () => {
  const base = 'https://erp.example.com/api/v1';

  it('appends the path and the query to the base URL', () => {
    expect(callUrl(base, '/orders/a%20b', { q: 'x y', n: '1' }).toString()).toBe('https://erp.example.com/api/v1/orders/a%20b?q=x+y&n=1');
    expect(callUrl('http://127.0.0.1:8080', '/x').toString()).toBe('http://127.0.0.1:8080/x');
  });

  it('refuses a path that leaves the base path or names another host', () => {
    expect(() => callUrl(base, '/../admin')).toThrow(/segments/);
    expect(() => callUrl(base, '//evil.example.com/x')).toThrow(/another host/);
    expect(() => callUrl(base, '@evil.example.com/x')).toThrow(/must start with \//);
  });
});

describe('the status URL of a 202', () => {
  const base = 'https://erp.example.com/api';
  const request = 'https://erp.example.com/api/exports';

  it('takes a relative or absolute URL on the connection, keeping its query', () => {
    expect(statusPathOf(base, request, '/api/operations/7?verbose=1')).toEqual({ path: '/operations/7', search: '?verbose=1' });
    expect(statusPathOf(base, request, 'operations/7')).toEqual({ path: '/operations/7', search: '' });
    expect(statusPathOf(base, request, 'https://erp.example.com/api/operations/7')).toEqual({ path: '/operations/7', search: '' });
  });

  it('refuses another origin, another port, another scheme or a path outside the base', () => {
    expect(() => statusPathOf(base, request, 'https://evil.example.com/api/operations/7')).toThrow(/another origin/);
    expect(() => statusPathOf(base, request, 'https://erp.example.com:8443/api/operations/7')).toThrow(/another origin/);
    expect(() => statusPathOf(base, request, 'http://erp.example.com/api/operations/7')).toThrow(/another origin/);
    expect(() => statusPathOf(base, request, '//evil.example.com/api/x')).toThrow(/another origin/);
    expect(() => statusPathOf(base, request, '/admin/operations/7')).toThrow(/outside the connection's base path/);
    expect(() => statusPathOf(base, request, '/api/../admin')).toThrow(/outside the connection's base path/);
    expect(() => statusPathOf(base, request, '/api/..;/admin')).toThrow(/\. or \.\. segments/);
    expect(() => statusPathOf(base, request, '/api/operations/%2e%2e;/admin')).toThrow(/\. or \.\. segments/);
    expect(() => statusPathOf(base, request, '/api/%FF%2F..%2F..%2Fadmin%2Fusers')).toThrow(/encoded \//);
    // A partner's status URL is checked as the template path is: double-encoded dots are refused.
    expect(() => statusPathOf(base, request, '/api/operations/%252e%252e/admin')).toThrow(/\. or \.\. segments/);
    expect(() => statusPathOf(base, request, 'https://erp.example.com/api/%252E%252e;/admin')).toThrow(/\. or \.\. segments/);
    expect(() => statusPathOf(base, request, '/api/operations/%FF')).toThrow(/cannot be decoded/);
  });
});
