/**
 * Baton's rule for the names of services, templates and steps (NAME_PATTERN and MAX_NAME_LENGTH in
 * its registry): it refuses a name that breaks it, and trims spaces around one, so that a step
 * declared as `'createRealm '` would be registered as `createRealm` and get no command it can run.
 */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
export const NAME_RULE = 'start with a letter or digit, use only letters, digits, ".", "_" and "-", at most 200 characters';

/** Why `worker.step()` cannot take this template or step name, if it cannot; quoted as JSON, so that a space Baton would trim shows. */
export function nameProblem(what: 'template' | 'step', name: unknown): string | undefined {
  if (typeof name === 'string' && NAME.test(name)) return undefined;
  return `has a ${what} name Baton does not take, ${JSON.stringify(name)}: ${NAME_RULE}`;
}
