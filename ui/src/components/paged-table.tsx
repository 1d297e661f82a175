import type { ComponentChildren } from 'preact';
import type { Page } from '../api/types';
import type { Noun } from '../lib/paging';
import { Empty } from './notice';
import { Pager } from './pager';
import { type Column, StackedTable } from './stacked-table';

/** A column's header: its text, or its text with a tooltip (a column of times names their zone) and the way it is sorted. */
export type Head = string | { text: string; title?: string; sort?: 'ascending' | 'descending' };
const headOf = (h: Head) => (typeof h === 'string' ? { text: h } : h);

/** The rows as a plain table (`head`, `row`), or as a StackedTable (`columns`), whose rows are cards on a phone. */
type Rows<T> =
  | { head: Head[]; row: (item: T) => ComponentChildren }
  | { columns: readonly Column<T>[]; rowKey: (item: T) => string; rowAttrs?: (item: T) => Record<`data-${string}`, string>; cardLayout?: string };

/**
 * One page of rows from the server under a table head, with the pager below; when there is
 * nothing at all, `empty` says what to do next instead. `noun` names what the list counts.
 */
export function PagedTable<T>(props: Rows<T> & {
  data: Page<T>; page: number; pageSize: number; onPage: (page: number) => void; noun: Noun; reach?: string;
  empty: ComponentChildren; testId?: string;
}) {
  const { data, page, pageSize, onPage, noun, reach, empty, testId } = props;
  if (data.total === 0) return <Empty>{empty}</Empty>;
  const last = Math.ceil(data.total / pageSize);
  return (
    <>
      {data.items.length === 0 ? <Empty>Nothing on page {page.toLocaleString()}: the last page is {last.toLocaleString()}.</Empty>
        : 'columns' in props ? (
          <StackedTable columns={props.columns} rows={data.items} rowKey={props.rowKey} rowAttrs={props.rowAttrs} testId={testId} cards cardLayout={props.cardLayout} />
        ) : (
          <table class="grid" data-testid={testId}>
            <thead><tr>{props.head.map(headOf).map((h) => <th key={h.text} title={h.title} aria-sort={h.sort}>{h.text}</th>)}</tr></thead>
            <tbody>{data.items.map(props.row)}</tbody>
          </table>
        )}
      <Pager page={page} pageSize={pageSize} total={data.total} onPage={onPage} noun={noun} reach={reach} />
    </>
  );
}
