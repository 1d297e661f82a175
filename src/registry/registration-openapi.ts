import type { OpenAPIObject } from '@nestjs/swagger';

export const REGISTER_PATH = '/api/orchestration/register';

const YAML_EXAMPLE = 'orchName: tenantCreation\nas: initiator\ntype: sequential\nsteps:\n'
  + '  - {seq: 1, name: createRealm, objectType: String}\n  - {seq: 2, name: createClient, objectType: String}\n';

/**
 * Nest's @ApiBody gives every media type of an operation one schema; a YAML registration is text,
 * parsed by Baton (problems carry line and column), so its media types are documented as strings.
 */
export function documentRegistrationBody(document: OpenAPIObject, yamlTypes: readonly string[]): OpenAPIObject {
  const body = document.paths[REGISTER_PATH]?.post?.requestBody as { content?: Record<string, unknown> } | undefined;
  for (const type of yamlTypes) {
    if (body?.content?.[type]) {
      body.content[type] = {
        schema: { type: 'string', description: 'The same document in YAML; its shape is the JSON schema of application/json' },
        example: YAML_EXAMPLE,
      };
    }
  }
  return document;
}
