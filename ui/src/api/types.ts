// The shapes of Baton's public HTTP API that the console reads and sends, taken from the API's own
// OpenAPI document (openapi.d.ts, generated from /v3/api-docs) so that they are written once: a
// change to the API shows up here as a type error, not as a page that reads a field no longer sent.
// After changing the API: `UPDATE_API_TYPES=1 npm test -- console-api-types` (from the repository
// root) regenerates openapi.d.ts, then `npm run lint` says what in the console no longer fits.
// Only what the document has no schema for is written by hand, and checked in types.check.ts.
import type { components } from './openapi';

type Schemas = components['schemas'];

/** A page of any list: the document has one schema per list (RunPageDto, …), not a generic one. */
export interface Page<T> { items: T[]; page: number; pageSize: number; total: number }

export type RunSummary = Schemas['RunSummaryDto'];
export type RunWait = Schemas['RunWaitDto'];
export type RunDetail = Schemas['RunDetailDto'];
export type StepAttempt = Schemas['StepAttemptDto'];
export type RunEvent = Schemas['RunEventDto'];
/** One action (an operator action, or undo) as the engine judges it now. */
export type ActionAvailability = Schemas['ActionAvailabilityDto'];
/** How terminate with one `compensate` value would be answered now. */
export type TerminateVariant = Schemas['TerminateVariantDto'];
export type RunStats = Schemas['RunStatsDto'];
export type JobExecution = Schemas['JobExecutionDto'];

export type TemplateSummary = Schemas['TemplateSummaryDto'];
export type TemplateDetail = Schemas['TemplateDetailDto'];
export type TemplateVersion = Schemas['TemplateVersionDto'];
export type TemplateType = TemplateVersion['type'];
export type TemplateStep = Schemas['StepDto'];
export type TemplateGraph = Schemas['TemplateGraphDto'];
export type AuditEntry = Schemas['AuditEntryDto'];
export type Problem = Schemas['ProblemDto'];

/** GET /api/orchestration/workers, and a worker service's `registrations`. */
export type WorkerRegistration = Schemas['WorkerDto'];
export type WorkerService = Schemas['WorkerServiceDto'];
/** GET /api/workers/{service}/instances: the instances seen within the presence TTL. */
export type ServicePresence = Schemas['ServicePresenceDto'];
/**
 * A registration, with its liveness where the API gives it: a template's `workers` have it; the
 * worker services' `registrations` do not, and the console reads their service's presence instead.
 */
export type Worker = WorkerRegistration & Partial<Pick<Schemas['TemplateWorkerDto'], 'liveInstances' | 'lastSeenAt'>>;

/** GET /api/auth/me: who the console is signed in as. */
export type Me = Schemas['PrincipalDto'];
/** What a principal may do: `admin` may do anything. */
export type Role = Schemas['CreateApiKeyDto']['role'];
/** A key as Baton lists it, never its secret. */
export type ApiKey = Schemas['ApiKeyDto'];
/** POST /api/admin/api-keys's answer: the new key with its whole secret, in this answer only. */
export type CreatedApiKey = Schemas['CreatedApiKeyDto'];
/** POST /api/admin/api-keys's body. */
export type NewApiKey = Schemas['CreateApiKeyDto'];
/** DELETE /api/admin/api-keys/{id}: the key, and whether this request revoked it (false: it was revoked already). */
export type RevokedApiKey = Schemas['RevokedApiKeyDto'];
/** GET /api/admin/security-audit: a denied request, a rejected message or a key change. */
export type SecurityAuditEntry = Schemas['SecurityAuditDto'];
