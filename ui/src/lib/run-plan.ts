import type { RunDetail, TemplateDetail } from '../api/types';
import type { NoUndo } from './run-actions';

/**
 * Where the run's own template version is read: without `?version=` the API details only the
 * newest versions, and a run on an older one found no plan.
 */
export const planUrl = (run: Pick<RunDetail, 'orchName' | 'templateVersion'>) =>
  `/api/orchestration/templates/${encodeURIComponent(run.orchName)}?version=${run.templateVersion}`;

/** The steps the run's version declares `undo: false`; null while that version is not read (NoUndo). */
export function noUndoOf(template: TemplateDetail | undefined, version: number): NoUndo {
  const plan = template?.versions.find((v) => v.version === version)?.steps;
  return plan ? new Set(plan.filter((s) => s.undo === false).map((s) => s.name)) : null;
}
