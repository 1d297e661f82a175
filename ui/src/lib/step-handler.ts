import type { TemplateStep } from '../api/types';

/** `worker`, or the built-in handler and its target (AWX job template, OO flow). */
export function handlerOf(step: Pick<TemplateStep, 'handler'>): string {
  const h = step.handler as { type?: string } | string | null | undefined;
  if (!h) return 'worker';
  if (typeof h === 'string') return h;
  return h.type ?? 'worker';
}

export function undoOf(step: Pick<TemplateStep, 'undo'>): string {
  const u = step.undo;
  if (u === false) return 'none';
  if (u === true || u === undefined || u === null) return 'worker';
  return handlerOf({ handler: u });
}
