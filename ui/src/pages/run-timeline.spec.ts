import type { VNode } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent, StepAttempt } from '../api/types';
import { Name } from '../components/name';
import { MAX_GAPS } from '../lib/timeline-scale';
import { SHOW_ALL_MAX } from '../lib/latest';
import { TIMELINE_LIMIT } from '../lib/timeline-window';
import { TimelineLimited, timelineView } from './run-timeline';
import { TimelineChart } from './timeline-chart';
import { textOf } from '../test-support/text-of';

vi.mock('../lib/text-width', () => ({ textWidth: vi.fn(() => 12) }));

const T0 = Date.UTC(2026, 11, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();

/** 50 steps, each failing fast 99 times with a 30 s backoff, then succeeding: 5,000 attempts, each with a heartbeat. */
function bigRun(): { steps: StepAttempt[]; events: RunEvent[]; now: number } {
  const steps: StepAttempt[] = [];
  const events: RunEvent[] = [];
  let t = T0;
  for (let seq = 1; seq <= 50; seq++) {
    for (let attempt = 1; attempt <= 100; attempt++) {
      steps.push({
        stepName: `step${seq}`, seq, action: 'DO', attempt, commandId: `c${seq}-${attempt}`, budgetStart: 1, status: attempt < 100 ? 'FAILED' : 'SUCCEEDED',
        handlerType: 'worker', target: null, output: null, error: attempt < 100 ? 'boom' : null, dispatchedAt: iso(t), deadlineAt: iso(t + 30_000),
        completedAt: iso(t + 2), lastHeartbeatAt: iso(t + 1),
      });
      if (attempt % 10 === 0) events.push({ at: iso(t + 1), kind: 'RETRY', stepName: `step${seq}`, reason: 'operator', actor: 'ops' });
      t += 2 + 30_000;
    }
  }
  return { steps, events, now: t };
}

/** The elements a chart draws, its components called through (none has hooks; `called` collects them); a name is one leaf. */
function elements(node: unknown, called: VNode<Record<string, unknown>>[] = []): VNode<Record<string, unknown>>[] {
  if (Array.isArray(node)) return node.flatMap((n) => elements(n, called));
  if (!node || typeof node !== 'object') return [];
  const v = node as VNode<Record<string, unknown>>;
  if (v.type === Name) return [v];
  if (typeof v.type === 'function') {
    called.push(v);
    return elements((v.type as (p: unknown) => unknown)(v.props), called);
  }
  return [v, ...elements(v.props.children, called)];
}


const FLOW = '6f9619ff-8b86-4d01-b42d-00c04fc964ff';
const WHOLE = `the run's JSON has every one: GET /api/orchestration/runs/${FLOW}, or copy "Run as JSON" below.`;
const classed = (els: VNode<Record<string, unknown>>[], name: string) => els.filter((e) => String(e.props.class ?? '').split(' ').includes(name));

describe('RunTimeline on a run of 5,000 attempts', () => {
  const styles = vi.fn(() => ({ fontFamily: 'sans-serif' }));
  beforeEach(() => {
    vi.stubGlobal('document', { documentElement: {} });
    vi.stubGlobal('getComputedStyle', styles);
    styles.mockClear();
  });
  afterEach(() => vi.unstubAllGlobals());

  const draw = (all: boolean) => {
    const run = bigRun();
    const view = timelineView(run.steps, run.events, run.now, 1000, all);
    const called: VNode<Record<string, unknown>>[] = [];
    return { view, called, els: elements(TimelineChart({ layout: view.layout, width: 1000, trackRef: () => undefined }), called) };
  };

  it('draws the latest attempts only, and says how many of how many', () => {
    const { view, els } = draw(false);
    expect(view.total).toBe(5000);
    expect(view.hiddenSteps).toBe(5000 - TIMELINE_LIMIT);
    expect(classed(els, 'bar')).toHaveLength(TIMELINE_LIMIT);
    expect(classed(els, 'hb')).toHaveLength(TIMELINE_LIMIT);
    expect(classed(els, 'tl-row').length).toBeLessThanOrEqual(TIMELINE_LIMIT + 2);
    const notice = TimelineLimited({ view, flowId: FLOW, onShowAll: () => undefined });
    expect(textOf(notice)).toBe(`Showing the latest ${TIMELINE_LIMIT} of 5000 attempts (${5000 - TIMELINE_LIMIT} not drawn) and 20 of 500 events; `
      + `${WHOLE} Show the latest ${SHOW_ALL_MAX}`);
  });

  it('draws at most SHOW_ALL_MAX on "show all", and says where the ones it leaves out are', () => {
    const { view, els } = draw(true);
    expect(view.steps).toHaveLength(SHOW_ALL_MAX);
    expect(view.hiddenSteps).toBe(5000 - SHOW_ALL_MAX);
    expect(classed(els, 'bar')).toHaveLength(SHOW_ALL_MAX);
    expect(classed(els, 'hb')).toHaveLength(SHOW_ALL_MAX);
    expect(classed(els, 'tl-row').length).toBeLessThanOrEqual(SHOW_ALL_MAX + 2);
    const notice = TimelineLimited({ view, flowId: FLOW, onShowAll: () => undefined });
    expect(textOf(notice)).toBe(`Showing the latest ${SHOW_ALL_MAX} of 5000 attempts (${5000 - SHOW_ALL_MAX} not drawn) and 200 of 500 events: `
      + `the timeline draws no more than ${SHOW_ALL_MAX}; ${WHOLE}`);
    // Nothing more to ask for: no button.
    expect(elements(notice).filter((e) => e.type === 'button')).toEqual([]);
  });

  it('offers "show all" as such, and draws every attempt, when there are no more than SHOW_ALL_MAX', () => {
    const run = bigRun();
    const steps = run.steps.slice(-1000);
    const view = timelineView(steps, [], run.now, 1000, true);
    expect([view.steps.length, view.hiddenSteps]).toEqual([1000, 0]);
    expect(TimelineLimited({ view, flowId: FLOW, onShowAll: () => undefined })).toBeNull();
    expect(textOf(TimelineLimited({ view: timelineView(steps, [], run.now, 1000, false), flowId: FLOW, onShowAll: () => undefined })))
      .toMatch(/the attempts table lists every one\. Show all$/);
  });

  it('draws at most MAX_GAPS breaks, once for the whole chart, whatever is shown', () => {
    for (const all of [false, true]) {
      const { view, els } = draw(all);
      expect(view.layout.scale.gaps).toHaveLength(MAX_GAPS);
      expect(classed(els, 'gap-band')).toHaveLength(view.layout.scale.gaps.length);
      expect(classed(els, 'tl-gaps')).toHaveLength(1);
      // Only the axis's labels of the breaks carry their tooltips.
      expect(els.filter((e) => e.props['data-gap'] !== undefined).length).toBeLessThanOrEqual(MAX_GAPS);
    }
  });

  it('makes no bar a tab stop, reads the font once, and finds each row\'s ticks once, not once per bar', () => {
    const { view, els, called } = draw(true);
    expect(classed(els, 'bar')).toHaveLength(SHOW_ALL_MAX);
    expect(els.filter((e) => e.props.tabIndex !== undefined)).toEqual([]);
    expect(styles).toHaveBeenCalledTimes(1);
    // A row's ticks, its lane's 10 events and its own heartbeats, are one list its bars share.
    const ticks = called.filter((c) => 'bar' in c.props).map((c) => c.props.ticks as number[]);
    expect(ticks).toHaveLength(SHOW_ALL_MAX);
    const lists = [...new Set(ticks)];
    expect(lists).toHaveLength(view.layout.lanes.reduce((sum, l) => sum + l.rows, 0));
    expect(lists.reduce((sum, l) => sum + l.length - 10, 0)).toBe(SHOW_ALL_MAX);
  });
});
