import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: unknown };

const REF = '#/components/schemas/';

/**
 * The global ValidationPipe refuses unknown fields in every DTO body (forbidNonWhitelisted), but
 * Nest documents DTOs as open objects. Marks every schema a request body reaches, nested ones
 * included, `additionalProperties: false`, so the document says what the API does.
 */
export function documentClosedBodies(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const seen = new Set<string>();
  const close = (schema: Schema | undefined): void => {
    if (!schema) return;
    if (schema.$ref?.startsWith(REF)) {
      const name = schema.$ref.slice(REF.length);
      if (seen.has(name) || !schemas[name]) return;
      seen.add(name);
      schemas[name].additionalProperties = false;
      close(schemas[name]);
      return;
    }
    Object.values(schema.properties ?? {}).forEach(close);
    close(schema.items);
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Array<{ requestBody?: { content?: Record<string, { schema?: Schema }> } }>) {
      Object.values(operation?.requestBody?.content ?? {}).forEach((media) => close(media.schema));
    }
  }
  return document;
}
