import type { ComponentChildren } from 'preact';

/** One column: its header, which also labels its cells on a phone, and what a row shows in it. */
export interface Column<T> {
  head: string;
  /** `mono` or `text` (styles.css), for a cell of machine text that may break anywhere. */
  class?: string;
  cell: (item: T, index: number) => ComponentChildren;
  /** The header's tooltip (a column of times names their zone). */
  title?: string;
  /** How the rows are sorted by this column, for a screen reader (`aria-sort`). */
  sort?: 'ascending' | 'descending';
}

/**
 * A table of many columns that shows each row as labelled lines on a phone (.grid.stack,
 * styles.css), rather than hiding its cells behind a sideways scroll or squeezing them into
 * slivers. Each cell is labelled with its column's header, and holds its parts (a duration and its
 * last heartbeat, an error and an output) in one block, so that a stacked line, which sets its
 * label beside its value, does not set them side by side too.
 */
export function StackedTable<T>({ columns, rows, rowKey, rowAttrs, testId, cards }: {
  columns: readonly Column<T>[]; rows: readonly T[]; rowKey: (item: T, index: number) => string;
  /** data-* attributes for each row, which tests find rows by. */
  rowAttrs?: (item: T) => Record<`data-${string}`, string>; testId?: string;
  /** Each row a card of its own on a phone (a list's rows), rather than lines under a rule (the parts of one run). */
  cards?: boolean;
}) {
  return (
    <table class={`grid stack${cards ? ' card-rows' : ''}`} data-testid={testId}>
      <thead><tr>{columns.map((c) => <th key={c.head} title={c.title} aria-sort={c.sort}>{c.head}</th>)}</tr></thead>
      <tbody>
        {rows.map((item, i) => (
          <tr key={rowKey(item, i)} {...rowAttrs?.(item)}>
            {columns.map((c) => <td key={c.head} data-label={c.head} class={c.class}><div>{c.cell(item, i)}</div></td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
