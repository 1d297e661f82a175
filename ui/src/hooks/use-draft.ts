import { useState } from 'preact/hooks';

/** What is typed into a field (`draft`), and the applied value it was typed over (`base`). */
export interface Draft { base: string; draft: string }

/**
 * What the field shows: the draft while the applied value is still the one it was typed over (a
 * poll's re-render leaves it alone); the applied value once that changed (applied, cleared, back).
 */
export const shownDraft = (state: Draft, applied: string): string => (state.base === applied ? state.draft : applied);

/** A field's text, typed freely and applied elsewhere (to the URL) only when the field says so. */
export function useDraft(applied: string): [string, (draft: string) => void] {
  const [state, setState] = useState<Draft>({ base: applied, draft: applied });
  return [shownDraft(state, applied), (draft) => setState({ base: applied, draft })];
}
