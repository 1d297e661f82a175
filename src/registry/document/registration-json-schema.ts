import { z } from 'zod';
import { initiatorDocumentSchema, workerDocumentSchema } from './registration-document.schema';

type JsonSchema = Record<string, unknown>;

const WORKER_SHORTHAND: JsonSchema = { type: 'string', enum: ['worker'], description: 'Shorthand for {type: worker}' };

/**
 * The HTTP block by its fields only. schemathesis 4.32 cannot generate data from the whole block
 * inside the handler union (a "Schema Error" in its fuzzing phase, found by bisecting), which would
 * stop it from testing register at all; the exact block is checked in registration-json-schema.spec.ts.
 */
const HTTP_SUMMARY: JsonSchema = {
  type: 'object',
  properties: { type: { type: 'string', enum: ['http'] }, connection: { type: 'string' }, path: { type: 'string' } },
  required: ['type', 'connection', 'path'],
  description: 'A call to a configured connection: connection, method, path, query, headers, body, timeoutMs, success, '
    + 'outputHeaders, async (README, "Built-in HTTP steps"); a URL or credentials are refused',
};

const isHttpBranch = (branch: JsonSchema) => ((branch.properties as Record<string, JsonSchema>)?.type?.enum as string[] | undefined)?.[0] === 'http';

/** Replaces the HTTP branch of every handler union below `node` by its summary. */
function summarizeHttp(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonSchema;
  if (Array.isArray(schema.oneOf)) schema.oneOf = (schema.oneOf as JsonSchema[]).map((b) => (isHttpBranch(b) ? HTTP_SUMMARY : b));
  Object.values(schema).forEach((child) => (Array.isArray(child) ? child.forEach(summarizeHttp) : summarizeHttp(child)));
}

/** `handler` and `undo` also take the string `worker`, which zod reads in a preprocess step that JSON Schema cannot see. */
function withWorkerShorthand(steps: JsonSchema): void {
  const props = ((steps.items as JsonSchema).properties as Record<string, JsonSchema>);
  for (const name of ['handler', 'undo']) props[name] = { anyOf: [WORKER_SHORTHAND, props[name]] };
}

function documentSchema(schema: z.ZodType, role: 'initiator' | 'worker'): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as JsonSchema;
  const props = json.properties as Record<string, JsonSchema>;
  // `as` picks the schema (case-insensitive in Baton: `Initiator` passes too); the zod shape leaves it a plain string.
  props.as = { type: 'string', enum: [role] };
  if (role === 'initiator') withWorkerShorthand(props.steps);
  return { title: `${role} document`, ...json };
}

/**
 * The registration document as OpenAPI 3.0 JSON Schema, generated from the validator's own zod
 * schemas so the document cannot drift from what Baton checks. What no JSON Schema can say is
 * checked on top and answered with a 400 listing each problem: unique step names, `seq` required
 * unless `type: dag`, `dependsOn` naming known steps without a cycle, `undo` matching the
 * handler, retry delays in order, AWX's one template id, the depth and size of the document.
 */
export function registrationDocumentJsonSchema(options: { summarizeHttp?: boolean } = {}): JsonSchema {
  const schema = {
    oneOf: [documentSchema(initiatorDocumentSchema, 'initiator'), documentSchema(workerDocumentSchema, 'worker')],
    description: 'An initiator (`as: initiator`) or worker (`as: worker`) registration document. Beyond this schema, Baton '
      + 'requires unique step names, `seq` on every step unless `type: dag`, `dependsOn` naming known steps without a cycle, '
      + 'an `undo` that fits the handler, `maxDelaySeconds` ≥ `initialDelaySeconds`, exactly one AWX template id, and a '
      + 'service named by X-Service-Name or `service:`; each problem is answered with a 400 naming its path.',
  };
  if (options.summarizeHttp) summarizeHttp(schema);
  return schema;
}
