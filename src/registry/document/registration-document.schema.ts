import { z } from 'zod';
import { httpHandlerSchema } from './http-handler.schema';
import { MAX_NAME_LENGTH } from '../../common/validation/query-values';
import { MAX_INT4 } from '../../engine/messages/stored-text';

/** The columns' length, one definition: re-exported for the documents' users. */
export { MAX_NAME_LENGTH };

/*
 * Zod schemas for the shape of a registration document: types, ranges, required and unknown fields.
 * Rules that relate several fields (duplicate step names, undo vs handler kind) live in step-rules.ts
 * so they are reported even when a step also has shape problems.
 *
 * Duplicate `seq` values are ALLOWED and never reported: in a sequential template the steps that share
 * a seq form one stage that runs together (the executor depends on this); in a parallel template seq
 * only orders the steps. Duplicate step NAMES are always a problem.
 */

export const ROLES = ['initiator', 'worker'] as const;
export const TEMPLATE_TYPES = ['sequential', 'parallel', 'simultaneous', 'dag'] as const;
export const HANDLER_TYPES = ['worker', 'awx', 'oo', 'http'] as const;
/** What a step that failed (after its retries) does to its run: unwind it, or wait for an operator. */
export const ON_FAILURE = ['compensate', 'pause'] as const;
export const OO_RESULT_TYPES = ['RESOLVED', 'DIAGNOSED', 'NO_ACTION_TAKEN', 'ERROR'] as const;

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const NAME_RULE = 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"';
export const TOPIC_PATTERN = /^[A-Za-z0-9._-]{1,200}$/;
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 60 * 60;

const oneOf = (values: readonly string[]) => values.join(', ');

/** A strict object whose unknown-field message lists the fields it does know. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = oneOf(Object.keys(shape));
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field (allowed: ${allowed})` : undefined),
  });
}

/** Values like `as` and `type` are matched case-insensitively (Java enum spellings still pass). */
function keyword<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.enum(values, { error: (iss) => (iss.input === undefined ? `is required: one of ${oneOf(values)}` : `must be one of: ${oneOf(values)}`) }),
  );
}

const text = () =>
  z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_NAME_LENGTH, { error: `must be at most ${MAX_NAME_LENGTH} characters` });

const identifier = () =>
  text().regex(NAME_PATTERN, { error: NAME_RULE });

/** At most PostgreSQL's int4: seq lands in an int column, where a larger one fails the insert (22003); AWX ids are int4 too. */
const positiveInt = (max = MAX_INT4) =>
  z.number().int({ error: 'must be an integer' }).positive({ error: 'must be a positive integer' })
    .max(max, { error: `must be at most ${max}` });

const delaySeconds = z
  .number()
  .nonnegative({ error: 'must be 0 or more' })
  .max(MAX_TIMEOUT_SECONDS, { error: `must be at most ${MAX_TIMEOUT_SECONDS}` });

export const retrySchema = strict({
  maxAttempts: z.number().int({ error: 'must be an integer' }).min(1, { error: 'must be at least 1' }).max(100, { error: 'must be at most 100' }),
  backoff: z.enum(['fixed', 'exponential'], { error: 'must be one of: fixed, exponential' }).optional(),
  initialDelaySeconds: delaySeconds.optional(),
  maxDelaySeconds: delaySeconds.optional(),
}).superRefine((retry, ctx) => {
  if (retry.maxDelaySeconds !== undefined && retry.maxDelaySeconds < (retry.initialDelaySeconds ?? 1)) {
    ctx.addIssue({ code: 'custom', path: ['maxDelaySeconds'], message: `must be at least initialDelaySeconds (${retry.initialDelaySeconds ?? 1})` });
  }
});

const workerHandlerSchema = strict({ type: z.literal('worker') });

/** `extraVars` / `inputs` may be one reference to a whole object, e.g. '${payload}': the run's payload as they are. */
const WHOLE_REFERENCE = /^\$\{\s*(payload|steps\.[\w-]+\.output)(\.[\w-]+|\[\d+\])*\s*\}$/;
const wholeReference = z.string().trim().regex(WHOLE_REFERENCE, {
  error: 'must be an object, or one reference to an object such as ${payload} or ${steps.<name>.output.<field>}',
});

/* Built-in handlers name a connection from the engine's configuration; a template can never supply a
   URL, host or credential (strict objects reject any such field as unknown). */
const awxHandlerSchema = strict({
  type: z.literal('awx'),
  connection: identifier().optional(),
  jobTemplateId: positiveInt().optional(),
  workflowJobTemplateId: positiveInt().optional(),
  extraVars: z.union([z.record(z.string(), z.unknown()), wholeReference]).optional(),
}).superRefine((awx, ctx) => {
  const given = [awx.jobTemplateId, awx.workflowJobTemplateId].filter((id) => id !== undefined).length;
  if (given === 0) ctx.addIssue({ code: 'custom', path: [], message: 'give jobTemplateId or workflowJobTemplateId' });
  if (given === 2) ctx.addIssue({ code: 'custom', path: ['workflowJobTemplateId'], message: 'give jobTemplateId or workflowJobTemplateId, not both' });
});

