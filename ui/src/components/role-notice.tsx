import type { ComponentChildren } from 'preact';
import { useMe } from '../auth/session';
import { isAdmin, isForbidden, roleNotice } from '../lib/roles';
import { ErrorNotice } from './notice';

/**
 * What a page, or a part of one, says to a role that may not read it: what it needs and who the
 * console is signed in as, plainly, not as an error. `refusal`: Baton's own words, when it refused.
 */
export function RoleNotice({ what, need, refusal }: { what: string; need: string; refusal?: string }) {
  const me = useMe();
  return (
    <div class="warn" role="status" data-testid="role-notice">
      {roleNotice(what, need, me)}
      {refusal && <div class="small">Baton answered: {refusal}</div>}
    </div>
  );
}

/** A polled read's failure: a 403 as the role it needs (RoleNotice), anything else as ErrorNotice says it. */
export function ReadNotice({ read, what, need }: { read: { error?: Error; answeredAt?: number }; what: string; need: string }) {
  if (isForbidden(read.error)) return <RoleNotice what={what} need={need} refusal={read.error.message} />;
  return <ErrorNotice error={read.error} polled={read} />;
}

/** An admin page: its title, then its content for an admin, or for anyone else a notice (and no request made). */
export function AdminPage({ title, what, children }: { title: string; what: string; children: ComponentChildren }) {
  const me = useMe();
  return (
    <>
      <h1>{title}</h1>
      {isAdmin(me) ? children : <RoleNotice what={what} need="for admins only" />}
    </>
  );
}
