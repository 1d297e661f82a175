/** The last `limit` items (all of them when `all`), and how many earlier ones that leaves out. */
export function latest<T>(items: readonly T[], limit: number, all: boolean): { shown: readonly T[]; hidden: number } {
  const hidden = all ? 0 : Math.max(0, items.length - limit);
  return { shown: hidden ? items.slice(hidden) : items, hidden };
}