const ooHandlerSchema = strict({
  type: z.literal('oo'),
  connection: identifier().optional(),
  flowUuid: z.string().trim().regex(UUID_PATTERN, { error: 'must be a UUID (8-4-4-4-12 hex digits)' }),
  inputs: z.union([z.record(z.string(), z.string()), wholeReference]).optional(),
  runName: text().optional(),
  successResultTypes: z
    .array(z.enum(OO_RESULT_TYPES, { error: `must be one of: ${oneOf(OO_RESULT_TYPES)}` }))
    .min(1, { error: 'must not be empty' })
    .optional(),
});

const handlerObjectSchema = z.discriminatedUnion('type', [workerHandlerSchema, awxHandlerSchema, ooHandlerSchema, httpHandlerSchema], {
  error: (iss) => {
    if (iss.code === 'invalid_union') {
      const type = (iss.input as { type?: unknown } | undefined)?.type;
      return type === undefined ? `is required: one of ${oneOf(HANDLER_TYPES)}` : `must be one of: ${oneOf(HANDLER_TYPES)}`;
    }
    if (iss.code === 'invalid_type') return `must be "worker" or a handler object {type: ${HANDLER_TYPES.join(' | ')}, ...}`;
    return undefined;
  },
});

/** `handler: worker` is shorthand for `handler: {type: worker}`. */
const workerShorthand = (v: unknown) => (v === 'worker' ? { type: 'worker' } : v);

export const handlerSchema = z.preprocess(workerShorthand, handlerObjectSchema);

export const undoSchema = z.preprocess(
  workerShorthand,
  z.union([z.boolean(), handlerObjectSchema], { error: `must be true, false or a handler object {type: ${HANDLER_TYPES.join(' | ')}, ...}` }),
);

/** The services allowed to work a step: a registration from any other service is refused. */
const workersSchema = z.array(identifier()).min(1, { error: 'must name at least one service' }).max(50, { error: 'must name at most 50 services' });

/** The most dependencies one step may list. */
export const MAX_DEPENDENCIES = 100;

/** `seq` is optional here: only a DAG may leave it out, which dag-rules.ts checks. */
export const initiatorStepSchema = strict({
  seq: positiveInt().optional(),
  name: identifier(),
  objectType: text(),
  timeoutSeconds: positiveInt(MAX_TIMEOUT_SECONDS).nullish(),
  heartbeatSeconds: positiveInt(MAX_TIMEOUT_SECONDS).nullish(),
  retry: retrySchema.nullish(),
  handler: handlerSchema.optional(),
  undo: undoSchema.optional(),
  onFailure: z.enum(ON_FAILURE, { error: `must be one of: ${oneOf(ON_FAILURE)}` }).optional(),
  workers: workersSchema.optional(),
  dependsOn: z.array(identifier()).max(MAX_DEPENDENCIES, { error: `must list at most ${MAX_DEPENDENCIES} steps` }).optional(),
});

/** Worker steps have no seq in the original format; one given anyway is accepted and ignored. */
export const workerStepSchema = strict({
  seq: z.number().int({ error: 'must be an integer' }).nonnegative({ error: 'must be 0 or more' }).optional(),
  name: identifier(),
  objectType: text(),
});

/**
 * The most steps one template or worker document may have. Bytes alone did not bound a template:
 * 5,000 bare steps fit in REGISTRATION_MAX_BYTES, and a sequential template of two such stages is a
 * graph of millions of edges, which its detail drew on every read (hundreds of MB, seconds of a
 * blocked event loop), and a parallel one fans one payload out into as many commands at its start.
 */
export const MAX_STEPS = 200;
export const TOO_MANY_STEPS = `must have at most ${MAX_STEPS} steps`;

const steps = <T extends z.ZodType>(step: T) => z.array(step).min(1, { error: 'must have at least one step' })
  .max(MAX_STEPS, { error: TOO_MANY_STEPS });

export const ON_DEADLINE = ['compensate', 'pause', 'alert'] as const;
/** The longest run deadline: 30 days, as long as a built-in step may poll. */
export const MAX_DEADLINE_SECONDS = 30 * 24 * 60 * 60;

export const initiatorDocumentSchema = strict({
  orchName: identifier(),
  as: z.string(),
  type: keyword(TEMPLATE_TYPES),
  deadlineSeconds: positiveInt(MAX_DEADLINE_SECONDS).nullish(),
  onDeadline: z.enum(ON_DEADLINE, { error: `must be one of: ${oneOf(ON_DEADLINE)}` }).nullish(),
  description: z.string().trim().max(MAX_DESCRIPTION_LENGTH, { error: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` }).nullish(),
  service: identifier().nullish(),
  workers: workersSchema.optional(),
  steps: steps(initiatorStepSchema),
});

export const workerDocumentSchema = strict({
  orchName: identifier(),
  as: z.string(),
  service: identifier().nullish(),
  topic: z.string().trim().regex(TOPIC_PATTERN, { error: 'must be 1-200 letters, digits, ".", "_" or "-"' }).nullish(),
  steps: steps(workerStepSchema),
});

/** What can still be checked when `as` is missing or unknown. */
export const anyRoleDocumentSchema = z.looseObject({ orchName: identifier() });

export const roleSchema = keyword(ROLES);

export type InitiatorInput = z.output<typeof initiatorDocumentSchema>;
export type WorkerInput = z.output<typeof workerDocumentSchema>;
export type HandlerInput = z.output<typeof handlerSchema>;
export type UndoInput = z.output<typeof undoSchema>;
