import { redact, textOfHtml, truncate } from './redact';

describe('redact', () => {
  it('removes known secrets wherever they appear', () => {
    expect(redact('token s3cr3t-token in s3cr3t-token', ['s3cr3t-token'])).toBe('token *** in ***');
  });

  it('removes header-shaped credentials and URL user-info', () => {
    expect(redact('{"Authorization": "Bearer abc"} authorization=Basic Zm9v', [])).toBe('{"Authorization": "***"} authorization=***');
    expect(redact('see https://user:pw@awx.example.com/api', [])).toBe('see https://***@awx.example.com/api');
  });

  it('ignores empty secrets', () => {
    expect(redact('abc', [''])).toBe('abc');
  });
});

describe('truncate and textOfHtml', () => {
  it('shortens long text and says by how much', () => {
    expect(truncate('x'.repeat(510), 500)).toBe(`${'x'.repeat(500)}… (10 more characters)`);
    expect(truncate('short')).toBe('short');
  });

  it('reads an HTML error page', () => {
    expect(textOfHtml('<html><head><title>502 Bad Gateway</title></head><body><h1>x</h1></body></html>')).toBe('502 Bad Gateway');
    expect(textOfHtml('<html><body><h1>Server Error</h1></body></html>')).toBe('Server Error');
    expect(textOfHtml('<p>Oops <b>bad</b></p><script>var x</script>')).toBe('Oops bad');
  });
});
