import { z } from 'zod';
import { notJson } from '../common/text/not-json';
import { jsonShapeProblems } from '../common/validation/json-shape';
import { RUN_PAYLOAD_MAX_DEPTH } from '../engine/core/run-payload';
import { MAX_INT4 } from '../engine/messages/stored-text';
import { PoisonMessageError } from '../messaging/message';

/** What Baton needs of an Orca `RequestCreatedEvent`, checked. */
export interface OrcaRequest {
  requestId: string;
  target: 'awx' | 'oo';
  /** AWX only. */
  resourceType: 'job_template' | 'workflow_job_template' | null;
  /** A positive integer (AWX template id) or a flow UUID (OO). */
  resourceId: string;
  /**
   * FormData as sent (AWX extra_vars or OO inputs), read by parseFormData only once the sender has
   * been found entitled to run the request: a refusal then is answered to the requester.
   */
  formData: string | null;
  userId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** FormData is a JSON string inside the message; the message itself is bounded by the broker. */
const MAX_FORM_DATA_CHARS = 256 * 1024;

const eventSchema = z.object({
  RequestId: z.string().regex(UUID, { error: 'must be a UUID' }),
  ExecutionTargetType: z.union([z.literal(0), z.literal(1)], { error: 'must be 0 (AWX) or 1 (OO)' }),
  ExecutionResourceType: z.union([z.literal(0), z.literal(1)], { error: 'must be 0 (JobTemplate) or 1 (Workflow)' }).nullish(),
  ExecutionResourceId: z.string().trim().min(1, { error: 'is required' }).max(200),
  FormData: z.string().nullish(),
  UserId: z.string().max(200).nullish(),
  CreatedAtUtc: z.string().max(64).nullish(),
}).superRefine((e, ctx) => {
  if (e.ExecutionTargetType === 0) {
    if (e.ExecutionResourceType === undefined || e.ExecutionResourceType === null) {
      ctx.addIssue({ code: 'custom', path: ['ExecutionResourceType'], message: 'is required for AWX (0 JobTemplate, 1 Workflow)' });
    }
    if (!/^[1-9]\d{0,9}$/.test(e.ExecutionResourceId) || Number(e.ExecutionResourceId) > MAX_INT4) {
      ctx.addIssue({ code: 'custom', path: ['ExecutionResourceId'], message: `must be an AWX template id (a positive integer up to ${MAX_INT4})` });
    }
  } else if (!UUID.test(e.ExecutionResourceId)) {
    ctx.addIssue({ code: 'custom', path: ['ExecutionResourceId'], message: 'must be an OO flow UUID' });
  }
});

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Orca's publishers (MassTransit) wrap the message in an envelope (`{messageType, message}`) and
 * write camelCase names; the contract documents PascalCase. All three arrive here as PascalCase.
 */
function unwrap(json: unknown): Record<string, unknown> {
  const inner = isObject(json) && isObject(json.message) && 'messageType' in json ? json.message : json;
  if (!isObject(inner)) throw new PoisonMessageError('invalid message: not a JSON object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) out[key.charAt(0).toUpperCase() + key.slice(1)] = value;
  return out;
}

/** A request's FormData as an object; throws PoisonMessageError, naming the field, for one that can never run. */
export function parseFormData(text: string | null): Record<string, unknown> {
  if (text === null || text.trim() === '') return {};
  if (text.length > MAX_FORM_DATA_CHARS) throw new PoisonMessageError(`invalid message: FormData: must be at most ${MAX_FORM_DATA_CHARS} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PoisonMessageError(`invalid message: FormData: ${notJson(e)}`);
  }
  if (!isObject(parsed)) throw new PoisonMessageError('invalid message: FormData: must be a JSON object');
  // Checked as a run payload is, before anything serialises it: deeper nesting overflows the stack
  // of JSON.stringify (a RangeError, redelivered as if Baton were down), and PostgreSQL cannot
  // store NUL or a lone surrogate in the parsed strings and keys.
  const [problem] = jsonShapeProblems(parsed, 'FormData', { maxDepth: RUN_PAYLOAD_MAX_DEPTH }, 1);
  if (problem) throw new PoisonMessageError(`invalid message: ${problem.path}: ${problem.message}`);
  return parsed;
}

/**
 * Parses a RequestCreatedEvent, all but its FormData (parseFormData); throws PoisonMessageError
 * (dead-lettered with the reason) for one that can never run.
 */
export function parseRequestCreated(body: Buffer): OrcaRequest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new PoisonMessageError(notJson(e));
  }
  const parsed = eventSchema.safeParse(unwrap(json));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
    throw new PoisonMessageError(`invalid message: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const awx = e.ExecutionTargetType === 0;
  return {
    requestId: e.RequestId.toLowerCase(),
    target: awx ? 'awx' : 'oo',
    resourceType: awx ? (e.ExecutionResourceType === 1 ? 'workflow_job_template' : 'job_template') : null,
    resourceId: awx ? e.ExecutionResourceId : e.ExecutionResourceId.toLowerCase(),
    formData: e.FormData ?? null,
    userId: e.UserId ?? null,
  };
}
