import { ApiError, request } from '../api/client';
import type { ServicePresence, Worker } from '../api/types';
import { servicesToAsk } from '../lib/live-workers';
import { useResource } from './use-resource';

/** Presence changes by the second: read it as often as the run list. */
const PRESENCE_POLL_MS = 5_000;

/**
 * The live instances of every service registered for the template, from the public presence
 * API. A service whose presence cannot be read (an older Baton, a role without access) maps to
 * null, so the page says nothing rather than "no live instance".
 */
export function usePresence(workers: Worker[]): ReadonlyMap<string, ServicePresence | null> | undefined {
  const services = servicesToAsk(workers);
  const res = useResource(async () => new Map(await Promise.all(services.map(async (service) => {
    try {
      return [service, await request<ServicePresence>(`/api/workers/${encodeURIComponent(service)}/instances`)] as const;
    } catch (e) {
      if (e instanceof ApiError && [403, 404].includes(e.status)) return [service, null] as const;
      throw e;
    }
  }))), `presence:${services.join(',')}`, PRESENCE_POLL_MS);
  return res.data;
}
