import type { Problem } from '../common/errors/app-error';
import { connectionClosedTo } from '../handlers/connection-services';
import { DEFAULT_CONNECTION, type HandlersConfig } from '../handlers/handlers-config';
import type { TargetKind } from '../handlers/job-kind';
import type { InitiatorDocument } from './document/registration-document';
import { HANDLER_TYPES } from './document/registration-document.schema';

const BUILT_IN: ReadonlySet<string> = new Set(HANDLER_TYPES.filter((type) => type !== 'worker'));

/**
 * A problem for each built-in handler of the template (a step's or its undo's) that names a
 * connection not open to the registering service. Steps are named, not numbered: the document's
 * steps are sorted by now, and an index would point at another step.
 */
export function connectionProblems(doc: InitiatorDocument, service: string, handlers: Pick<HandlersConfig, 'allowsService'>): Problem[] {
  const problems: Problem[] = [];
  for (const step of doc.steps) {
    for (const [which, spec] of [['its handler', step.handler], ['its undo', step.undo]] as const) {
      if (!spec || !BUILT_IN.has(spec.type)) continue;
      const type = spec.type as TargetKind | 'http';
      const named = typeof spec.connection === 'string' ? spec.connection : undefined;
      if (handlers.allowsService(type, named, service)) continue;
      problems.push({ path: 'steps', message: `step ${step.name}: ${which} names ${connectionClosedTo(type, named ?? DEFAULT_CONNECTION, service)}` });
    }
  }
  return problems;
}
