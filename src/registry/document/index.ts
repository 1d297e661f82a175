export { isYamlContentType } from './content-type';
export { contentHash } from './content-hash';
export type {
  InitiatorDocument,
  NormalizedStep,
  RegistrationDocument,
  Role,
  ValidationResult,
  WorkerDocument,
} from './registration-document';
export { validateRegistration } from './validate-registration';
