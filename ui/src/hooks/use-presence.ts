import { ApiError, request } from '../api/client';
import type { ServicePresence, Worker } from '../api/types';
import { servicesToAsk } from '../lib/live-workers';
import { type Resource, useResource } from './use-resource';

/** Presence changes by the second: read it as often as the run list. */
const PRESENCE_POLL_MS = 5_000;

/**
 * The live instances of every service registered for the template, from the public presence
 * API. A service whose presence cannot be read (an older Baton, a role without access) maps to
 * null, so the page says nothing rather than "no live instance". The read itself, not only its
 * data: read more often than the template, it is the first to find Baton unreachable.
 */
export function usePresence(workers: Worker[]): Resource<ReadonlyMap<string, ServicePresence | null>> {
  const services = servicesToAsk(workers);
  return useResource(async () => new Map(await Promise.all(services.map(async (service) => {
    try {
      return [service, await request<ServicePresence>(`/api/workers/${encodeURIComponent(service)}/instances`)] as const;
    } catch (e) {
      if (e instanceof ApiError && [403, 404].includes(e.status)) return [service, null] as const;
      throw e;
    }
  }))), `presence:${services.join(',')}`, PRESENCE_POLL_MS);
}
