import type { WorkerOptions } from './worker';

/** Below this, presence beats would flood Baton with upserts (every one is a database write); tests beat this fast. */
export const MIN_PRESENCE_MS = 100;

/** Node fires a timer set longer than this after 1 ms: a presence beat or heartbeat in a tight loop again. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const upTo = `up to ${MAX_TIMER_MS} (Node's longest timer)`;

/** Integers from `min` to `max`; 0 where it means "off" (or "for ever"), as each option's documentation says. */
const RULES: Array<[keyof WorkerOptions, number, number, string]> = [
  ['maxReplyBytes', 1, Number.MAX_SAFE_INTEGER, 'a positive integer'],
  ['presenceMs', MIN_PRESENCE_MS, MAX_TIMER_MS, `an integer from ${MIN_PRESENCE_MS} ${upTo}`],
  ['autoHeartbeatMs', 0, MAX_TIMER_MS, `an integer from 0 (off) ${upTo}`],
  ['handlerTimeoutMs', 0, MAX_TIMER_MS, `an integer from 0 (no limit) ${upTo}`],
  ['drainTimeoutMs', 0, MAX_TIMER_MS, `an integer from 0 (wait for ever) ${upTo}`],
];

/**
 * The numeric options a worker would otherwise take as given, each named with what it must be:
 * a `presenceMs` of 0 sent a presence beat in a tight loop, and NaN or a negative number turned
 * heartbeats and time limits off without a word.
 */
export function optionProblems(options: WorkerOptions): string[] {
  return RULES.flatMap(([name, min, max, rule]) => {
    const value = options[name];
    if (value === undefined || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) return [];
    return [`${name} must be ${rule}, not ${String(value)}`];
  });
}
