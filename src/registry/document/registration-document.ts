import type { Problem } from '../../common/errors/app-error';
import type { TemplateType } from '../entities/orchestration-template.entity';
import type { RetryPolicy } from '../../engine/core/plan';
import type { HandlerSpec, UndoSpec } from '../entities/step-template.entity';

export type Role = 'initiator' | 'worker';

export interface NormalizedStep {
  /** Steps sharing a seq in a sequential template form one stage that runs together. */
  seq: number;
  name: string;
  objectType: string;
  timeoutSeconds: number | null;
  /** Worker steps: an attempt with no heartbeat for this long times out. Only when given (content hash). */
  heartbeatSeconds?: number;
  /** Defaults filled when given: backoff exponential, initialDelaySeconds 1, maxDelaySeconds 60. */
  retry: RetryPolicy | null;
  /** `{type: 'worker'}` unless a built-in handler is named. */
  handler: HandlerSpec;
  /** Worker steps: `{type: 'worker'}` unless `undo: false`; built-in steps: `false` unless a handler is given. */
  undo: UndoSpec;
  /** Only `pause` is kept: `compensate` is the default, and leaving it out keeps older templates' hashes. */
  onFailure?: 'pause';
  /** The services allowed to work the step (its own `workers:` or the template's); absent: any service. */
  workers?: string[];
  /** DAG templates: the steps that must succeed (or be skipped) before this one starts; sorted, never empty. */
  dependsOn?: string[];
}

export interface InitiatorDocument {
  role: 'initiator';
  orchName: string;
  /** `simultaneous` in a document is normalized to `parallel`; a parallel template with dependsOn is a `dag`. */
  type: TemplateType;
  description: string | null;
  service: string | null;
  /** The run deadline, and what passing it (or a deadline given at execute) does; only when given. */
  deadlineSeconds?: number;
  onDeadline?: 'compensate' | 'pause' | 'alert';
  /** Sorted by seq, then name. */
  steps: NormalizedStep[];
}

export interface WorkerDocument {
  role: 'worker';
  orchName: string;
  service: string | null;
  topic: string | null;
  steps: Array<{ name: string; objectType: string }>;
}

export type RegistrationDocument = InitiatorDocument | WorkerDocument;

/**
 * On failure `orchName` and `role` are given when the document had them as strings (for audit), and
 * `credentials`: the values it holds where credentials are refused, which its audit must not keep.
 */
export type ValidationResult =
  | { ok: true; document: RegistrationDocument }
  | { ok: false; problems: Problem[]; orchName?: string; role?: string; credentials?: string[] };
