import type { DocumentIssue } from './document-path';
import { findCycle } from './find-cycle';

export const DEPENDS_ON_NEEDS_DAG = 'dependsOn cannot be mixed with seq stages: a sequential template orders its steps by seq; use type: dag';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeOf = (document: Record<string, unknown>) => (typeof document.type === 'string' ? document.type.trim().toLowerCase() : undefined);

/** `type: dag`, or a parallel template whose steps declare dependsOn (a parallel template has no order of its own to mix with). */
export function isDagDocument(document: Record<string, unknown>): boolean {
  const type = typeOf(document);
  if (type === 'dag') return true;
  const steps = Array.isArray(document.steps) ? document.steps : [];
  return (type === 'parallel' || type === 'simultaneous') && steps.some((s) => isRecord(s) && s.dependsOn !== undefined);
}

/**
 * The rules of dependencies, checked on the raw value next to the schema (values of the wrong
 * type are the schema's to report). In a DAG: every name in dependsOn is a step of the template,
 * no step depends on itself, and there is no cycle (named as `a → b → c → a`: each step depends on
 * the next). A sequential template may not use dependsOn; only a DAG may leave seq out.
 */
export function checkDagRules(document: Record<string, unknown>): DocumentIssue[] {
  const steps = Array.isArray(document.steps) ? document.steps : [];
  const dag = isDagDocument(document);
  const names = new Set(steps.filter(isRecord).map((s) => s.name).filter((n): n is string => typeof n === 'string').map((n) => n.trim()));
  const issues: DocumentIssue[] = [];
  const nodes: Array<{ name: string; dependsOn: string[] }> = [];
  steps.forEach((step: unknown, index) => {
    if (!isRecord(step)) return;
    if (!dag && step.seq === undefined) issues.push({ path: ['steps', index, 'seq'], message: 'is required (unless type: dag)' });
    if (step.dependsOn === undefined || !Array.isArray(step.dependsOn)) return;
    if (typeOf(document) === 'sequential') {
      issues.push({ path: ['steps', index, 'dependsOn'], message: DEPENDS_ON_NEEDS_DAG });
      return;
    }
    const name = typeof step.name === 'string' ? step.name.trim() : undefined;
    const deps = step.dependsOn.filter((d): d is string => typeof d === 'string').map((d) => d.trim());
    deps.forEach((dep, j) => {
      if (dep === name) issues.push({ path: ['steps', index, 'dependsOn', j], message: 'a step cannot depend on itself' });
      else if (!names.has(dep)) issues.push({ path: ['steps', index, 'dependsOn', j], message: `unknown step "${dep}"` });
    });
    if (name) nodes.push({ name, dependsOn: deps });
  });
  const cycle = dag ? findCycle(nodes) : undefined;
  if (cycle) issues.push({ path: ['steps'], message: `dependency cycle: ${cycle.join(' → ')} (each step depends on the next)` });
  return issues;
}
