// Compile-time checks that what the console writes by hand in types.ts (the rest is taken from
// openapi.d.ts, generated from Baton's OpenAPI document and kept current by
// test/e2e/console-api-types.e2e-spec.ts) reads what the API answers: a page or a registration
// the API stopped giving in that shape fails `npm run lint`. Nothing here is bundled.
import type { components } from './openapi';
import type * as Console from './types';

type Schemas = components['schemas'];
/** True when an answer of the API's type `A` can be read as the console's `C`. */
type Reads<A, C> = [A] extends [C] ? true : false;
type Holds<T extends true> = T;

export type AnswersTheConsoleReads = [
  Holds<Reads<Schemas['RunPageDto'], Console.Page<Console.RunSummary>>>,
  Holds<Reads<Schemas['TemplatePageDto'], Console.Page<Console.TemplateSummary>>>,
  Holds<Reads<Schemas['WorkerPageDto'], Console.Page<Console.WorkerRegistration>>>,
  Holds<Reads<Schemas['WorkerServicePageDto'], Console.Page<Console.WorkerService>>>,
  Holds<Reads<Schemas['AuditPageDto'], Console.Page<Console.AuditEntry>>>,
  Holds<Reads<Schemas['ApiKeyPageDto'], Console.Page<Console.ApiKey>>>,
  Holds<Reads<Schemas['SecurityAuditPageDto'], Console.Page<Console.SecurityAuditEntry>>>,
  // A template's worker is a registration (WorkerDto) and more.
  Holds<Reads<Schemas['TemplateWorkerDto'], Console.Worker>>,
];
