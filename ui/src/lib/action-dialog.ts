import type { RunDetail } from '../api/types';
import type { ActionName, TerminateMode } from './run-actions';
import { lastDoAttempt } from './run-actions';

/**
 * The run as the operator saw it when they opened an action's dialog. Retry and skip name the
 * step's attempt from here, not from the poll that lands while they type: otherwise a retry made
 * meanwhile by someone else (attempt 3, after the 2 they saw) would be repeated.
 */
export interface SeenRun { status: string; updatedAt: string; attempts: Record<string, number | undefined> }

export function seenRun(run: RunDetail): SeenRun {
  const names = [...new Set(run.steps.map((s) => s.stepName))];
  return { status: run.status, updatedAt: run.updatedAt, attempts: Object.fromEntries(names.map((n) => [n, lastDoAttempt(run, n)])) };
}

/** The attempt to name: the one seen at opening; for a step that had none then, the one on screen now. */
export const seenAttempt = (seen: SeenRun, run: RunDetail, step: string): number | undefined => seen.attempts[step] ?? lastDoAttempt(run, step);

/** What changed in the run since the dialog opened, in words; null when nothing did. */
export function changedSince(seen: SeenRun, run: RunDetail, step: string | undefined): string | null {
  if (seen.updatedAt === run.updatedAt && seen.status === run.status) return null;
  const status = seen.status === run.status ? `it is still ${run.status}` : `it was ${seen.status} and is now ${run.status}`;
  const before = step ? seen.attempts[step] : undefined;
  const now = step ? lastDoAttempt(run, step) : undefined;
  const attempt = step && before !== undefined && now !== undefined && now !== before
    ? ` ${step} has had attempt ${now} since the ${before} you saw, so Baton will change nothing if you confirm: close this and look again.`
    : '';
  return `The run changed while this dialog was open (${status}).${attempt}`;
}

/** What an action whose request got no answer may have done. */
export const unknownOutcome = (label: string) =>
  `Baton could not be reached, so it is unknown whether “${label}” was applied. Check the run (this page refreshes once Baton answers) before you try again.`;

/**
 * An action whose request Baton refused with 401 (a key revoked or expired, a session ended):
 * it was not applied. What was typed into its dialog waits in this tab through the sign-in, and
 * the dialog opens again with it on the same run.
 */
export interface ActionDraft { flowId: string; action: ActionName; reason: string; step: string; output: string; mode: TerminateMode | null; seen: SeenRun }

const DRAFT = 'baton.actionDraft';

export const keepDraft = (draft: ActionDraft) => sessionStorage.setItem(DRAFT, JSON.stringify(draft));

/** The draft kept for this run, taken (it opens one dialog, once); null when there is none. */
export function takeDraft(flowId: string): ActionDraft | null {
  try {
    const draft = JSON.parse(sessionStorage.getItem(DRAFT) ?? 'null') as ActionDraft | null;
    if (draft?.flowId !== flowId) return null;
    sessionStorage.removeItem(DRAFT);
    return draft;
  } catch {
    return null;
  }
}
