import { useState } from 'preact/hooks';

/** What is typed into a field (`draft`), and the applied value it was typed over (`base`). */
export interface Draft { base: string; draft: string }

/**
 * What the field shows: the draft while the applied value is still the one it was typed over (a
 * poll's re-render leaves it alone); the applied value once that changed (cleared, back).
 */
export const shownDraft = (state: Draft, applied: string): string => (state.base === applied ? state.draft : applied);

/**
 * A field's text, typed freely and applied elsewhere (to the URL) only when the field says so.
 * Setting it with `base`, the value it is about to apply, keeps what is typed on screen as it is
 * (`demo ` stays `demo `, not the applied `demo`) while the person goes on typing.
 */
export function useDraft(applied: string): [string, (draft: string, base?: string) => void] {
  const [state, setState] = useState<Draft>({ base: applied, draft: applied });
  return [shownDraft(state, applied), (draft, base = applied) => setState({ base, draft })];
}
