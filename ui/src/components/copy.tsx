import { useEffect, useRef, useState } from 'preact/hooks';
import { copyText } from '../lib/clipboard';

/** Where a copy stands: nothing said, or the last click's outcome, said for a while. */
export type CopyState = 'idle' | 'copied' | 'failed';

/** How long the outcome stays said: a failure longer, as it asks the person to do something. */
const SAID_MS = { copied: 1500, failed: 4000 } as const;

/** The button's visible label: the outcome for a while, as before, then `idle` again. */
export function copyLabel(state: CopyState, idle: string): string {
  return state === 'copied' ? 'copied' : state === 'failed' ? 'copy failed — select the text' : idle;
}

/**
 * What the live region says of a copy (`what`: what was copied), so that a screen reader hears
 * the outcome the label only shows: a refused clipboard (no permission, plain http) says so,
 * never that it was copied.
 */
export function copyAnnouncement(state: CopyState, what: string): string {
  if (state === 'copied') return `Copied ${what} to the clipboard.`;
  if (state === 'failed') return `Could not copy ${what}: the browser refused the clipboard. Select the text and copy it by hand.`;
  return '';
}

/** Copies on request and keeps the outcome for a while; a second click restarts the wait rather than be cut short by the first one's. */
export function useCopy(): { state: CopyState; copy: (text: string) => Promise<void> } {
  const [state, setState] = useState<CopyState>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async (text: string) => {
    const outcome = (await copyText(text)) ? 'copied' : 'failed';
    clearTimeout(timer.current);
    setState(outcome);
    timer.current = setTimeout(() => setState('idle'), SAID_MS[outcome]);
  };
  return { state, copy };
}

/**
 * The outcome as a polite live region, present (empty) before anything is said: a region added
 * with its text already in it is not announced by every screen reader.
 */
export function CopyStatus({ state, what }: { state: CopyState; what: string }) {
  return <span role="status" class="sr-only" data-testid="copy-status">{copyAnnouncement(state, what)}</span>;
}
