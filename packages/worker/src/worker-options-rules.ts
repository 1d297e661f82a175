import { batonUrlProblem } from './baton-client';
import { NAME, NAME_RULE } from './names';
import { amqpUrlProblem } from './transports/amqp-url';
import { UNKNOWN_TRANSPORT } from './transports/create-transport';
import type { WorkerOptions } from './worker';


/** Below this, presence beats would flood Baton with upserts (every one is a database write); tests beat this fast. */
export const MIN_PRESENCE_MS = 100;

/** Node fires a timer set longer than this after 1 ms: a presence beat or heartbeat in a tight loop again. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const upTo = `up to ${MAX_TIMER_MS} (Node's longest timer)`;

/** Integers from `min` to `max`; 0 where it means "off" (or "for ever"), as each option's documentation says. */
const RULES: Array<[keyof WorkerOptions, number, number, string]> = [
  ['concurrency', 1, 10_000, 'an integer from 1 to 10000'],
  ['maxReplyBytes', 1, Number.MAX_SAFE_INTEGER, 'a positive integer'],
  ['presenceMs', MIN_PRESENCE_MS, MAX_TIMER_MS, `an integer from ${MIN_PRESENCE_MS} ${upTo}`],
  ['autoHeartbeatMs', 0, MAX_TIMER_MS, `an integer from 0 (off) ${upTo}`],
  ['handlerTimeoutMs', 0, MAX_TIMER_MS, `an integer from 0 (no limit) ${upTo}`],
  ['drainTimeoutMs', 0, MAX_TIMER_MS, `an integer from 0 (wait for ever) ${upTo}`],
];

/**
 * Every problem with a worker's options, each named with what it must be, so that one attempt
 * shows them all: a `presenceMs` of 0 sent a presence beat in a tight loop, NaN or a negative
 * number turned heartbeats and time limits off without a word, and a bad URL failed only at
 * start().
 */
export function optionProblems(options: WorkerOptions): string[] {
  const problems: string[] = [];
  if (typeof options.service !== 'string' || !NAME.test(options.service)) {
    problems.push(`Invalid service name ${String(options.service)}: ${NAME_RULE}`);
  }
  for (const [name, min, max, rule] of RULES) {
    const value = options[name];
    if (value === undefined || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) continue;
    problems.push(`${name} must be ${rule}, not ${String(value)}`);
  }
  if (typeof options.transport === 'string' && options.transport !== 'http') problems.push(UNKNOWN_TRANSPORT);
  const rabbitmq = rabbitMqOf(options.transport);
  if (rabbitmq) {
    const problem = amqpUrlProblem(rabbitmq.url, 'transport.rabbitmq.url');
    if (problem) problems.push(problem);
  }
  if (options.baton) {
    const problem = batonUrlProblem(options.baton.url);
    if (problem) problems.push(problem);
  } else if (!options.control) {
    problems.push('Give baton: {url} (or a control of your own)');
  }
  return problems;
}

/** The RabbitMQ transport's options, when that is the transport chosen (a plain JavaScript caller may pass anything). */
function rabbitMqOf(transport: unknown): { url?: unknown } | undefined {
  if (typeof transport !== 'object' || transport === null || !('rabbitmq' in transport)) return undefined;
  const { rabbitmq } = transport as { rabbitmq: unknown };
  return typeof rabbitmq === 'object' && rabbitmq !== null ? rabbitmq : {};
}
