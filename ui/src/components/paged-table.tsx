import type { ComponentChildren } from 'preact';
import type { Page } from '../api/types';
import { Empty } from './notice';
import { Pager } from './pager';

/**
 * One page of rows from the server under a table head, with the pager below; when there is
 * nothing at all, `empty` says what to do next instead.
 */
export function PagedTable<T>({ data, page, pageSize, onPage, head, row, empty, testId }: {
  data: Page<T>; page: number; pageSize: number; onPage: (page: number) => void;
  head: string[]; row: (item: T) => ComponentChildren; empty: ComponentChildren; testId?: string;
}) {
  if (data.total === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      {data.items.length === 0 ? <Empty>Nothing on page {page}: go back to page 1.</Empty> : (
        <table class="grid" data-testid={testId}>
          <thead><tr>{head.map((h) => <th key={h}>{h}</th>)}</tr></thead>
          <tbody>{data.items.map(row)}</tbody>
        </table>
      )}
      <Pager page={page} pageSize={pageSize} total={data.total} onPage={onPage} />
    </>
  );
}
