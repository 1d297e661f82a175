import { credentialIssues } from './credential-names';
import { formatPath, type DocumentIssue } from './document-path';
import { placeholderIssues } from './placeholder-rules';

export const UNDO_TRUE_NEEDS_WORKER = 'undo: true needs a worker step; give an awx/oo/http undo handler';
export const HTTP_UNDO_MATCHES_HTTP_STEP = 'an http step is undone by an http call, and an http undo needs an http step';
export const WORKER_UNDO_NEEDS_WORKER = 'a worker undo needs a worker step; give an awx/oo/http undo handler';
export const HEARTBEAT_NEEDS_WORKER = 'heartbeats come from workers: heartbeatSeconds needs a worker step';
export const HEARTBEAT_WITHIN_TIMEOUT = 'must be at most the step\'s timeoutSeconds (the longest gap between heartbeats, within the attempt\'s whole timeoutSeconds)';

/**
 * Rules across fields and steps, checked on the raw value so they are reported alongside any shape
 * problems (zod skips refinements on objects that already failed). Values of the wrong type are
 * skipped here: the schema reports those.
 */
export function checkStepRules(document: Record<string, unknown>, role: 'initiator' | 'worker'): DocumentIssue[] {
  const steps = document.steps;
  if (!Array.isArray(steps)) return [];
  const issues: DocumentIssue[] = [];
  const firstIndexByName = new Map<string, number>();
  steps.forEach((step: unknown, index) => {
    if (!isRecord(step)) return;
    if (typeof step.name === 'string') {
      const name = step.name.trim();
      const first = firstIndexByName.get(name);
      if (first === undefined) firstIndexByName.set(name, index);
      else issues.push({ path: ['steps', index, 'name'], message: `duplicate step name "${name}" (also ${formatPath(['steps', first])})` });
    }
    if (role === 'initiator' && isRecord(step.undo) && isRecord(step.handler)
      && (step.undo.type === 'http') !== (step.handler.type === 'http') && handlerKind(step.undo) === 'builtin' && handlerKind(step.handler) === 'builtin') {
      issues.push({ path: ['steps', index, 'undo'], message: HTTP_UNDO_MATCHES_HTTP_STEP });
    }
    if (role === 'initiator' && typeof step.heartbeatSeconds === 'number') {
      if (handlerKind(step.handler) === 'builtin') issues.push({ path: ['steps', index, 'heartbeatSeconds'], message: HEARTBEAT_NEEDS_WORKER });
      else if (typeof step.timeoutSeconds === 'number' && step.heartbeatSeconds > step.timeoutSeconds) {
        issues.push({ path: ['steps', index, 'heartbeatSeconds'], message: HEARTBEAT_WITHIN_TIMEOUT });
      }
    }
    if (role === 'initiator') {
      issues.push(...credentialIssues(step.handler, ['steps', index, 'handler']), ...credentialIssues(step.undo, ['steps', index, 'undo']));
    }
    if (role === 'initiator' && handlerKind(step.handler) === 'builtin') {
      if (step.undo === true) issues.push({ path: ['steps', index, 'undo'], message: UNDO_TRUE_NEEDS_WORKER });
      else if (handlerKind(step.undo) === 'worker' && step.undo !== undefined) {
        issues.push({ path: ['steps', index, 'undo'], message: WORKER_UNDO_NEEDS_WORKER });
      }
    }
  });
  if (role === 'initiator') issues.push(...placeholderIssues(steps));
  return issues;
}

/** How a raw handler value will run: omitted means a worker; unknown shapes are the schema's business. */
function handlerKind(handler: unknown): 'worker' | 'builtin' | 'unknown' {
  if (handler === undefined || handler === 'worker') return 'worker';
  if (!isRecord(handler)) return 'unknown';
  if (handler.type === 'worker') return 'worker';
  return handler.type === 'awx' || handler.type === 'oo' || handler.type === 'http' ? 'builtin' : 'unknown';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
