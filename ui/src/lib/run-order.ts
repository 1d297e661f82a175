/** The orders Baton lists runs in (`order=` on GET /api/orchestration/runs), by creation time. */
export const RUN_ORDERS = ['newest', 'oldest'] as const;
export type RunOrder = (typeof RUN_ORDERS)[number];

export const ORDER_LABELS: Record<RunOrder, string> = { newest: 'Newest first', oldest: 'Oldest first' };

/**
 * The order the list is in: the one in the URL, else newest first, or for the unfinished runs
 * only the longest waiting first (Baton's own default there, and the overview's). The console
 * always sends it, never relying on Baton's default; an unknown one in a link is ignored, not
 * sent to be refused.
 */
export function runOrder(inUrl: string, unfinishedOnly: boolean): RunOrder {
  if ((RUN_ORDERS as readonly string[]).includes(inUrl)) return inUrl as RunOrder;
  return unfinishedOnly ? 'oldest' : 'newest';
}

/** What the URL says for an order chosen: nothing for the list's default, so the plain list stays `/ui/runs`. */
export const orderParam = (chosen: RunOrder, unfinishedOnly: boolean): string => (chosen === runOrder('', unfinishedOnly) ? '' : chosen);

/** The Created column's `aria-sort`. */
export const ariaSort = (order: RunOrder): 'ascending' | 'descending' => (order === 'oldest' ? 'ascending' : 'descending');
