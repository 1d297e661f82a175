import { type DocumentIssue, limitProblems, type Locate, sortProblems, toProblem } from './document-path';
import { expandedSizeProblem } from './expanded-size';
import { normalizeInitiator, normalizeWorker } from './normalize';
import { parseDocument } from './parse-document';
import {
  anyRoleDocumentSchema,
  initiatorDocumentSchema,
  MAX_STEPS,
  roleSchema,
  TOO_MANY_STEPS,
  workerDocumentSchema,
} from './registration-document.schema';
import type { RegistrationDocument, Role, ValidationResult } from './registration-document';
import { checkDagRules } from './dag-rules';
import { checkStepRules } from './step-rules';
import { credentialValues } from './credential-values';
import { documentErrorMap, toDocumentIssues } from './zod-problems';

/**
 * A registration document (text or bytes in JSON or YAML, or a body already parsed as JSON) → the
 * normalized document, or every problem found, each with its path and, for YAML, line and column.
 * Pure: no I/O, no framework.
 */
export function validateRegistration(
  raw: string | Buffer | object,
  contentType: string | undefined,
  opts: { maxBytes: number },
): ValidationResult {
  const parsed = parseDocument(raw, contentType, opts.maxBytes);
  if (!parsed.ok) return { ok: false, problems: limitProblems(parsed.problems) };
  const value = parsed.value as Record<string, unknown>;
  const { locate } = parsed;
  // Each of thousands of steps would be checked (schema, rules) only for the document to be refused
  // for their number: 60,000 took a JSON document 150-400 ms. Their number alone is reported.
  if (Array.isArray(value.steps) && value.steps.length > MAX_STEPS) {
    return { ok: false, problems: located([{ path: ['steps'], message: TOO_MANY_STEPS }], locate), ...identity(value) };
  }

  const checked = checkDocument(value);
  if (checked.ok) {
    const tooLarge = expandedSizeProblem(checked.document, opts.maxBytes);
    return tooLarge ? { ok: false, problems: [tooLarge], ...identity(value) } : { ok: true, document: checked.document };
  }
  return { ok: false, problems: located(checked.issues, locate), ...identity(value) };
}

type Checked = { ok: true; document: RegistrationDocument } | { ok: false; issues: DocumentIssue[] };

function checkDocument(value: Record<string, unknown>): Checked {
  const role = roleSchema.safeParse(value.as, { error: documentErrorMap });
  if (!role.success) {
    // Without a role the shape is unknown; still report what every document needs.
    const rest = anyRoleDocumentSchema.safeParse(value, { error: documentErrorMap });
    const issues = [
      ...toDocumentIssues(role.error.issues, ['as']),
      ...(rest.success ? [] : toDocumentIssues(rest.error.issues)),
    ];
    return { ok: false, issues };
  }
  return role.data === 'initiator' ? checkAs('initiator', value) : checkAs('worker', value);
}

function checkAs(role: Role, value: Record<string, unknown>): Checked {
  const rules = role === 'initiator' ? [...checkStepRules(value, role), ...checkDagRules(value)] : checkStepRules(value, role);
  if (role === 'initiator') {
    const result = initiatorDocumentSchema.safeParse(value, { error: documentErrorMap });
    if (result.success && rules.length === 0) return { ok: true, document: normalizeInitiator(result.data) };
    return { ok: false, issues: [...(result.success ? [] : toDocumentIssues(result.error.issues)), ...rules] };
  }
  const result = workerDocumentSchema.safeParse(value, { error: documentErrorMap });
  if (result.success && rules.length === 0) return { ok: true, document: normalizeWorker(result.data) };
  return { ok: false, issues: [...(result.success ? [] : toDocumentIssues(result.error.issues)), ...rules] };
}

function located(issues: DocumentIssue[], locate: Locate | undefined) {
  return limitProblems(sortProblems(issues.map((issue) => toProblem(issue, locate))));
}

/** What the audit of a refused document needs from it: its names, and the credentials it must not keep. */
function identity(value: Record<string, unknown>): { orchName?: string; role?: string; credentials?: string[] } {
  const out: { orchName?: string; role?: string; credentials?: string[] } = {};
  if (typeof value.orchName === 'string' && value.orchName.trim() !== '') out.orchName = value.orchName.trim();
  if (typeof value.as === 'string' && value.as.trim() !== '') out.role = value.as.trim().toLowerCase();
  const credentials = credentialValues(value);
  if (credentials.length > 0) out.credentials = credentials;
  return out;
}
