// Fixtures shared by the validate-registration.*.spec.ts files (one file per concern).
import type { InitiatorDocument, ValidationResult, WorkerDocument } from './registration-document';
import { validateRegistration } from './validate-registration';

export const LIMIT = { maxBytes: 256 * 1024 };
export const yaml = (text: string) => validateRegistration(text, 'application/yaml', LIMIT);
export const json = (text: string) => validateRegistration(text, 'application/json', LIMIT);

export function problems(result: ValidationResult) {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.document)}`);
  return result.problems;
}
export function initiator(result: ValidationResult): InitiatorDocument {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  if (result.document.role !== 'initiator') throw new Error('expected an initiator');
  return result.document;
}
export function worker(result: ValidationResult): WorkerDocument {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  if (result.document.role !== 'worker') throw new Error('expected a worker');
  return result.document;
}

export const ORIGINAL_INITIATOR = `orchName: tenantCreation
as: initiator
type: sequential
steps:
  - {seq: 1, name: createRealm, objectType: String}
  - {seq: 2, name: createClient, objectType: String}
`;
export const ORIGINAL_WORKER = `orchName: tenantCreation
as: worker
steps:
  - {name: createRealm, objectType: String}
`;
