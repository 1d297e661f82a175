// The shapes of Baton's public HTTP API that the console reads (see /v3/api-docs), checked against
// the API's own at compile time (types.check.ts).

export interface Page<T> { items: T[]; page: number; pageSize: number; total: number }

export interface RunSummary {
  flowId: string;
  orchName: string;
  templateVersion: number;
  status: string;
  failedStep: string | null;
  error: string | null;
  correlationId: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** What an unfinished run waits for, as one line with times in ISO UTC. */
  waitingFor?: string;
  /** The same, with each time as a field; older engines send only `waitingFor`. */
  waits?: RunWait[];
}

export interface RunWait { what: string; deadlineAt: string | null; retryAt: string | null }

export interface StepAttempt {
  stepName: string;
  seq: number;
  action: 'DO' | 'UNDO';
  attempt: number;
  commandId: string;
  status: 'DISPATCHED' | 'SUCCEEDED' | 'FAILED' | 'FAILED_FINAL' | 'TIMED_OUT' | 'SKIPPED' | 'VOIDED' | 'ABANDONED' | string;
  handlerType: string;
  target: string | null;
  output: unknown;
  error: string | null;
  dispatchedAt: string;
  deadlineAt: string;
  completedAt: string | null;
  /** When the worker last said it is still working on this attempt; absent from engines without heartbeats. */
  lastHeartbeatAt?: string | null;
}

export interface RunEvent { at: string; kind: string; stepName: string | null; reason: string; actor?: string | null }

/** How terminate with one `compensate` value would be answered now. */
export interface TerminateVariant {
  compensate: boolean;
  allowed: boolean;
  code?: string;
  reason?: string | null;
}

/** One action (an operator action, or undo) as the engine judges it now; retry and skip, when allowed, with the steps they may name. */
export interface ActionAvailability {
  action: string;
  allowed: boolean;
  /** Why it is not allowed now, in words. */
  reason?: string | null;
  /** The 409 code the action would get now. */
  code?: string;
  /** Terminate allowed only with this compensate value. */
  compensate?: boolean;
  steps?: string[];
  /** Terminate: each `compensate` value's own answer. */
  variants?: TerminateVariant[];
}

export interface RunDetail extends RunSummary {
  contentType: string;
  /** When the run must have finished, what passing it does, and the seconds left when the API answered (negative once passed; null once the run finished). */
  deadlineAt?: string | null;
  onDeadline?: 'compensate' | 'pause' | 'alert' | string | null;
  deadlineRemainingSeconds?: number | null;
  payload: unknown;
  payloadEncoding: 'json' | 'text' | 'base64';
  steps: StepAttempt[];
  events: RunEvent[];
  /** The operator actions allowed now, by name (undo is not among them): the console reads `actions`. */
  allowedActions?: string[];
  /**
   * Every action, undo included, and why it is not allowed; retry and skip, when allowed, with the steps they may name. The
   * engine that serves the console always sends it; optional only so that a test's run may leave it out (then nothing is allowed).
   */
  actions?: ActionAvailability[];
}

export type TemplateType = 'sequential' | 'parallel' | 'dag';

