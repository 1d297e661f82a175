import { useState } from 'preact/hooks';
import { beyondNote, type Noun, pagesOf, pageSummary, pageTarget } from '../lib/paging';

/**
 * A page number typed, opened on Enter or "Go": one past the end opens the last page (pageTarget),
 * one that is no number says so beside the field. Keyed by the page, so it empties after a move.
 */
function PageJump({ page, last, onPage }: { page: number; last: number; onPage: (p: number) => void }) {
  const [typed, setTyped] = useState('');
  const [wrong, setWrong] = useState(false);
  const go = (e: Event) => {
    e.preventDefault();
    const to = pageTarget(typed, last);
    setWrong(to === null);
    if (to !== null && to !== page) onPage(to);
  };
  return (
    <form class="page-jump" onSubmit={go}>
      <label>Go to page
        <input type="text" inputMode="numeric" size={Math.max(3, String(last).length + 1)} value={typed} placeholder={`1–${last}`}
          aria-invalid={wrong || undefined} aria-describedby={wrong ? 'page-jump-problem' : undefined}
          onInput={(e) => { setTyped(e.currentTarget.value); setWrong(false); }} />
      </label>
      <button type="submit">Go</button>
      {wrong && <span id="page-jump-problem" class="warn-text small" role="status">A page number from 1 to {last.toLocaleString()}, please.</span>}
    </form>
  );
}

/**
 * Where a list of pages from the server is, and the way to its first, previous, next and last
 * pages or to any page by its number, within what Baton serves (MAX_PAGE: the note says what lies
 * beyond, and `reach` how to get at it). `noun` names what the list counts (`['run', 'runs']`).
 */
export function Pager({ page, pageSize, total, onPage, noun, reach }: {
  page: number; pageSize: number; total: number; onPage: (p: number) => void; noun: Noun; reach?: string;
}) {
  const p = pagesOf(page, pageSize, total);
  const note = beyondNote(p, noun, reach);
  const to = (target: number | null, label: string) => (
    <button type="button" disabled={target === null} onClick={() => target !== null && onPage(target)}>{label}</button>
  );
  return (
    <nav class="pager" aria-label="Pages">
      <span data-testid="page-summary">{pageSummary(p, total, noun)}</span>
      <span class="pager-moves">{to(p.first, '« First')}{to(p.previous, '‹ Previous')}{to(p.next, 'Next ›')}{to(p.toLast, 'Last »')}</span>
      {p.last > 1 && <PageJump key={page} page={page} last={p.last} onPage={onPage} />}
      {note && <p class="pager-note small" data-testid="pages-beyond">{note}</p>}
    </nav>
  );
}
