import type { AllowedActions, Me, RunDetail } from '../api/types';

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

const UNFINISHED = ['WAITING_FOR_WORKERS', 'RUNNING', 'COMPENSATING', 'UNDOING', 'PAUSED'];

/** What each action is allowed on, when the engine does not say (older engines have no allowedActions). */
const FALLBACK: Record<ActionName, string[]> = {
  undo: ['COMPLETED', 'FAILED', 'COMPENSATION_FAILED', 'UNDO_FAILED'],
  retry: ['RUNNING', 'PAUSED'],
  skip: ['RUNNING', 'PAUSED'],
  pause: ['RUNNING', 'COMPENSATING', 'UNDOING'],
  resume: ['PAUSED'],
  compensate: ['RUNNING', 'PAUSED'],
  terminate: UNFINISHED,
};

function effectOf(action: ActionName, run: RunDetail, noUndo: ReadonlySet<string>): string {
  const done = succeededSteps(run);
  const undone = done.filter((s) => !noUndo.has(s)).reverse();
  const kept = done.filter((s) => noUndo.has(s));
  const list = (undone.length ? undone.join(', then ') : 'nothing (no succeeded step has an undo)')
    + (kept.length ? `; ${kept.join(', ')} declare${kept.length === 1 ? 's' : ''} undo: false and stay${kept.length === 1 ? 's' : ''} as done` : '');
  switch (action) {
    case 'undo':
      return run.status === 'COMPENSATION_FAILED' || run.status === 'UNDO_FAILED'
        ? 'Each failed undo gets one more attempt; the run then finishes as its compensation or undo would have.'
        : `The succeeded steps are undone in reverse order: ${list}. The run ends UNDONE, or UNDO_FAILED if an undo fails.`;
    case 'retry': return 'The chosen step is dispatched again with a new attempt; the run carries on from there.';
    case 'skip': return 'The chosen step is marked succeeded with the output you give, and the run carries on as if it had run.';
    case 'pause': return 'No new step is dispatched until the run is resumed; steps in flight finish.';
    case 'resume': return 'The run carries on where it was paused.';
    case 'compensate': return `No new step starts; the succeeded steps are undone in reverse order: ${list}. The run ends FAILED or COMPENSATION_FAILED.`;
    case 'terminate': return 'The run stops now, as it is: nothing is undone and replies still in flight are ignored. This cannot be reversed.';
  }
}

export function succeededSteps(run: RunDetail): string[] {
  const seen = new Set<string>();
  return run.steps.filter((s) => s.action === 'DO' && s.status === 'SUCCEEDED' && !seen.has(s.stepName) && seen.add(s.stepName))
    .sort((a, b) => a.seq - b.seq).map((s) => s.stepName);
}

function fromEngine(allowed: AllowedActions, action: ActionName): { enabled: boolean; reason: string | null } | undefined {
  for (const entry of allowed) {
    if (typeof entry === 'string') {
      if (entry.toLowerCase() === action) return { enabled: true, reason: null };
    } else if (entry.action.toLowerCase() === action) {
      return { enabled: entry.allowed, reason: entry.allowed ? null : entry.reason ?? null };
    }
  }
  return undefined;
}

/**
 * Every action with whether it applies now, and why not: from `allowedActions` when the engine
 * sends it, else from the status. `noUndo` names the steps whose template declares `undo: false`.
 */
export function runActions(run: RunDetail, noUndo: ReadonlySet<string> = new Set()): ActionState[] {
  return ACTIONS.map((action) => {
    const said = run.allowedActions ? fromEngine(run.allowedActions, action) : undefined;
    // The engine's list covers its operator actions; undo (its own endpoint) it does not name: the status decides.
    const enabled = said ? said.enabled : run.allowedActions && action !== 'undo' ? false : FALLBACK[action].includes(run.status);
    const reason = enabled ? null : said?.reason || `not possible while the run is ${run.status}`;
    const label = action === 'undo' && ['COMPENSATION_FAILED', 'UNDO_FAILED'].includes(run.status) ? 'Retry failed undos'
      : action[0].toUpperCase() + action.slice(1);
    return { action, label, enabled, reason, effect: effectOf(action, run, noUndo), needsStep: action === 'retry' || action === 'skip' };
  });
}

/** Viewers see no action buttons; without an identity endpoint (or auth off) everyone may act. */
export function canAct(me: Me | null): boolean {
  return me === null || me.roles.some((r) => r === 'operator' || r === 'admin');
}

/** The steps an action on one step can name: failed or in-flight DOs, newest state per step. */
export function actionableSteps(run: RunDetail): string[] {
  const last = new Map<string, string>();
  for (const s of run.steps) if (s.action === 'DO') last.set(s.stepName, s.status);
  return [...last].filter(([, status]) => status !== 'SUCCEEDED').map(([name]) => name);
}
