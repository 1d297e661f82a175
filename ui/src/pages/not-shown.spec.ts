import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { SHOW_ALL_MAX } from '../lib/latest';
import { Earlier, TABLE_LATEST, tableRows } from './not-shown';
import { textOf } from '../test-support/text-of';

function buttons(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(buttons);
  if (!node || typeof node !== 'object') return [];
  const v = node as VNode<Record<string, unknown>>;
  return v.type === 'button' ? [textOf(v)] : buttons(v.props.children);
}

const FLOW = '6f9619ff-8b86-4d01-b42d-00c04fc964ff';
const numbers = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const earlier = (items: number[], all: boolean, what = 'attempts') => Earlier({ rows: tableRows(items, all), what, flowId: FLOW, onShow: () => undefined });

describe('the attempts and events tables of a run of 50,000 attempts', () => {
  const attempts = numbers(50_000);

  it('show the latest TABLE_LATEST, and offer the latest SHOW_ALL_MAX rather than every one', () => {
    const rows = tableRows(attempts, false);
    expect([rows.shown.length, rows.hidden, rows.shown[0]]).toEqual([TABLE_LATEST, 50_000 - TABLE_LATEST, 50_000 - TABLE_LATEST + 1]);
    const notice = earlier(attempts, false);
    expect(textOf(notice)).toBe(`The latest ${TABLE_LATEST} are shown; ${50_000 - TABLE_LATEST} earlier attempts are not. Show the latest ${SHOW_ALL_MAX}`);
    expect(buttons(notice)).toEqual([`Show the latest ${SHOW_ALL_MAX}`]);
  });

  it('list at most SHOW_ALL_MAX on "show all", and point to the API for the rest', () => {
    const rows = tableRows(attempts, true);
    expect([rows.shown.length, rows.hidden, rows.shown[0], rows.shown.at(-1)]).toEqual([SHOW_ALL_MAX, 50_000 - SHOW_ALL_MAX, 50_000 - SHOW_ALL_MAX + 1, 50_000]);
    const notice = earlier(attempts, true);
    expect(textOf(notice)).toBe(`The latest ${SHOW_ALL_MAX} are shown, the most this page lists; ${50_000 - SHOW_ALL_MAX} earlier attempts are not: `
      + `the run's JSON has every one: GET /api/orchestration/runs/${FLOW}, or copy "Run as JSON" below.`);
    // Nothing more to ask for: no button.
    expect(buttons(notice)).toEqual([]);
  });

  it('list every row on "show all" when there are no more than SHOW_ALL_MAX, and say nothing then', () => {
    const events = numbers(TABLE_LATEST + 2);
    expect(textOf(earlier(events, false, 'events'))).toBe(`The latest ${TABLE_LATEST} are shown; 2 earlier events are not. Show all`);
    expect(tableRows(events, true)).toEqual({ shown: events, hidden: 0, all: true });
    expect(earlier(events, true)).toBeNull();
    expect(tableRows(numbers(SHOW_ALL_MAX), true).hidden).toBe(0);
  });
});
