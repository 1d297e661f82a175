import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError, request } from '../api/client';
import type { Me } from '../api/types';

/** null: no identity endpoint or auth off, so everything is allowed (the API still decides). */
export const MeContext = createContext<Me | null>(null);
export const useMe = () => useContext(MeContext);

/** Who the console acts as; a Baton without GET /api/auth/me (404) gives full access. */
export async function loadMe(): Promise<Me | null> {
  try {
    return await request<Me>('/api/auth/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}
