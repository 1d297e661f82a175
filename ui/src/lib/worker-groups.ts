import type { WorkerRegistration } from '../api/types';

/** One template a service works, with the registrations of its steps, in the API's order. */
export interface WorkedTemplate { orchName: string; steps: WorkerRegistration[] }

/** A service registered as a worker: the templates and steps it handles (on the page shown), and where its commands go. */
export interface ServiceWorkers {
  service: string;
  templates: WorkedTemplate[];
  /** Its command topics (one, unless COMMAND_TOPIC_PREFIX changed between registrations). */
  topics: string[];
  /** Its latest registration. */
  lastRegisteredAt: string;
}

/**
 * The registrations of one page (the API lists them by template and step) grouped by service,
 * services in name order and each one's templates and steps in the API's order.
 */
export function groupByService(items: readonly WorkerRegistration[]): ServiceWorkers[] {
  const byService = new Map<string, ServiceWorkers>();
  for (const w of items) {
    let group = byService.get(w.serviceName);
    if (!group) byService.set(w.serviceName, (group = { service: w.serviceName, templates: [], topics: [], lastRegisteredAt: w.updatedAt }));
    let template = group.templates.find((t) => t.orchName === w.orchName);
    if (!template) group.templates.push((template = { orchName: w.orchName, steps: [] }));
    template.steps.push(w);
    if (!group.topics.includes(w.topic)) group.topics.push(w.topic);
    if (Date.parse(w.updatedAt) > Date.parse(group.lastRegisteredAt)) group.lastRegisteredAt = w.updatedAt;
  }
  return [...byService.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * What a page of grouped registrations covers: the API pages registrations (one per service and
 * step), not services, so the pager's count is of registrations, and with more than one page a
 * service may have steps on other pages too. Null for an empty page.
 */
export function pageCoverage(page: number, pageSize: number, total: number, services: number, filteredByService: boolean): string | null {
  const first = (page - 1) * pageSize + 1;
  if (total === 0 || first > total) return null;
  if (total <= pageSize) return `${plural(total, 'step registration')} by ${plural(services, 'service')}.`;
  const last = Math.min(total, page * pageSize);
  const rest = filteredByService ? '' : ' A service may have more steps on other pages: filter by its name to see them all.';
  return `Step registrations ${first}–${last} of ${total}, by ${plural(services, 'service')}.${rest}`;
}
