import { describe, expect, it } from 'vitest';
import { beyondNote, MAX_PAGE, pageOfQuery, pagesOf, pageSummary, pageTarget } from './paging';

const RUNS = ['run', 'runs'] as const;

describe('pageOfQuery', () => {
  it('reads a whole page number from the URL', () => {
    expect(pageOfQuery('3')).toBe(3);
    expect(pageOfQuery('1000000')).toBe(1_000_000);
  });

  it('opens the first page for anything else, and Baton\'s last page for a higher one, rather than have Baton refuse it', () => {
    for (const raw of ['', 'abc', '0', '-2', '2.5', '1e3', ' 2']) expect(pageOfQuery(raw)).toBe(1);
    expect(pageOfQuery('1000001')).toBe(MAX_PAGE);
    expect(pageOfQuery('99999999999999999999')).toBe(MAX_PAGE);
  });
});

describe('pagesOf', () => {
  it('goes nowhere from the only page, nor from an empty list', () => {
    for (const total of [0, 1, 25]) {
      expect(pagesOf(1, 25, total)).toEqual({ page: 1, count: 1, last: 1, first: null, previous: null, next: null, toLast: null, unreachable: 0 });
    }
  });

  it('offers the first, previous, next and last pages from a page in the middle', () => {
    expect(pagesOf(3, 25, 101)).toEqual({ page: 3, count: 5, last: 5, first: 1, previous: 2, next: 4, toLast: 5, unreachable: 0 });
  });

  it('offers only the way back from the last page, and only the way on from the first', () => {
    expect(pagesOf(5, 25, 101)).toMatchObject({ first: 1, previous: 4, next: null, toLast: null });
    expect(pagesOf(1, 25, 101)).toMatchObject({ first: null, previous: null, next: 2, toLast: 5 });
  });

  it('goes back from a page past the end to the last page, not to the empty one before it', () => {
    expect(pagesOf(9, 25, 60)).toMatchObject({ count: 3, last: 3, first: 1, previous: 3, next: null, toLast: 3 });
  });

  it('stops at Baton\'s last page, and counts what lies beyond it', () => {
    const total = MAX_PAGE * 25 + 30;
    expect(pagesOf(1, 25, total)).toMatchObject({ count: MAX_PAGE + 2, last: MAX_PAGE, toLast: MAX_PAGE, unreachable: 30 });
    expect(pagesOf(MAX_PAGE, 25, total)).toMatchObject({ next: null, toLast: null, previous: MAX_PAGE - 1 });
  });
});

describe('pageTarget', () => {
  it('opens the page typed, within the list', () => {
    expect(pageTarget('3', 5)).toBe(3);
    expect(pageTarget(' 5 ', 5)).toBe(5);
    expect(pageTarget('1,000', 2000)).toBe(1000);
    expect(pageTarget('1 000', 2000)).toBe(1000);
  });

  it('opens the last page for a number past it, and the first for 0', () => {
    expect(pageTarget('8', 5)).toBe(5);
    expect(pageTarget('2000000', MAX_PAGE)).toBe(MAX_PAGE);
    expect(pageTarget('0', 5)).toBe(1);
  });

  it('opens nothing for what is no whole number', () => {
    for (const typed of ['', ' ', 'two', '-1', '2.5', '1e3']) expect(pageTarget(typed, 5)).toBeNull();
  });
});

describe('pageSummary and beyondNote', () => {
  it('says which page of how many, and how many items in all, in the singular for one', () => {
    expect(pageSummary(pagesOf(2, 25, 101), 101, RUNS, 'en-US')).toBe('Page 2 of 5 (101 runs)');
    expect(pageSummary(pagesOf(1, 25, 1), 1, RUNS, 'en-US')).toBe('Page 1 of 1 (1 run)');
    expect(pageSummary(pagesOf(1, 25, 0), 0, RUNS, 'en-US')).toBe('Page 1 of 1 (0 runs)');
    expect(pageSummary(pagesOf(1, 25, 1_234_567), 1_234_567, RUNS, 'en-US')).toBe('Page 1 of 49,383 (1,234,567 runs)');
  });

  it('says nothing beyond, while every page opens', () => {
    expect(beyondNote(pagesOf(1, 25, MAX_PAGE * 25), RUNS, undefined, 'en-US')).toBeNull();
  });

  it('says how many items lie past Baton\'s last page, and how to reach them', () => {
    expect(beyondNote(pagesOf(1, 25, MAX_PAGE * 25 + 30), RUNS, undefined, 'en-US'))
      .toBe('Baton serves pages 1 to 1,000,000 only: the last 30 runs are on no page. Filter the list to reach them.');
    expect(beyondNote(pagesOf(1, 25, MAX_PAGE * 25 + 1), RUNS, 'Filter the list, or list the oldest first.', 'en-US'))
      .toBe('Baton serves pages 1 to 1,000,000 only: the last 1 run is on no page. Filter the list, or list the oldest first.');
  });
});
