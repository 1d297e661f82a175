/**
 * The most rows or bars a "show all" draws, on the timeline and in the attempts and events
 * tables: a run of 50,000 attempts, drawn whole, hung the tab on every poll. The run's JSON
 * (GET /api/orchestration/runs/{flowId}) has the rest.
 */
export const SHOW_ALL_MAX = 2000;

/**
 * The last `limit` items, and how many earlier ones that leaves out. There is no "all": every
 * caller names its bound, SHOW_ALL_MAX at most.
 */
export function latest<T>(items: readonly T[], limit: number): { shown: readonly T[]; hidden: number } {
  const hidden = Math.max(0, items.length - limit);
  return { shown: hidden ? items.slice(hidden) : items, hidden };
}
