import type { OpenAPIObject } from '@nestjs/swagger';
import { documentRegistrationBody, REGISTER_PATH } from './registration-openapi';

describe('documentRegistrationBody', () => {
  it('documents YAML registrations as text and leaves the JSON schema alone', () => {
    const json = { schema: { oneOf: [] } };
    const document = { paths: { [REGISTER_PATH]: { post: { requestBody: { content: {
      'application/json': json, 'text/yaml': { schema: { oneOf: [] } },
    } } } } } } as unknown as OpenAPIObject;
    const content = (documentRegistrationBody(document, ['text/yaml', 'application/yaml']).paths[REGISTER_PATH].post!.requestBody as
      { content: Record<string, { schema: unknown; example?: string }> }).content;
    expect(content['application/json']).toBe(json);
    expect(content['text/yaml']).toMatchObject({ schema: { type: 'string' }, example: expect.stringContaining('as: initiator') });
    expect(content['application/yaml']).toBeUndefined();
  });
});
