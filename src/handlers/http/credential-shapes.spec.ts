import { namesCredential, withoutCredentialShapes } from './credential-shapes';

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
    // A quoted value is cut whole, whatever it holds; spaces about `=` or `:` change nothing.
    [`password='hunter2' rejected`, `password='***' rejected`],
    ['password="hunter2" rejected', 'password="***" rejected'],
    ['password = hunter2', 'password = ***'],
    ['{"password":"correct horse battery"}', '{"password":"***"}'],
    ['{"password" : "a;b,c(d)", "user": "ops"}', '{"password" : "***", "user": "ops"}'],
    ['{"password":"pa\\"ss word"}', '{"password":"***"}'],
    ['{"pin_password": 123456}', '{"pin_password": ***}'],
    // JSON put in a string, as a partner's log line quotes it; and a quote the text ends inside.
    ['details: {\\"password\\":\\"hunter2\\"}', 'details: {\\"password\\":\\"***\\"}'],
    ['{"client_secret": "s3cr3t cut off', '{"client_secret": "***'],
    // Header style, and names that end in a credential word however long or spelt.
    ['X-Api-Key: k-123456', 'X-Api-Key: ***'],
    ['X-Auth-Token:abc123 sent', 'X-Auth-Token:*** sent'],
    ['aws_secret_access_key=wJalrXUtnFEMI', 'aws_secret_access_key=***'],
    ['apiKey=AbCdEf012', 'apiKey=***'],
    [`${'x'.repeat(70)}_password=hunter2`, `${'x'.repeat(70)}_password=***`],
    // A URL under another name is not swallowed as that name's value: its own token is found.
    ['{"callback_url": "https://x.example.com/cb?token=opaque-abc123"}', '{"callback_url": "https://x.example.com/cb?token=***"}'],
    ['callback=https://x.example.com/cb?token=opaque-abc123&run=7', 'callback=https://x.example.com/cb?token=***&run=7'],
    // A cursor shares its name's ending with a token: cut too, which costs an error text little.
    ['bad page_token=c2Vjb25k', 'bad page_token=***'],
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
    // Prose that names a credential: no `=` or `:` after the name, or a word after `:`.
    'the token expired',
    'password policy requires 8 characters',
    'Password: must contain a digit',
    'invalid token: Expired.',
    'token_type=bearer, expires_in=3600',
    'secretary=ops; tokenizer=bpe',
    '{"callback_url": "https://x.example.com/cb", "key": "email"}',
    // Case-insensitively: a capitalised or capital word after the scheme, or a hyphenated one, is prose.
    'HTTP Basic Authentication is required',
    'Bearer token-based auth only',
    'BASIC AUTHENTICATION REQUIRED',
  ])('keeps %s', (text) => expect(withoutCredentialShapes(text)).toBe(text));

  // Each pattern starts at a fixed word or where a run does, its repeats bounded: long runs and many near-misses stay linear.
  it('takes long runs and many near-misses quickly', () => {
    const texts = ['a'.repeat(200_000), 'eyJ'.repeat(60_000), `${'Bearer '.repeat(20_000)}x`, 'token'.repeat(40_000),
      'a.'.repeat(100_000), `"${'x'.repeat(63)}"${' '.repeat(50)}`.repeat(2_000), 'eyJa.'.repeat(40_000),
      'token:"'.repeat(150_000), 'token\\":\\"'.repeat(90_000), "password='".repeat(100_000), `token${' '.repeat(21)}=`.repeat(40_000),
      `token="${'\\'.repeat(50)}`.repeat(18_000), `token: ${'a-'.repeat(500_000)}`, `Bearer ${'Ab-'.repeat(350_000)}`, 'api_api_api-'.repeat(90_000)];
    const started = Date.now();
    for (const text of texts) expect(withoutCredentialShapes(text).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it.each([
    ['password', true], ['client_secret', true], ['X-Api-Key', true], ['accessToken', true], ['aws_secret_access_key', true],
    ['tokens', false], ['token_type', false], ['key', false], ['password_policy', false], ['callback_url', false],
  ])('says whether the key %s names a credential', (key, expected) => expect(namesCredential(key as string)).toBe(expected));
});
