import type { WorkerOptions } from './worker';

/** Below this, presence beats would flood Baton with upserts (every one is a database write); tests beat this fast. */
export const MIN_PRESENCE_MS = 100;

/** Whole milliseconds from `min`, or 0 where 0 means "off" (or "for ever"), as each option's documentation says. */
const RULES: Array<[keyof WorkerOptions, number, string]> = [
  ['maxReplyBytes', 1, 'a positive integer'],
  ['presenceMs', MIN_PRESENCE_MS, `an integer of at least ${MIN_PRESENCE_MS}`],
  ['autoHeartbeatMs', 0, 'an integer of 0 (off) or more'],
  ['handlerTimeoutMs', 0, 'an integer of 0 (no limit) or more'],
  ['drainTimeoutMs', 0, 'an integer of 0 (wait for ever) or more'],
];

/**
 * The numeric options a worker would otherwise take as given, each named with what it must be:
 * a `presenceMs` of 0 sent a presence beat in a tight loop, and NaN or a negative number turned
 * heartbeats and time limits off without a word.
 */
export function timingProblems(options: WorkerOptions): string[] {
  return RULES.flatMap(([name, min, rule]) => {
    const value = options[name];
    if (value === undefined || (Number.isInteger(value) && (value as number) >= min)) return [];
    return [`${name} must be ${rule}, not ${String(value)}`];
  });
}
