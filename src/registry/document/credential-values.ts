import { headerProblem } from '../../handlers/http-call/call-rules';
import { namesCredential } from './credential-names';

/**
 * The values a document holds where the validator refuses credentials: a step's or undo's
 * credential-named headers and query parameters, and the headers the call rules refuse
 * (Authorization, Cookie ...). Read whatever the call's type or shape, so a document refused for
 * another reason still has them found. A refused document is audited, and every viewer reads the
 * audit: these are cut from it. Booleans are left: `auth: true` is no secret.
 */
export function credentialValues(document: unknown): string[] {
  const steps = isRecord(document) && Array.isArray(document.steps) ? document.steps : [];
  const values = new Set<string>();
  for (const step of steps) {
    if (!isRecord(step)) continue;
    for (const call of [step.handler, step.undo]) {
      if (!isRecord(call)) continue;
      collect(call.headers, (name) => namesCredential(name) || headerProblem(name) !== undefined, values);
      collect(call.query, namesCredential, values);
    }
  }
  return [...values];
}

function collect(entries: unknown, refused: (name: string) => boolean, into: Set<string>): void {
  if (!isRecord(entries)) return;
  for (const [name, value] of Object.entries(entries)) if (refused(name)) leaves(value, into);
}

/** Every string and number in a value; nesting is bounded by the parsers. */
function leaves(value: unknown, into: Set<string>): void {
  if (typeof value === 'string' || typeof value === 'number') into.add(String(value));
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, into));
  else if (isRecord(value)) Object.values(value).forEach((v) => leaves(v, into));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
