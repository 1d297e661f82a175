import { z } from 'zod';
import { headerProblem, headerValueProblem, HTTP_METHODS, JSON_PATH, pathProblem } from '../../handlers/http-call/call-rules';

/*
 * `handler: {type: http, ...}`: a call to a configured connection. Every field that could point a
 * request elsewhere or carry a credential is refused here, naming the field, so a bad template
 * never reaches the engine (the handler checks again once placeholders are filled in).
 */

const MAX_ENTRIES = 50;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function strictHttp<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field (allowed: ${allowed}; a template cannot give a URL or credentials)` : undefined),
  });
}

const jsonPath = z.string().max(200, { error: 'must be at most 200 characters' })
  .regex(JSON_PATH, { error: 'must be a JSON path like status, data.items[0].id or $.data.state' });
const scalar = z.union([z.string().max(1000), z.number(), z.boolean()], { error: 'must be a string, number or boolean' });

const bounded = <T extends z.ZodType>(value: T) => z.record(z.string().max(100, { error: 'names must be at most 100 characters' }), value)
  .refine((r) => Object.keys(r).length <= MAX_ENTRIES, { error: `must have at most ${MAX_ENTRIES} entries` });

const headers = bounded(z.string().max(8192, { error: 'must be at most 8192 characters' })).superRefine((h, ctx) => {
  for (const [name, value] of Object.entries(h)) {
    const problem = headerProblem(name) ?? headerValueProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', path: [name], message: `header ${name} ${problem}` });
  }
});

const RESPONSE_HEADERS_NOT_KEPT = new Set(['set-cookie', 'authorization', 'www-authenticate', 'proxy-authenticate']);
const outputHeaders = z.array(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, { error: 'must be a header name' })
  .refine((n) => !RESPONSE_HEADERS_NOT_KEPT.has(n.toLowerCase()), { error: 'may carry credentials and is never kept' }))
  .max(20, { error: 'must have at most 20 headers' });

const httpCallShape = {
  type: z.literal('http'),
  connection: z.string().trim().min(1, { error: 'must not be empty' }).max(50).regex(NAME, { error: 'must be a connection name from HTTP_CONNECTIONS' }),
  method: z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
    z.enum(HTTP_METHODS, { error: `must be one of: ${HTTP_METHODS.join(', ')}` })).optional(),
  path: z.string().superRefine((p, ctx) => {
    const problem = pathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  query: bounded(scalar).optional(),
  headers: headers.optional(),
  body: z.unknown().optional(),
  timeoutMs: z.number().int({ error: 'must be an integer' }).min(1, { error: 'must be at least 1' }).max(600_000, { error: 'must be at most 600000' }).optional(),
  success: strictHttp({
    status: z.array(z.number().int().min(100).max(599), { error: 'must be a list of HTTP status codes' }).min(1, { error: 'must not be empty' }).max(50).optional(),
    path: jsonPath.optional(),
    equals: z.unknown().optional(),
  }).refine((s) => (s.path === undefined) === (s.equals === undefined), { error: 'give path and equals together' }).optional(),
  outputHeaders: outputHeaders.optional(),
  async: strictHttp({
    statusUrlPath: jsonPath.optional(),
    statePath: jsonPath,
    done: z.array(scalar).min(1, { error: 'must not be empty' }).max(20),
    failed: z.array(scalar).max(20).optional(),
  }).optional(),
};

export const httpHandlerSchema = strictHttp(httpCallShape).superRefine((h, ctx) => {
  if (h.body !== undefined && (h.method ?? 'GET') === 'GET') ctx.addIssue({ code: 'custom', path: ['body'], message: 'a GET has no body; give method POST, PUT, PATCH or DELETE' });
  if (h.body !== undefined && JSON.stringify(h.body).length > 65_536) ctx.addIssue({ code: 'custom', path: ['body'], message: 'must be at most 64 KiB as JSON' });
});
