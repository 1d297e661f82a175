import type { WorkerRegistration, WorkerService } from '../api/types';

/** One template a service works, with the registrations of its steps, in the API's order. */
export interface WorkedTemplate { orchName: string; steps: WorkerRegistration[] }

/** A service's registrations (the API gives them by template and step) grouped by template, in that order. */
export function templatesOf(registrations: readonly WorkerRegistration[]): WorkedTemplate[] {
  const templates: WorkedTemplate[] = [];
  for (const w of registrations) {
    const last = templates.at(-1);
    if (last?.orchName === w.orchName) last.steps.push(w);
    else templates.push({ orchName: w.orchName, steps: [w] });
  }
  return templates;
}

/**
 * Said under a service whose registrations the API cut short (it gives the first 200 with the
 * service): how many are not shown, and how to see them. Null when every one is shown.
 */
export function moreSteps({ registrationCount, registrations }: Pick<WorkerService, 'registrationCount' | 'registrations'>): string | null {
  const rest = registrationCount - registrations.length;
  if (rest <= 0) return null;
  return `and ${rest} more step registration${rest === 1 ? '' : 's'}: filter by template to see them`;
}
