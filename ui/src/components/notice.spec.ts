import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/client';
import { clockTime } from '../lib/time';
import { ErrorNotice, ownError, staleText, unreachable } from './notice';

/** The text a rendered tree shows (no DOM here: ErrorNotice has no hooks, so its tree is read as it is). */
function textOf(node: unknown): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  return textOf((node as VNode<{ children?: unknown }>).props.children);
}

describe('ErrorNotice', () => {
  it('lists what the API said was wrong, by path, and the correlation id for support', () => {
    const error = new ApiError(400, 'INVALID_REQUEST', 'The request is invalid', [{ path: 'output.kept', message: 'key not allowed' }, { path: '', message: 'too big' }], 'c-1');
    expect(textOf(ErrorNotice({ error }))).toBe('The request is invalid' + 'output.kept: key not allowed' + 'too big' + 'Correlation id (for support): c-1');
  });

  it('puts the code first where asked (the action dialog)', () => {
    expect(textOf(ErrorNotice({ error: new ApiError(409, 'STEP_NOT_FAILED', 'step a has not failed'), withCode: true }))).toBe('STEP_NOT_FAILED: step a has not failed');
  });

  it('shows any other error by its message, and nothing without one', () => {
    expect(textOf(ErrorNotice({ error: new Error('The output must be JSON.') }))).toBe('The output must be JSON.');
    expect(ErrorNotice({ error: null })).toBeNull();
  });
});

describe('staleText', () => {
  const at = new Date(2026, 11, 1, 13, 36, 2).getTime();
  const when = clockTime(at);

  it('says in words that Baton is unreachable, and since when what is shown dates', () => {
    expect(staleText(new NetworkError(), at)).toBe(`Baton is unreachable (last answer at ${when}).`);
    expect(staleText(new NetworkError(), undefined)).toBe('Baton is unreachable (no answer yet).');
  });

  it('dates what is shown after any other failed poll', () => {
    expect(staleText(new ApiError(503, 'SERVICE_UNAVAILABLE', 'A dependency is down.'), at)).toBe(`A dependency is down. What is shown is from the last answer, at ${when}.`);
  });

  it("ends Baton's message, which has no full stop, before dating what is shown", () => {
    expect(staleText(new ApiError(503, 'SERVICE_UNAVAILABLE', 'A dependency (database or broker) is unavailable; retry later'), at))
      .toBe(`A dependency (database or broker) is unavailable; retry later. What is shown is from the last answer, at ${when}.`);
  });
});

describe('unreachable and ownError', () => {
  const down = (answeredAt?: number) => ({ error: new NetworkError(), answeredAt });
  const refused = new ApiError(503, 'SERVICE_UNAVAILABLE', 'A dependency is down.');

  it("say Baton unreachable once for all of a page's reads, with the last answer any of them had, and leave it out of each panel's own", () => {
    const reads = [down(1000), down(3000), down(undefined)];
    expect(unreachable(reads)).toEqual({ error: reads[0].error, answeredAt: 3000 });
    expect(reads.map(ownError)).toEqual([undefined, undefined, undefined]);
  });

  it('date the page by the last answer of any read, one that still answers included', () => {
    // The template answered at 5000; its audit's first read found Baton gone.
    expect(unreachable([{ answeredAt: 5000 }, down(undefined)])).toMatchObject({ answeredAt: 5000 });
  });

  it('leave any other failure to the panel whose read it is, and say nothing while Baton answers', () => {
    const reads = [{ answeredAt: 1000 }, { error: refused, answeredAt: 2000 }];
    expect(unreachable(reads)).toBeUndefined();
    expect(reads.map(ownError)).toEqual([undefined, refused]);
  });
});
