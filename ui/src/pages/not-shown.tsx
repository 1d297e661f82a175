import { latest, SHOW_ALL_MAX } from '../lib/latest';

/** Rows a run's attempts or events table shows before "show all": a run with thousands of them would render them on every poll. */
export const TABLE_LATEST = 100;

/** What a table shows of a run's attempts or events: the latest TABLE_LATEST, or with `all` the latest SHOW_ALL_MAX, never every one. */
export function tableRows<T>(items: readonly T[], all: boolean): { shown: readonly T[]; hidden: number; all: boolean } {
  return { ...latest(items, all ? SHOW_ALL_MAX : TABLE_LATEST), all };
}

/** Where every attempt and event of a run is once the page draws no more: the run as Baton answers it. */
export function WholeRun({ flowId }: { flowId: string }) {
  return <>the run's JSON has every one: <span class="mono">GET /api/orchestration/runs/{flowId}</span>, or copy "Run as JSON" below.</>;
}

/**
 * Says how many earlier rows a table leaves out, with the way to show them; "show all" offers at
 * most SHOW_ALL_MAX, and past that says where the rest are rather than promise every one.
 */
export function Earlier({ rows, what, flowId, onShow }: {
  rows: { shown: readonly unknown[]; hidden: number; all: boolean }; what: string; flowId: string; onShow: () => void;
}) {
  const { shown, hidden, all } = rows;
  if (hidden === 0) return null;
  if (all) return <p class="muted">The latest {shown.length} are shown, the most this page lists; {hidden} earlier {what} are not: <WholeRun flowId={flowId} /></p>;
  return (
    <p class="muted">The latest {shown.length} are shown; {hidden} earlier {what} are not. <button type="button" class="link" onClick={onShow}>
      {shown.length + hidden > SHOW_ALL_MAX ? `Show the latest ${SHOW_ALL_MAX}` : 'Show all'}</button></p>
  );
}
