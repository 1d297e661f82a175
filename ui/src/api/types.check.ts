// Compile-time checks that the console's types (types.ts) read what Baton's OpenAPI document
// says it answers (openapi.d.ts, generated from it and kept current by
// test/e2e/console-api-types.e2e-spec.ts): a field the console reads that the API stopped giving,
// or gives with another type, fails `npm run lint`. Nothing here is bundled.
import type { components } from './openapi';
import type * as Console from './types';

type Schemas = components['schemas'];
/** True when an answer of the API's type `A` can be read as the console's `C`. */
type Reads<A, C> = [A] extends [C] ? true : false;
type Holds<T extends true> = T;

export type AnswersTheConsoleReads = [
  Holds<Reads<Schemas['RunPageDto'], Console.Page<Console.RunSummary>>>,
  Holds<Reads<Schemas['RunDetailDto'], Console.RunDetail>>,
  Holds<Reads<Schemas['RunStatsDto'], Console.RunStats>>,
  Holds<Reads<Schemas['TemplatePageDto'], Console.Page<Console.TemplateSummary>>>,
  Holds<Reads<Schemas['TemplateDetailDto'], Console.TemplateDetail>>,
  Holds<Reads<Schemas['WorkerPageDto'], Console.Page<Console.WorkerRegistration>>>,
  Holds<Reads<Schemas['WorkerServicePageDto'], Console.Page<Console.WorkerService>>>,
  Holds<Reads<Schemas['ServicePresenceDto'], Console.ServicePresence>>,
  Holds<Reads<Schemas['AuditPageDto'], Console.Page<Console.AuditEntry>>>,
  Holds<Reads<Schemas['JobExecutionPageDto'], Console.Page<Console.JobExecution>>>,
  Holds<Reads<Schemas['PrincipalDto'], Console.Me>>,
  Holds<Reads<Schemas['ApiKeyPageDto'], Console.Page<Console.ApiKey>>>,
  Holds<Reads<Schemas['CreatedApiKeyDto'], Console.CreatedApiKey>>,
  Holds<Reads<Schemas['RevokedApiKeyDto'], Console.RevokedApiKey>>,
  Holds<Reads<Schemas['SecurityAuditPageDto'], Console.Page<Console.SecurityAuditEntry>>>,
  Holds<Reads<Schemas['ErrorBodyDto']['problems'], Console.Problem[] | undefined>>,
];

/** And the other way for what the console sends: its body must be one the API takes. */
export type BodiesTheApiTakes = [
  Holds<Reads<Console.NewApiKey, Schemas['CreateApiKeyDto']>>,
];
