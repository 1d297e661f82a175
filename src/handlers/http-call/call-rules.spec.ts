import { headerProblem, headerValueProblem, pathProblem } from './call-rules';

describe('what an http step may ask for', () => {
  it.each([
    '/orders', '/orders/${payload.id}/lines', '/a-b_c.d/~x', '/orders/%20x', '/', '/orders;v=2', '/a/...;x', '/a/.x;y', '/a/;..',
    // Double-encoded text that no decoding round turns into a dot segment, a slash or a control character.
    '/orders/50%25', '/orders/%252e%252e%252e', '/orders/a%252eb', '/orders/%25C3%25A9', '/orders/%25FF',
  ])('accepts the path %s', (path) => expect(pathProblem(path)).toBeUndefined());

  it.each([
    ['https://evil.example.com/x', /absolute URL/],
    ['HTTP://evil/x', /absolute URL/],
    ['javascript:alert(1)', /absolute URL/],
    ['//evil.example.com/x', /must not start with \/\//],
    ['orders', /must start with \//],
    ['/a/../b', /\. or \.\. segments/],
    ['/a/./b', /\. or \.\. segments/],
    ['/a/%2e%2E/b', /\. or \.\. segments/],
    ['/a/..', /\. or \.\. segments/],
    // Path parameters: Tomcat and Spring resolve `..;` as `..`, out of the base path.
    ['/orders/..;/admin', /\. or \.\. segments/],
    ['/orders/%2e%2e;/admin', /\. or \.\. segments/],
    ['/orders/..%3B/admin', /\. or \.\. segments/],
    ['/orders/..;jsessionid=x/admin', /\. or \.\. segments/],
    ['/orders/.;/x', /\. or \.\. segments/],
    ['/orders/%2E;x=1', /\. or \.\. segments/],
    // A proxy and an app server that both decode route `%252e%252e` as `..`, out of the base path.
    ['/orders/%252e%252e/admin', /\. or \.\. segments/],
    ['/orders/%252E%252e;/admin', /\. or \.\. segments/],
    ['/orders/%252e%252e%253B/admin', /\. or \.\. segments/],
    ['/orders/.%252e/admin', /\. or \.\. segments/],
    ['/orders/%252e', /\. or \.\. segments/],
    ['/orders/%25252e%25252e/admin', /\. or \.\. segments/],
    ['/orders/x%252F..%252F..%252Fadmin', /encoded \//],
    ['/orders/x%25255c..', /encoded \//],
    ['/orders/x%2500', /control characters/],
    ['/a/%2F%2Fevil', /encoded \//],
    ['/a%2fb', /encoded \//],
    // An undecodable segment hid the encoded slashes and dots after it from the checks.
    ['/%FF%2F..%2F..%2Fadmin%2Fusers', /encoded \//],
    ['/%FF/..%c0%ae', /cannot be decoded/],
    ['/a/%FF', /cannot be decoded/],
    ['/a\\b', /backslashes/],
    ['/a%5c..', /backslashes/],
    ['/a b', /whitespace/],
    ['/a%0d%0aHost: evil', /control characters/],
    ['/a?b=1', /give query parameters in `query`/],
    ['/a#frag', /\? or #/],
  ])('refuses the path %s', (path, reason) => expect(pathProblem(path)).toMatch(reason));

  it.each(['Authorization', 'proxy-authorization', 'Host', 'Cookie', 'X-Forwarded-For', 'X-Correlation-ID', 'Idempotency-Key',
    'traceparent', 'Content-Length', 'Transfer-Encoding', 'X-HTTP-Method-Override'])('refuses the header %s', (name) => {
    expect(headerProblem(name)).toMatch(/cannot be set by a template/);
  });

  it('accepts ordinary headers and refuses malformed names and values', () => {
    expect(headerProblem('X-Tenant')).toBeUndefined();
    expect(headerProblem('Accept-Language')).toBeUndefined();
    expect(headerProblem('Bad Name')).toMatch(/not a valid header name/);
    expect(headerValueProblem('a\r\nHost: evil')).toMatch(/CR, LF or NUL/);
    expect(headerValueProblem('fine')).toBeUndefined();
  });
});
