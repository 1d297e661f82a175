import { namesCredential } from './credential-names';

describe('namesCredential', () => {
  it.each([
    'X-Api-Key', 'api-key', 'ApiKey', 'x-apikey', 'Private-Token', 'X-Auth-Token', 'X-Auth-User', 'X-Access-Token', 'X-Amz-Security-Token',
    'X-CSRF-Token', 'Ocp-Apim-Subscription-Key', 'x-functions-key', 'X-Key', 'access_token', 'accessToken', 'api_key', 'token', 'key',
    'client_secret', 'password',
  ])('takes %p for a credential', (name) => expect(namesCredential(name)).toBe(true));

  it.each([
    'X-Tenant', 'Accept', 'Content-Type', 'X-Request-Id', 'source', 'page_token', 'nextToken', 'continuation-token', 'sort_key',
    'X-Author', 'monkey', 'keyword', 'tokens_used', 'upload_session', 'signature',
  ])('takes %p for an ordinary name', (name) => expect(namesCredential(name)).toBe(false));
});
