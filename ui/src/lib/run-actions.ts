import type { ActionAvailability, RunDetail } from '../api/types';
import type { Identity } from './roles';
import { isTerminal } from './run-statuses';
import { clockTime } from './time';

export const ACTIONS = ['undo', 'retry', 'skip', 'pause', 'resume', 'compensate', 'terminate'] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface ActionState {
  action: ActionName;
  label: string;
  enabled: boolean;
  /** Why it is disabled. */
  reason: string | null;
  /** What will happen, shown in the confirmation. */
  effect: string;
  /** Whether the action acts on one step (retry, skip). */
  needsStep: boolean;
}

/**
 * The order Baton undoes in (the engine's compensationPlan), said for any template: the order
 * depends on its type and, for a DAG, on its edges, so the console names no order of its own.
 */
const UNWIND = 'Each is undone once every step that came after it (a later stage of a sequential template, a step that depends on it '
  + 'in a DAG) is undone or its undo has failed; a parallel template\'s are undone together.';

function effectOf(action: ActionName, run: RunDetail, noUndo: NoUndo): string {
  const list = undoList(run, noUndo);
  switch (action) {
    case 'undo':
      return run.status === 'COMPENSATION_FAILED' || run.status === 'UNDO_FAILED'
        ? 'Each failed undo gets one more attempt; the run then finishes as its compensation or undo would have.'
        : `The succeeded steps are undone: ${list}. ${UNWIND} The run ends UNDONE, or UNDO_FAILED if an undo fails.`;
    case 'retry': return 'The chosen step is dispatched again with a new attempt; the run carries on from there.';
    case 'skip': return 'The chosen step is marked succeeded with the output you give, and the run carries on as if it had run. '
      + 'A skipped step is never undone: a later compensation or undo of this run passes over it, so whatever its failed attempts did stays as it is.';
    case 'pause': return 'No new step is dispatched until the run is resumed; steps in flight finish.';
    case 'resume': return 'The run carries on where it was paused.';
    case 'compensate': return `No new step starts; the succeeded steps are undone: ${list}. ${UNWIND} The run ends FAILED or COMPENSATION_FAILED.`;
    case 'terminate': return 'The run stops. You choose whether what succeeded is left in place (it ends TERMINATED) or undone first (it ends FAILED).';
  }
}

/**
 * Terminate's two ways, as the API's `compensate` query parameter: `leave` (compensate=false) ends
 * the run TERMINATED with every effect in place; `undo` (compensate=true, the API's default) undoes
 * what succeeded and ends FAILED. The console always sends the parameter, never the default.
 */
export type TerminateMode = 'leave' | 'undo';

export interface TerminateChoice {
  mode: TerminateMode;
  compensate: boolean;
  /** The confirm button's label. */
  label: string;
  /** The option's text in the confirmation. */
  option: string;
  enabled: boolean;
  reason: string | null;
  effect: string;
}

/**
 * The steps of the run's template version that declare `undo: false`; null until that version is
 * read: listing every succeeded step as undone then named ones that stay as done.
 */
export type NoUndo = ReadonlySet<string> | null;

/** The steps an undo will undo, in the template's order (not the order they are undone in: UNWIND says that). */
function undoList(run: RunDetail, noUndo: NoUndo): string {
  const done = succeededSteps(run);
  if (noUndo === null) {
    return `not known yet: the run's template (version ${run.templateVersion}) has not been read, and of the succeeded steps `
      + `(${done.join(', ') || 'none'}) those it declares undo: false stay as done`;
  }
  const undone = done.filter((s) => !noUndo.has(s));
  const kept = done.filter((s) => noUndo.has(s));
  return (undone.length ? undone.join(', ') : 'nothing (no succeeded step has an undo)')
    + (kept.length ? `; ${kept.join(', ')} declare${kept.length === 1 ? 's' : ''} undo: false and stay${kept.length === 1 ? 's' : ''} as done` : '');
}

export function succeededSteps(run: RunDetail): string[] {
  const seen = new Set<string>();
  return run.steps.filter((s) => s.action === 'DO' && s.status === 'SUCCEEDED' && !seen.has(s.stepName) && seen.add(s.stepName))
    .sort((a, b) => a.seq - b.seq).map((s) => s.stepName);
}

const NOT_REPORTED = 'not possible now';

/** The engine's judgement of an action (its `actions` entry, undo included), decided by the rules the API applies. */
const entryOf = (run: RunDetail, action: ActionName): ActionAvailability | undefined => run.actions.find((a) => a.action === action);

