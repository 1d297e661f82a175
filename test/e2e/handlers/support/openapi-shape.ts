/*
 * Checks a response body against the OpenAPI document the app serves (/v3/api-docs): every
 * documented property present and no undocumented one, types, enums, uuid/date-time formats and
 * nullability. Enough of OpenAPI 3.0 for the DTOs Nest's Swagger module emits.
 */

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $ref?: string;
  additionalProperties?: boolean | Schema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = doc.components.schemas[name];
  if (!found) throw new Error(`no schema ${name}`);
  return found;
}

/** Every mismatch between `value` and `schema`, each with its path. */
export function shapeProblems(doc: OpenApiDocument, schema: Schema, value: unknown, path = '$'): string[] {
  const s = resolve(doc, schema);
  if (value === null) return s.nullable ? [] : [`${path}: null but not nullable`];
  const problems: string[] = [];
  if (s.enum && !s.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(s.enum)}`);
  switch (s.type) {
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected a string, got ${JSON.stringify(value)}`];
      if (s.format === 'uuid' && !UUID.test(value)) problems.push(`${path}: not a uuid: ${value}`);
      if (s.format === 'date-time' && !DATE_TIME.test(value)) problems.push(`${path}: not a date-time: ${value}`);
      return problems;
    case 'number':
    case 'integer':
      return typeof value === 'number' ? problems : [`${path}: expected a number, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? problems : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      return value.flatMap((item, i) => (s.items ? shapeProblems(doc, s.items, item, `${path}[${i}]`) : []));
    case 'object':
    case undefined: {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      if (!s.properties) return problems;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!(key in s.properties)) problems.push(`${path}.${key}: not documented`);
      }
      for (const [key, prop] of Object.entries(s.properties)) {
        if (!(key in record)) {
          // Serialised DTOs carry every field (null when empty), required or not.
          problems.push(`${path}.${key}: missing${s.required?.includes(key) ? ' (required)' : ''}`);
          continue;
        }
        problems.push(...shapeProblems(doc, prop, record[key], `${path}.${key}`));
      }
      return problems;
    }
    default:
      return problems;
  }
}

/** The 200 response schema of GET `path` (as written in the document, e.g. `/api/job-executions/{id}`). */
export function responseSchema(doc: OpenApiDocument, path: string): Schema {
  const schema = doc.paths[path]?.get?.responses['200']?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no documented 200 JSON response for GET ${path}`);
  return schema;
}
