import { describe, expect, it } from 'vitest';
import { healerSummary } from './healer-summary';

describe('healerSummary', () => {
  it('says a quiet tick did nothing instead of listing zeros', () => {
    expect(healerSummary({ templatesDemoted: 0, templatesPromoted: 0, runsRevived: 0, auditRowsPruned: 0 })).toBe('Nothing to heal');
  });

  it('names what the tick did in words, runs first, with singulars', () => {
    expect(healerSummary({ auditRowsPruned: 500, templatesPromoted: 1, runsRevived: 2, stepsTimedOut: 1 }))
      .toBe('2 stalled runs revived · 1 step timed out · 1 template promoted to READY · 500 audit rows pruned');
  });

  it('keeps a counter it does not know under its own name', () => {
    expect(healerSummary({ runsRevived: 1, leasesReaped: 3 })).toBe('1 stalled run revived · leasesReaped 3');
  });
});
