import type { HandlerSpec } from '../registry/entities/step-template.entity';
import { DEFAULT_CONNECTION } from './handlers-config';
import type { TargetKind } from './job-kind';
import { BuiltInSpec, isTargetKind, jobKind } from './job-kinds';
import { SpecError } from './job-request';

/**
 * What an UNDO of a built-in step does. The engine passes, for an UNDO, either
 * `{type: <DO type>, do: <DO spec>, undo: <undo spec> | false}` (the convention), a bare undo spec,
 * or `{type, cancelOnly: true}`. In every case the DO's job is cancelled first if still active.
 */
export interface UndoPlan {
  /** The undo template to run after the DO's job has ended, if any. */
  undo: BuiltInSpec | null;
  /** Connection / kind to record for a cancel-only UNDO. */
  kind: TargetKind;
  connection: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function connectionOf(spec: Record<string, unknown>): string {
  const c = spec.connection;
  if (c === undefined) return DEFAULT_CONNECTION;
  if (typeof c !== 'string' || !/^[A-Za-z0-9_]{1,50}$/.test(c)) throw new SpecError('connection must be a connection name (letters, digits, _)');
  return c.toLowerCase();
}

/** Parses an awx/oo handler spec defensively (the registry validated it; rows may be older). */
export function parseBuiltInSpec(spec: unknown): BuiltInSpec {
  if (!isObject(spec)) throw new SpecError('the handler is not an object');
  if (!isTargetKind(spec.type)) throw new SpecError(`not a built-in handler type: ${String(spec.type)}`);
  return jobKind(spec.type).parseSpec(spec, () => connectionOf(spec));
}

function kindOf(value: unknown, fallback: TargetKind): TargetKind {
  return isTargetKind(value) ? value : fallback;
}

/** Reads the UNDO handler convention (see UndoPlan). */
export function parseUndoHandler(handler: HandlerSpec, dispatcherKind: TargetKind): UndoPlan {
  const doSpec = isObject(handler.do) ? handler.do : undefined;
  let undoSpec: unknown;
  if ('do' in handler || 'undo' in handler) undoSpec = handler.undo;
  else if (handler.cancelOnly === true) undoSpec = false;
  else undoSpec = handler;
  const kind = kindOf(doSpec?.type, kindOf(handler.type, dispatcherKind));
  const connection = doSpec ? connectionOf(doSpec) : DEFAULT_CONNECTION;
  if (undoSpec === false || undoSpec === undefined || undoSpec === null || undoSpec === true) {
    return { undo: null, kind, connection };
  }
  const undo = parseBuiltInSpec(undoSpec);
  return { undo, kind: undo.type, connection: undo.connection };
}
