import { interpolateString, InterpolationError, type InterpolationContext } from '../../handlers/interpolate';
import type { DocumentIssue, PathSegment } from './document-path';

/** The fields of a built-in handler whose strings are filled in when the step runs (handlers/interpolate.ts). */
const TEMPLATED: Record<string, readonly string[]> = { awx: ['extraVars'], oo: ['inputs', 'runName'], http: ['path', 'query', 'headers', 'body'] };

/**
 * A value standing for whatever a run's payload or an output holds: every field exists, so only
 * what a placeholder names outside them can fail (an unknown name, a step the template lacks).
 */
function anything(): unknown {
  const proxy: object = new Proxy({}, {
    get: (_target, key) => (key === 'toJSON' ? undefined : proxy),
    getOwnPropertyDescriptor: () => ({ value: proxy, configurable: true, enumerable: true, writable: true }),
  });
  return proxy;
}

/**
 * Placeholders that could never be filled in (`${typo}`, `${payload`, `${steps.nosuch.output}`),
 * found when the template is registered rather than by failing the step of every run: each string
 * a handler fills in is interpolated by the engine's own code against a run that has every
 * payload field and an output of every step of the template.
 */
export function placeholderIssues(steps: unknown[]): DocumentIssue[] {
  const names = steps.flatMap((s) => (isRecord(s) && typeof s.name === 'string' ? [s.name.trim()] : []));
  const output = anything();
  const ctx: InterpolationContext = {
    payload: anything(), payloadEncoding: 'json', flowId: 'flow', correlationId: 'correlation',
    outputs: Object.fromEntries(names.map((name) => [name, output])),
  };
  const issues: DocumentIssue[] = [];
  const visit = (value: unknown, path: PathSegment[]): void => {
    if (typeof value === 'string') {
      try {
        interpolateString(value, ctx);
      } catch (e) {
        if (!(e instanceof InterpolationError)) throw e;
        issues.push({ path, message: `placeholder ${e.message}` });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, i]));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  steps.forEach((step, index) => {
    if (!isRecord(step)) return;
    for (const field of ['handler', 'undo'] as const) {
      const handler = step[field];
      if (!isRecord(handler) || typeof handler.type !== 'string' || !Object.hasOwn(TEMPLATED, handler.type)) continue;
      for (const templated of TEMPLATED[handler.type]) visit(handler[templated], ['steps', index, field, templated]);
    }
  });
  return issues;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