export interface TemplateSummary {
  orchName: string;
  type: TemplateType;
  status: 'READY' | 'PENDING';
  version: number;
  missingSteps: string[];
  ownerService: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A step as the API gives it (StepDto); older engines leave the later fields out. */
export interface TemplateStep {
  seq: number;
  name: string;
  objectType: string;
  timeoutSeconds: number | null;
  /** Worker steps: an attempt without a heartbeat for this long times out. */
  heartbeatSeconds?: number | null;
  retry: unknown;
  handler: unknown;
  undo: unknown;
  /** What the step failing (after its retries) does to the run: compensate (the default) or pause. */
  onFailure?: string;
  /** The services the template names to work the step; null: none named. */
  workers?: string[] | null;
  /** The services that may register for the step now: those named, else (WORKER_ACCESS=pinned) the owner alone; null: any. */
  mayWork: string[] | null;
  /** dag templates: the steps this one waits for. */
  dependsOn?: string[] | null;
}

export interface TemplateVersion {
  version: number;
  type: TemplateType;
  registeredBy: string;
  contentHash: string;
  createdAt: string;
  steps: TemplateStep[];
  /** The steps as a graph, for drawing; older engines leave it out. */
  graph?: TemplateGraph;
}

/** A template's registered worker for one step: a registration as GET /api/orchestration/workers lists it, without its id. */
export interface Worker extends Omit<WorkerRegistration, 'id'> {
  /** Presence in the template API itself, where the engine reports it; otherwise read per service. */
  liveInstances?: number;
  lastSeenAt?: string | null;
}

/** GET /api/workers/{service}/instances: the instances seen within the presence TTL. */
export interface ServicePresence {
  service: string;
  instances: { instanceId: string; host: string; sdkVersion: string; lastSeenAt: string }[];
  steps: { orchName: string; stepName: string; liveInstances: number; lastSeenAt: string }[];
}

export interface TemplateGraph { nodes: { name: string; seq?: number; handler?: string }[] | string[]; edges: { from: string; to: string }[] }

export interface TemplateDetail extends TemplateSummary {
  /** The newest ten, and the one `?version=` asked for. */
  versions: TemplateVersion[];
  versionCount: number;
  workers: Worker[];
}

export interface Problem { path?: string; message: string; line?: number; column?: number }

export interface AuditEntry {
  id: string;
  serviceName: string | null;
  orchName: string | null;
  role: string | null;
  source: string;
  outcome: 'ACCEPTED' | 'UNCHANGED' | 'REJECTED';
  reason: string | null;
  problems: Problem[] | null;
  templateVersion: number | null;
  document: string | null;
  documentTruncated: boolean;
  createdAt: string;
}

export interface JobExecution {
  id: string;
  flowId: string;
  stepName: string;
  action: string;
  attempt: number;
  targetType: 'AWX' | 'OO' | string;
  resourceType: string | null;
  resourceId: string | null;
  connection: string;
  externalJobId: string | null;
  externalJobType: string | null;
  externalStatus: string | null;
  externalResult: string | null;
  status: string;
  launchAttempts: number;
  pollingAttempts: number;
  completedAt: string | null;
  error: string | null;
}

export interface Me { id: string; kind: string; roles: string[]; service: string | null }

export interface RunStats {
  from: string;
  to: string;
  bucketSeconds: number;
  buckets: { start: string; created: Record<string, number>; finished: number }[];
  totals: Record<string, number>;
}

/** GET /api/orchestration/workers: one service's registration for one step of a template (WorkerDto). */
export interface WorkerRegistration {
  /** For DELETE /api/orchestration/workers/{id}. */
  id: string;
  orchName: string;
  stepName: string;
  serviceName: string;
  objectType: string;
  topic: string;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/orchestration/worker-services: a service registered as a worker (WorkerServiceDto). */
export interface WorkerService {
  serviceName: string;
  topics: string[];
  /** When one of its registrations last changed (registering the same steps again changes nothing). */
  lastChangedAt: string;
  /** All its step registrations (within the filters), of which `registrations` holds the first 200 (a template's most). */
  registrationCount: number;
  /** By template and step. */
  registrations: WorkerRegistration[];
}

/** What a principal may do (src/auth/role.ts): `admin` may do anything. */
export type Role = 'service' | 'operator' | 'viewer' | 'admin';

/** DELETE /api/admin/api-keys/{id}: the key, and whether this request revoked it (false: it was revoked already). */
export interface RevokedApiKey extends ApiKey {
  changed: boolean;
}

/** GET /api/admin/api-keys: a key as Baton lists it, never its secret (ApiKeyDto). */
export interface ApiKey {
  id: string;
  /** The public part of the key, `bk_<prefix>_…`: what the security audit and refusals name. */
  prefix: string;
  name: string;
  role: Role | string;
  service: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

/** POST /api/admin/api-keys: the new key with its whole secret, in this answer only (CreatedApiKeyDto). */
export interface CreatedApiKey extends ApiKey { key: string }

/** POST /api/admin/api-keys's body (CreateApiKeyDto): `service` for a service key only, `expiresAt` ISO and in the future. */
export interface NewApiKey { name: string; role: Role; service?: string; expiresAt?: string }

/** GET /api/admin/security-audit: a denied request, a rejected message or a key change (SecurityAuditDto). */
export interface SecurityAuditEntry {
  id: string;
  event: 'DENIED' | 'KEY_CREATED' | 'KEY_REVOKED' | 'MESSAGE_REJECTED' | string;
  /** The key prefix or token subject, proven or claimed; null when none was sent. */
  principalId: string | null;
  principalKind: string | null;
  service: string | null;
  ip: string | null;
  /** Method and path, or the topic of a message. */
  target: string;
  code: string;
  reason: string;
  createdAt: string;
}
