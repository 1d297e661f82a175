import type { HandlerSpec } from '../registry/entities/step-template.entity';
import { DEFAULT_CONNECTION, TargetKind } from './handlers-config';
import { DEFAULT_SUCCESS_RESULT_TYPES, OO_RESULT_TYPES } from './oo/oo-status';

/** `{type: awx, connection?, jobTemplateId | workflowJobTemplateId, extraVars?}` */
export interface AwxSpec {
  type: 'awx';
  connection: string;
  templateKind: 'job_template' | 'workflow_job_template';
  templateId: number;
  /** An object template, or one reference ('${payload}') that must resolve to an object. */
  extraVars: Record<string, unknown> | string;
}

/** `{type: oo, connection?, flowUuid, inputs?, runName?, successResultTypes?}` */
export interface OoSpec {
  type: 'oo';
  connection: string;
  flowUuid: string;
  /** As extraVars: an object template or one reference to an object. */
  inputs: Record<string, unknown> | string;
  runName?: string;
  successResultTypes: string[];
}

export type BuiltInSpec = AwxSpec | OoSpec;

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

export class SpecError extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
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
  if (spec.type === 'awx') {
    const jt = positiveInt(spec.jobTemplateId);
    const wf = positiveInt(spec.workflowJobTemplateId);
    if ((jt === undefined) === (wf === undefined)) throw new SpecError('an awx handler needs exactly one of jobTemplateId, workflowJobTemplateId (positive integers)');
    if (spec.extraVars !== undefined && !isObject(spec.extraVars) && typeof spec.extraVars !== 'string') {
      throw new SpecError('extraVars must be an object or a reference to one');
    }
    return {
      type: 'awx', connection: connectionOf(spec),
      templateKind: jt !== undefined ? 'job_template' : 'workflow_job_template', templateId: (jt ?? wf)!,
      extraVars: (spec.extraVars as Record<string, unknown> | string | undefined) ?? {},
    };
  }
  if (spec.type === 'oo') {
    if (typeof spec.flowUuid !== 'string' || !spec.flowUuid.trim()) throw new SpecError('an oo handler needs a flowUuid');
    if (spec.inputs !== undefined && !isObject(spec.inputs) && typeof spec.inputs !== 'string') {
      throw new SpecError('inputs must be an object of strings or a reference to an object');
    }
    if (spec.runName !== undefined && typeof spec.runName !== 'string') throw new SpecError('runName must be a string');
    const types = spec.successResultTypes ?? DEFAULT_SUCCESS_RESULT_TYPES;
    if (!Array.isArray(types) || types.length === 0
      || !types.every((t) => (OO_RESULT_TYPES as readonly unknown[]).includes(t))) {
      throw new SpecError(`successResultTypes must be a non-empty list of ${OO_RESULT_TYPES.join(', ')}`);
    }
    return {
      type: 'oo', connection: connectionOf(spec), flowUuid: spec.flowUuid.trim(),
      inputs: (spec.inputs as Record<string, unknown> | string | undefined) ?? {},
      runName: spec.runName as string | undefined, successResultTypes: [...types] as string[],
    };
  }
  throw new SpecError(`not a built-in handler type: ${String(spec.type)}`);
}

function kindOf(value: unknown, fallback: TargetKind): TargetKind {
  return value === 'awx' || value === 'oo' ? value : fallback;
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
