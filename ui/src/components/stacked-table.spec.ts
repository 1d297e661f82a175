import { Fragment, h, type VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { type Column, StackedTable } from './stacked-table';

type Props = { children?: unknown; [attr: string]: unknown };
const kids = (node: VNode<Props>): VNode<Props>[] => [node.props.children].flat(2) as VNode<Props>[];

describe('StackedTable', () => {
  const columns: Column<{ id: string; took: string; heartbeat: string }>[] = [
    { head: '#', cell: (_, i) => i + 1 },
    { head: 'Took', class: 'text', cell: (r) => h(Fragment, null, r.took, h('div', null, r.heartbeat)) },
  ];
  // StackedTable has no hooks, so its tree is read as it is.
  const table = StackedTable({ columns, rows: [{ id: 'a', took: '5 s', heartbeat: 'last heartbeat 10:00' }], rowKey: (r) => r.id, rowAttrs: (r) => ({ 'data-row': r.id }), testId: 't' });
  const [head, body] = kids(table);
  const [row] = kids(body);

  it('labels each cell with its column header, which a phone shows beside the value', () => {
    expect(kids(kids(head)[0]).map((th) => th.props.children)).toEqual(['#', 'Took']);
    expect(kids(row).map((td) => [td.props['data-label'], td.props.class])).toEqual([['#', undefined], ['Took', 'text']]);
    expect(table.props).toMatchObject({ class: 'grid stack', 'data-testid': 't' });
    expect(row.props['data-row']).toBe('a');
  });

  it("holds a cell's parts in one block, so that a stacked line does not set them side by side", () => {
    for (const td of kids(row)) {
      expect(kids(td)).toHaveLength(1);
      expect(kids(td)[0].type).toBe('div');
    }
  });

  it("gives a list's rows a card each on a phone, and a column its tooltip and sort order", () => {
    const sorted = StackedTable({
      columns: [{ head: 'Created (UTC+05:30)', title: 'Local time: Asia/Kolkata', sort: 'descending', cell: () => 'now' }], rows: [{}], rowKey: () => 'r', cards: true,
    });
    expect(sorted.props.class).toBe('grid stack card-rows');
    expect(kids(kids(kids(sorted)[0])[0])[0].props).toMatchObject({ children: 'Created (UTC+05:30)', title: 'Local time: Asia/Kolkata', 'aria-sort': 'descending' });
  });

  it("names each cell's place on a compact card, and marks a cell with nothing to say for its row, which the card leaves out", () => {
    const compact = StackedTable({
      columns: [
        { head: 'Run', area: 'run', cell: (r: { failed: string | null }) => r.failed ?? '–' },
        { head: 'Failed step', area: 'failed', blank: (r) => !r.failed, cell: (r) => r.failed ?? '–' },
        { head: 'Correlation id', cell: () => 'c-1' },
      ],
      rows: [{ failed: null }, { failed: 'ship' }], rowKey: (_, i) => String(i), cards: true, cardLayout: 'run-cards',
    });
    expect(compact.props.class).toBe('grid stack card-rows run-cards');
    const cells = kids(kids(compact)[1]).map((tr) => kids(tr).map((td) => [td.props['data-area'], td.props['data-blank']]));
    expect(cells).toEqual([
      [['run', undefined], ['failed', ''], [undefined, undefined]],
      [['run', undefined], ['failed', undefined], [undefined, undefined]],
    ]);
  });
});
