/**
 * What a principal may do. Not a ladder: a `service` may execute but reads only its own
 * templates and runs, a `viewer` reads everything but changes nothing; `admin` may do anything.
 */
export const ROLES = ['service', 'operator', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
