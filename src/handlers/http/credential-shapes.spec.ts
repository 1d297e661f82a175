import { withoutCredentialShapes } from './credential-shapes';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('credentials recognised by their shape in a partner\'s error text', () => {
  it.each([
    [`callback https://hooks.example.com/x?token=${JWT}&run=7 refused`, 'callback https://hooks.example.com/x?token=***&run=7 refused'],
    [`JWT ${JWT} expired`, 'JWT *** expired'],
    // Unsigned (alg none): its signature part is empty.
    [`id ${JWT.split('.').slice(0, 2).join('.')}. end`, 'id *** end'],
    ['GET /api?access_token=ya29.a0AfH6SMB-x_y&page=2', 'GET /api?access_token=***&page=2'],
    ['login with password=hunter2!x failed; user=ops', 'login with password=*** failed; user=ops'],
    ['{"client_secret": "s3cr3t-v4lue", "grant_type": "client_credentials"}', '{"client_secret": "***", "grant_type": "client_credentials"}'],
    ['{"X-Api-Key":"k-123456"}', '{"X-Api-Key":"***"}'],
    ['sent Authorization Bearer abc.def-123456789 to vault', 'sent Authorization Bearer *** to vault'],
    ['header: basic YWRtaW46c2VjcmV0', 'header: basic ***'],
  ])('scrubs %s', (text, expected) => expect(withoutCredentialShapes(text)).toBe(expected));

  it.each([
    'Basic authentication failed',
    'Bearer tokens are not accepted here',
    'Invalid username/password.',
    'Invalid token: signature has expired',
    'status=failed, job_template=12, name=deploy',
    'tokens=3 used',
    'eyJ is how a JWT starts',
    'Previous Task Failed: {"job_explanation": "Task was canceled"}',
  ])('keeps %s', (text) => expect(withoutCredentialShapes(text)).toBe(text));

  // Each pattern starts only where a run does: long runs and many near-misses stay linear.
  it('takes long runs and many near-misses quickly', () => {
    const texts = ['a'.repeat(200_000), 'eyJ'.repeat(60_000), `${'Bearer '.repeat(20_000)}x`, 'token'.repeat(40_000),
      'a.'.repeat(100_000), `"${'x'.repeat(63)}"${' '.repeat(50)}`.repeat(2_000), 'eyJa.'.repeat(40_000)];
    const started = Date.now();
    for (const text of texts) expect(withoutCredentialShapes(text).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
