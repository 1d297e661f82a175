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
  /** Where the cell goes on a compact card (the table's `cardLayout`); a cell with no place is left off the card. */
  area?: string;
  /** Whether the cell has nothing to say for this row (no failed step): a compact card leaves its line out, a table keeps the cell. */
  blank?: (item: T) => boolean;
}

/**
 * A table of many columns that shows each row as labelled lines on a phone (.grid.stack,
 * styles.css), rather than hiding its cells behind a sideways scroll or squeezing them into
 * slivers. Each cell is labelled with its column's header, and holds its parts (a duration and its
 * last heartbeat, an error and an output) in one block, so that a stacked line, which sets its
 * label beside its value, does not set them side by side too.
 */
export function StackedTable<T>({ columns, rows, rowKey, rowAttrs, testId, cards, cardLayout }: {
  columns: readonly Column<T>[]; rows: readonly T[]; rowKey: (item: T, index: number) => string;
  /** data-* attributes for each row, which tests find rows by. */
  rowAttrs?: (item: T) => Record<`data-${string}`, string>; testId?: string;
  /** Each row a card of its own on a phone (a list's rows), rather than lines under a rule (the parts of one run). */
  cards?: boolean;
  /**
   * The class (styles.css) of a compact card on a phone, which sets each cell in its column's
   * `area` rather than on a labelled line of its own: a page of runs, seven lines each, was some
   * 6,000 px tall.
   */
  cardLayout?: string;
}) {
  const kind = cardLayout ? ` card-rows ${cardLayout}` : cards ? ' card-rows' : '';
  return (
    <table class={`grid stack${kind}`} data-testid={testId}>
      <thead><tr>{columns.map((c) => <th key={c.head} title={c.title} aria-sort={c.sort}>{c.head}</th>)}</tr></thead>
      <tbody>
        {rows.map((item, i) => (
          <tr key={rowKey(item, i)} {...rowAttrs?.(item)}>
            {columns.map((c) => (
              <td key={c.head} data-label={c.head} class={c.class} data-area={c.area} data-blank={c.blank?.(item) ? '' : undefined}><div>{c.cell(item, i)}</div></td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