function availability(run: RunDetail, action: ActionName): { enabled: boolean; reason: string | null } {
  const said = entryOf(run, action);
  const enabled = said?.allowed ?? false;
  return { enabled, reason: enabled ? null : said?.reason || NOT_REPORTED };
}

/**
 * The two ways to terminate, each with whether it applies now and what it does, as the engine
 * judges each `compensate` value (its terminate entry's `variants`): on a COMPENSATING run only
 * leaving the rest in place changes anything (it stops the compensation and ends TERMINATED).
 */
export function terminateChoices(run: RunDetail, noUndo: NoUndo = new Set()): TerminateChoice[] {
  const variant = (compensate: boolean) => {
    const said = entryOf(run, 'terminate')?.variants?.find((v) => v.compensate === compensate);
    const enabled = said?.allowed ?? false;
    return { enabled, reason: enabled ? null : said?.reason || NOT_REPORTED };
  };
  const compensating = run.status === 'COMPENSATING';
  return [
    {
      mode: 'leave', compensate: false, label: 'Terminate', ...variant(false),
      option: 'Leave what succeeded in place (ends TERMINATED)',
      effect: compensating
        ? 'The compensation stops now: no further undo is sent, and the steps not yet undone stay as done; an undo already sent may still run '
          + 'at its worker, but its reply changes nothing. The run ends TERMINATED. This cannot be reversed, and the run cannot be undone later.'
        : 'The run stops now, as it is: nothing is undone and no new step starts; a step already sent may still finish at its worker, '
          + 'but its reply changes nothing. The run ends TERMINATED with every effect left in place. This cannot be reversed, and the run cannot be undone later.',
    },
    {
      mode: 'undo', compensate: true, label: 'Terminate and undo', ...variant(true),
      option: 'Undo what succeeded (ends FAILED)',
      effect: `No new step starts; steps in flight finish first, and any that succeed are undone too. The succeeded steps are undone: ${undoList(run, noUndo)}. `
        + `${UNWIND} The run ends FAILED, or COMPENSATION_FAILED if an undo fails.`,
    },
  ];
}

export interface ActionInput {
  /** retry and skip: the step. */
  stepName?: string;
  /** retry and skip: the step's failed attempt the operator saw (lastDoAttempt): a second click, or another operator's, then changes nothing. */
  attempt?: number;
  /** skip: the output later steps see. */
  output?: unknown;
  /** Recorded on the run with who asked (not taken by undo). */
  reason?: string;
  /** terminate: which way; required, so the API's default (undo everything) is never taken by accident. */
  terminate?: TerminateMode;
}

/** The request an action makes: its path, with terminate's `compensate` spelt out, and the body its endpoint takes. */
export function actionRequest(flowId: string, action: ActionName, input: ActionInput = {}): { path: string; body: Record<string, unknown> } {
  if (action === 'undo') return { path: `/api/orchestration/undo/${flowId}`, body: {} };
  let path = `/api/orchestration/runs/${flowId}/${action}`;
  if (action === 'terminate') {
    if (!input.terminate) throw new Error('Choose whether to undo what succeeded.');
    path += `?compensate=${input.terminate === 'undo'}`;
  }
  const body: Record<string, unknown> = {};
  if ((action === 'retry' || action === 'skip') && input.stepName) {
    body.stepName = input.stepName;
    if (input.attempt !== undefined) body.attempt = input.attempt;
  }
  if (action === 'skip' && input.output !== undefined) body.output = input.output;
  if (input.reason) body.reason = input.reason;
  return { path, body };
}

/** The step's last DO attempt number in the run as shown, if it has one. */
export function lastDoAttempt(run: Pick<RunDetail, 'steps'>, stepName: string): number | undefined {
  const attempts = run.steps.filter((s) => s.action === 'DO' && s.stepName === stepName).map((s) => s.attempt);
  return attempts.length ? Math.max(...attempts) : undefined;
}

/**
 * What to tell the operator after the API accepted an action (at `at`, epoch ms): what status the
 * run was in then, or, when it answers `changed: false` (every action is idempotent), that nothing
 * changed. Dated, because the run moves on and the badge beside it will say where it is now.
 */
