import type { OpenAPIObject } from '@nestjs/swagger';
import { documentClosedBodies } from './closed-bodies';

describe('documentClosedBodies', () => {
  const document = () => ({
    openapi: '3.0.0', info: { title: 't', version: '1' },
    paths: {
      '/a': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Body' } } } }, responses: {} } },
      '/b': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Answer' } } } } } } },
    },
    components: { schemas: {
      Body: { type: 'object', properties: { steps: { type: 'array', items: { $ref: '#/components/schemas/Step' } } } },
      Step: { type: 'object', properties: { name: { type: 'string' }, self: { $ref: '#/components/schemas/Step' } } },
      Answer: { type: 'object', properties: {} },
    } },
  }) as unknown as OpenAPIObject;

  it('closes every schema a request body reaches, nested and recursive ones included', () => {
    const schemas = documentClosedBodies(document()).components!.schemas as Record<string, { additionalProperties?: unknown }>;
    expect(schemas.Body.additionalProperties).toBe(false);
    expect(schemas.Step.additionalProperties).toBe(false);
  });

  it('leaves response schemas open: answers may grow new fields', () => {
    const schemas = documentClosedBodies(document()).components!.schemas as Record<string, { additionalProperties?: unknown }>;
    expect(schemas.Answer.additionalProperties).toBeUndefined();
  });
});
