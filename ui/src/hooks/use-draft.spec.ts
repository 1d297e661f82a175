import { describe, expect, it } from 'vitest';
import { shownDraft } from './use-draft';

describe('shownDraft', () => {
  it('keeps what is being typed while the applied value stays the same (a poll re-renders the page)', () => {
    expect(shownDraft({ base: '', draft: 'dem' }, '')).toBe('dem');
  });

  it('keeps what is typed as it is once it applied as you type: the trailing space of `demo ` stays', () => {
    expect(shownDraft({ base: 'demo', draft: 'demo ' }, 'demo')).toBe('demo ');
  });

  it('shows the applied value once it changes elsewhere: cleared, or the back button', () => {
    expect(shownDraft({ base: '', draft: 'demo ' }, 'demo')).toBe('demo');
    expect(shownDraft({ base: 'demo', draft: 'demoX' }, '')).toBe('');
  });
});
