import { useEffect, useState } from 'preact/hooks';
import { ApiError, NetworkError, onUnauthorized, postJson } from '../api/client';
import type { RunDetail } from '../api/types';
import { useMe } from '../auth/session';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorNotice } from '../components/notice';
import { changedSince, keepDraft, type SeenRun, seenAttempt, seenRun, takeDraft, unknownOutcome } from '../lib/action-dialog';
import {
  ActionName, ActionState, actionOutcome, NoUndo, actionRequest, actionableSteps, canAct, defaultStep, endedNote, runActions, TerminateMode, terminateChoices, unavailable,
  waitLines,
} from '../lib/run-actions';
import { serverNow } from '../lib/server-clock';

/** The longest reason the API takes (MAX_REASON_LENGTH, src/engine/dto/run-action.dto.ts): a longer one pasted here was cut at 500 without a word. */
export const MAX_REASON_LENGTH = 1000;

/**
 * Every action, disabled with the engine's reason when the run's state does not allow it, and all
 * of them while Baton is unreachable (`reachable` false) until it answers again. Why a disabled
 * one waits is said in a line below the buttons (waitLines, or a finished run's endedNote), which
 * describes the button too. A viewer sees none, and a line that says they need the operator role.
 */
export function RunActions({ run, noUndo, reachable, onDone }: { run: RunDetail; noUndo: NoUndo; reachable: boolean; onDone: () => void }) {
  const me = useMe();
  // An action refused with 401 before the sign-in that remounted this page: its dialog opens again as it was.
  const [draft] = useState(() => takeDraft(run.flowId));
  const [openName, setOpen] = useState<ActionName | null>(draft?.action ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [reason, setReason] = useState(draft?.reason ?? '');
  const [step, setStep] = useState(draft?.step ?? '');
  const [output, setOutput] = useState(draft?.output ?? '');
  const [mode, setMode] = useState<TerminateMode | null>(draft?.mode ?? null);
  const [seen, setSeen] = useState<SeenRun>(() => draft?.seen ?? seenRun(run));
  const [resumed, setResumed] = useState(draft !== null);
  // What the last accepted action did, for this run: its new status, or that nothing changed.
  const [outcome, setOutcome] = useState<{ flowId: string; changed: boolean; message: string } | null>(null);
  // A poll refused for the credential replaces this page with the sign-in too, the action unsent:
  // what is typed in an open dialog waits for the return, as when the action itself was refused.
  useEffect(() => onUnauthorized(() => {
    if (openName && !busy) keepDraft({ flowId: run.flowId, action: openName, reason, step, output, mode, seen });
  }), [run.flowId, openName, busy, reason, step, output, mode, seen]);
  if (me === undefined) {
    return <p class="muted small" data-testid="actions-need-role">Actions on this run wait until Baton says who you are signed in as: it has not answered yet, and is asked again.</p>;
  }
  if (!canAct(me)) {
    return <p class="muted small" data-testid="actions-need-role">Actions on this run (retry, skip, pause, resume, compensate, terminate, undo) need the operator role; you are signed in as {me!.id} ({me!.roles.join(', ') || 'no role'}).</p>;
  }
  const steps = actionableSteps(run);
  // Recomputed on every render: the confirmation follows the run as it moves on.
  const actions = runActions(run, noUndo);
  const ended = endedNote(run, actions);
  const open = actions.find((a) => a.action === openName);
  const choices = terminateChoices(run, noUndo);
  // Terminate asks which way; a way the run no longer allows (it moved on) is not taken.
  const chosen = open?.action === 'terminate' ? choices.find((c) => c.mode === mode && c.enabled) : undefined;
  // A step that is no longer failed (retried elsewhere, or it was in flight) is not sent.
  const chosenStep = steps.includes(step) ? step : defaultStep(run, steps);
  const whyNot = (a: ActionState) => unavailable(a, steps, reachable);
  const waits = waitLines(run, actions, steps, reachable);
  const lineId = (action: ActionName) => `why-${action}`;
  const describedBy = (a: ActionState) => {
    if (whyNot(a) === null) return undefined;
    const line = waits.find((l) => l.actions.includes(a.action));
    return line ? lineId(line.actions[0]) : ended ? 'actions-ended' : undefined;
  };
  const changed = open ? changedSince(seen, run, open.needsStep ? chosenStep : undefined) : null;
  const openDialog = (action: ActionName) => {
    setOpen(action); setError(null); setReason(''); setStep(defaultStep(run, steps)); setOutput(''); setOutcome(null);
    setSeen(seenRun(run)); setResumed(false);
    // Only one way applies (a COMPENSATING run can only be left as it is): it is chosen; otherwise the operator chooses.
    const usable = choices.filter((c) => c.enabled);
    setMode(action === 'terminate' && usable.length === 1 ? usable[0].mode : null);
  };
  const confirm = async () => {
    if (!open) return;
    if (open.action === 'terminate' && !chosen) {
      setError(new Error('Choose whether to leave what succeeded in place or undo it.'));
      return;
    }
    let parsed: unknown;
    if (open.action === 'skip' && output.trim()) {
      try {
        parsed = JSON.parse(output);
      } catch {
        setError(new Error('The output must be JSON.'));
        return;
      }
    }
    setBusy(true);
    setError(null);
    setResumed(false);
    const label = chosen?.label ?? open.label;
    try {
      const { path, body } = actionRequest(run.flowId, open.action, {
        stepName: open.needsStep ? chosenStep : undefined, attempt: open.needsStep && chosenStep ? seenAttempt(seen, run, chosenStep) : undefined,
        output: parsed, reason: reason.trim() || undefined, terminate: chosen?.mode,
      });
      const res = await postJson<unknown>(path, body);
      setOutcome({ flowId: run.flowId, ...actionOutcome(label, res, serverNow()) });
      setOpen(null);
      onDone();
    } catch (e) {
      // Refused for the credential: not applied. The sign-in replaces this page; what was typed waits for its return.
      if (e instanceof ApiError && e.status === 401) keepDraft({ flowId: run.flowId, action: open.action, reason, step: chosenStep, output, mode, seen });
      setError(e instanceof NetworkError ? new Error(unknownOutcome(label)) : e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="actions" aria-label="Actions">
      {actions.map((a) => (
        <button key={a.action} type="button" disabled={whyNot(a) !== null} data-action={a.action}
          title={whyNot(a) ?? a.effect} aria-describedby={describedBy(a)} onClick={() => openDialog(a.action)}>
          {a.label}
        </button>
      ))}
      {ended && <p id="actions-ended" class="ended small" data-testid="actions-ended">{ended}</p>}
      {waits.length > 0 && (
        <ul class="why-not small" data-testid="actions-why-not">
          {waits.map((l) => <li key={l.actions[0]} id={lineId(l.actions[0])}>{l.text}</li>)}
        </ul>
      )}
      {outcome?.flowId === run.flowId && (
        <div class={outcome.changed ? 'outcome' : 'outcome warn'} role="status" data-testid="action-outcome" data-changed={String(outcome.changed)}>
          {outcome.message}
        </div>
      )}
      {/* The browser may still close the dialog while the request is in flight (Escape pressed twice): its failure shows here. */}
      {!open && <ErrorNotice error={error} withCode />}
      {open && (
        <ConfirmDialog title={`${open.label} run ${run.flowId.slice(0, 8)}?`} confirmLabel={chosen?.label ?? open.label} busy={busy}
          disabled={whyNot(open) !== null} onConfirm={confirm} onClose={() => { setOpen(null); if (!busy) setError(null); }}>
          {open.action === 'terminate' ? (
            <>
              <fieldset class="choices">
                <legend>What already succeeded</legend>
                {choices.map((c) => (
                  <label key={c.mode} class="check">
                    <input type="radio" name="terminate-mode" value={c.mode} data-terminate={c.mode} checked={chosen?.mode === c.mode}
                      disabled={!c.enabled} onChange={() => { setMode(c.mode); setError(null); }} />
                    <span>{c.option}{!c.enabled && c.reason ? `: not possible, ${c.reason}` : ''}</span>
                  </label>
                ))}
              </fieldset>
              <p data-testid="action-effect">{chosen ? chosen.effect : open.effect}</p>
            </>
          ) : (
            <p data-testid="action-effect">{open.effect}</p>
          )}
          {open.needsStep && (
            <label>Step
              <select value={chosenStep} onChange={(e) => setStep(e.currentTarget.value)}>{steps.map((s) => <option key={s}>{s}</option>)}</select>
            </label>
          )}
          {open.action === 'skip' && (
            <label>Output (JSON, optional)
              <textarea rows={3} maxLength={65536} value={output} onInput={(e) => setOutput(e.currentTarget.value)} />
            </label>
          )}
          {open.action !== 'undo' && (
            <label>Reason (recorded on the run)
              <input type="text" maxLength={MAX_REASON_LENGTH} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
          )}
          {resumed && (
            <div class="warn" role="status" data-testid="action-resumed">
              Not sent: Baton asked you to sign in again first. What you typed is kept; confirm to send it now.
            </div>
          )}
          {!busy && changed && <div class="warn" role="status" data-testid="action-changed">{changed}</div>}
          {!busy && whyNot(open) !== null && <div class="warn" role="status" data-testid="action-gone">{reachable ? 'No longer possible: ' : ''}{whyNot(open)}.</div>}
          <ErrorNotice error={error} withCode />
        </ConfirmDialog>
      )}
    </section>
  );
}
