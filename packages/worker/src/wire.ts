import { MalformedCommandError } from './errors';
import { unstorable } from './output-rules';
import { MAX_STORED_KEY_LENGTH } from './postgres-result-store';

/** A command as Baton sends it to a worker (the same on every transport). */
export interface WireCommand {
  flowId: string;
  orchName: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  attempt: number;
  commandId: string;
  objectType: string;
  payload: unknown;
  payloadEncoding: 'json' | 'text' | 'base64';
  outputs: Record<string, unknown>;
  correlationId: string;
  idempotencyKey: string;
  deadline: string;
}

export type ReplyStatus = 'SUCCESS' | 'FAILED' | 'HEARTBEAT';

/** A worker's reply in the original Orchestrator Service format, plus what the SDK adds. */
export interface WireReply {
  flowId: string;
  orchName: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  commandId: string;
  attempt: number;
  /** `outputDropped`, on SUCCESS: done, but its output could not be sent; Baton unwinds the run, this step included. */
  metadata: { status: ReplyStatus; error: string | null; nonRetryable?: boolean; outputDropped?: boolean };
  output?: unknown;
}

export function replyTo(c: WireCommand, metadata: WireReply['metadata'], output?: unknown): WireReply {
  return {
    flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action,
    commandId: c.commandId, attempt: c.attempt, metadata, output,
  };
}

const STRINGS = ['flowId', 'orchName', 'stepName', 'commandId', 'objectType', 'correlationId', 'idempotencyKey', 'deadline'] as const;
const ENCODINGS: ReadonlyArray<unknown> = ['json', 'text', 'base64'];
/** As Baton writes it (toISOString), or any ISO 8601 date and time with its offset: Date.parse reads other forms differently by engine. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** How much of an id a malformed command's log line carries. */
const FIELD_SHOWN = 100;

/**
 * Parses a command body; throws a {@link MalformedCommandError} naming every problem of anything
 * that is not one (such a message is dropped, not retried). Checked in full, as a command that
 * passed here half-formed did harm further on: a deadline that is no date never expired, and a
 * key too long for the result store ran its handler at every delivery, as its record failed.
 */
export function parseCommand(body: string | Buffer): WireCommand {
  let value: unknown;
  try {
    value = JSON.parse(body.toString());
  } catch {
    // Not the parser's message: it quotes the body, which may carry the payload's secrets, into the log.
    throw new MalformedCommandError(['not JSON']);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new MalformedCommandError(['not a JSON object']);
  const c = value as Record<string, unknown>;
  const problems = commandProblems(c);
  if (problems.length > 0) throw new MalformedCommandError(problems, shownFields(c));
  return c as unknown as WireCommand;
}

function commandProblems(c: Record<string, unknown>): string[] {
  const missing = STRINGS.filter((k) => typeof c[k] !== 'string');
  const problems = missing.length > 0 ? [`lacks ${missing.join(', ')} (or not as a string)`] : [];
  if (c.action !== 'DO' && c.action !== 'UNDO') problems.push(`action must be DO or UNDO, not ${shown(c.action)}`);
  if (!Number.isSafeInteger(c.attempt) || (c.attempt as number) < 1) problems.push(`attempt must be a positive integer, not ${shown(c.attempt)}`);
  if (!c.outputs || typeof c.outputs !== 'object' || Array.isArray(c.outputs)) problems.push(`outputs must be an object, not ${shown(c.outputs)}`);
  if (!ENCODINGS.includes(c.payloadEncoding)) problems.push(`payloadEncoding must be json, text or base64, not ${shown(c.payloadEncoding)}`);
  else if (c.payloadEncoding !== 'json' && typeof c.payload !== 'string') problems.push(`a ${c.payloadEncoding} payload must be a string`);
  if (typeof c.deadline === 'string' && !(ISO_DATE_TIME.test(c.deadline) && Number.isFinite(Date.parse(c.deadline)))) {
    problems.push(`deadline must be an ISO 8601 date and time, not ${shown(c.deadline)}`);
  }
  for (const key of ['idempotencyKey', 'commandId'] as const) {
    const text = c[key];
    if (typeof text !== 'string') continue;
    // The result store records by these: one it cannot store would fail its record, and come again, at every delivery.
    if (text === '' || text.length > MAX_STORED_KEY_LENGTH) problems.push(`${key} must be 1 to ${MAX_STORED_KEY_LENGTH} characters, not ${text.length}`);
    const reason = unstorable(text);
    if (reason) problems.push(`${key} ${reason}`);
  }
  return problems;
}

/** A value in a problem, short, and without the NUL or lone surrogate it may hold (quoted as JSON). */
function shown(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > FIELD_SHOWN ? `${text.slice(0, FIELD_SHOWN)}…` : text;
}

/** The ids a malformed command carried, cut short, for its log line. */
function shownFields(c: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key of ['flowId', 'stepName', 'commandId'] as const) {
    if (typeof c[key] === 'string') fields[key] = (c[key] as string).slice(0, FIELD_SHOWN);
  }
  return fields;
}

/** What a transport logs of a message {@link parseCommand} refused, beside where it found it (a queue, an offset, a lease). */
export function malformedFields(error: unknown): Record<string, string> {
  return error instanceof MalformedCommandError ? { code: error.code, ...error.fields } : {};
}