export function actionOutcome(label: string, response: unknown, at: number): { changed: boolean; message: string } {
  const res = (response ?? {}) as { status?: unknown; changed?: unknown };
  const status = typeof res.status === 'string' ? res.status : null;
  const when = clockTime(at);
  if (res.changed === false) {
    return {
      changed: false,
      message: `Nothing changed: at ${when} the run was already where “${label}” takes it${status ? ` (it was ${status})` : ''}.`,
    };
  }
  return { changed: true, message: status ? `${label} accepted: at ${when} the run was ${status}.` : `${label} accepted at ${when}.` };
}

/**
 * Every action with whether it applies now, and why not, as the engine's `actions` says (undo
 * included). `noUndo` names the steps whose template declares `undo: false`.
 */
export function runActions(run: RunDetail, noUndo: NoUndo = new Set()): ActionState[] {
  return ACTIONS.map((action) => {
    const { enabled, reason } = availability(run, action);
    const label = action === 'undo' && ['COMPENSATION_FAILED', 'UNDO_FAILED'].includes(run.status) ? 'Retry failed undos'
      : action[0].toUpperCase() + action.slice(1);
    return { action, label, enabled, reason, effect: effectOf(action, run, noUndo), needsStep: action === 'retry' || action === 'skip' };
  });
}

/**
 * Why a finished run's buttons are disabled, in one line beside them: each one's tooltip says it
 * too, but a tooltip shows only on hover, never on a phone. Null while the run is unfinished.
 */
export function endedNote(run: Pick<RunDetail, 'status'>, actions: readonly ActionState[]): string | null {
  if (!isTerminal(run.status)) return null;
  const open = actions.filter((a) => a.enabled).map((a) => `“${a.label}”`);
  return `This run has ended: ${open.length ? `only ${open.join(', ')} ${open.length === 1 ? 'applies' : 'apply'}` : 'no action applies'}.`;
}

/** Viewers see no action buttons, nor anyone while who they are is not known; without an identity endpoint (or auth off) everyone may act. */
export function canAct(me: Identity): boolean {
  return me === null || (me?.roles.some((r) => r === 'operator' || r === 'admin') ?? false);
}

/**
 * The steps a retry or skip can name: as the engine lists them with the action (`actions[].steps`,
 * decided by the rules the actions apply), so the console never offers one the API would refuse.
 */
export const actionableSteps = (run: RunDetail): string[] =>
  run.actions.find((a) => (a.action === 'retry' || a.action === 'skip') && a.steps)?.steps ?? [];

/** Why every action waits while Baton is unreachable. */
export const UNREACHABLE = 'Baton is unreachable: nothing can be sent until it answers again';

/**
 * Why an action cannot be asked for now, or null if it can: Baton is unreachable (`reachable`
 * false: the run shown is its last answer's, and what was sent could not be known to have
 * arrived), the run's state does not allow it, or it names a step and none has failed. Its
 * button, and its dialog's confirm button, follow it as the run moves on.
 */
export const unavailable = (action: ActionState, steps: readonly string[], reachable = true): string | null =>
  (!reachable ? UNREACHABLE
    : !action.enabled ? action.reason ?? 'not possible now' : action.needsStep && steps.length === 0 ? 'no step has failed' : null);

/** A line beside the actions saying why some of them wait: the actions it names, and its text. */
export interface WaitLine { actions: ActionName[]; text: string }

/**
 * Why an unfinished run's disabled buttons wait, said beside them: a tooltip shows only on hover,
 * never on a phone, and a disabled button takes no focus, so tabbing to it never reads its own
 * description. One line per reason, naming the actions it holds back; while Baton is unreachable,
 * one line for all of them. A finished run's are said by endedNote.
 */
export function waitLines(run: Pick<RunDetail, 'status'>, actions: readonly ActionState[], steps: readonly string[], reachable: boolean): WaitLine[] {
  const held = actions.filter((a) => unavailable(a, steps, reachable) !== null);
  if (!reachable) return held.length ? [{ actions: held.map((a) => a.action), text: `${UNREACHABLE}.` }] : [];
  if (isTerminal(run.status)) return [];
  const byReason = new Map<string, ActionState[]>();
  for (const a of held) {
    const why = unavailable(a, steps)!;
    byReason.set(why, [...(byReason.get(why) ?? []), a]);
  }
  return [...byReason].map(([why, same]) => ({ actions: same.map((a) => a.action), text: `${same.map((a) => `“${a.label}”`).join(', ')}: ${why}.` }));
}

/** The step a retry or skip starts with: the one the run says failed, else the first that did. */
export const defaultStep = (run: RunDetail, steps: readonly string[]): string =>
  (run.failedStep && steps.includes(run.failedStep) ? run.failedStep : steps[0] ?? '');
