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

const REQUIRED = ['flowId', 'orchName', 'stepName', 'action', 'commandId', 'idempotencyKey', 'deadline'] as const;

/** Parses a command body; throws on anything that is not one (such a message is dropped, not retried). */
export function parseCommand(body: string | Buffer): WireCommand {
  const value = JSON.parse(body.toString()) as Partial<WireCommand> | null;
  if (!value || typeof value !== 'object') throw new Error('A command must be a JSON object');
  const missing = REQUIRED.filter((k) => typeof value[k] !== 'string');
  if (missing.length > 0) throw new Error(`A command lacks ${missing.join(', ')}`);
  if (value.action !== 'DO' && value.action !== 'UNDO') throw new Error(`Unknown action ${String(value.action)}`);
  return value as WireCommand;
}
