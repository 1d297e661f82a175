import type { KafkaLogEntry } from './kafka-shapes';

/** kafkajs's `logLevel.ERROR`: the SDK loads kafkajs only when a worker uses it, so its enum is not imported. */
const ERROR = 1;
/** kafkajs warns about this on every start; limiting retries is deliberate. */
const EXPECTED_WARNINGS = ['Limiting retries for the idempotent producer'];
/*
 * kafkajs's connection logs any CreateTopics answer with a topic error at error level, as one
 * aggregate ("Topic creation errors") that hides which error it was. Topics are created only when
 * the broker did not list them, so what is left is "already exists" from a race with another
 * instance (harmless), or a real failure, which createTopics throws to its caller.
 */
const isCreateTopicsAnswer = (namespace: string, message: string) => namespace === 'Connection' && message.startsWith('Response CreateTopics');
/**
 * A group coordinator's retriable answers, which every start, deploy and rebalance brings and which
 * kafkajs retries on its own: logged as warnings, so that an alert on errors does not fire on each deploy.
 */
const ROUTINE_COORDINATION = [
  'The group is rebalancing', 'The coordinator is loading', 'The coordinator is not available', 'This is not the correct coordinator',
];
const isRoutine = ({ error }: Record<string, unknown>) => typeof error === 'string' && ROUTINE_COORDINATION.some((e) => error.startsWith(e));
/** While the broker is down kafkajs logs every retry of every client; one line per message per window is enough. */
const REPEAT_WINDOW_MS = 30_000;

/** Where kafkajs's lines go: `message` is `[namespace] text`, `details` its fields (broker, clientId, error…). */
export type KafkaLogSink = (level: 'warn' | 'error', message: string, details: Record<string, unknown>) => void;

/**
 * kafkajs logs through the caller's logger (Baton's, or a worker's), at warn and above since its
 * info level narrates every group join, and without the flood of identical lines an outage
 * causes: the client itself reports what matters (unreachable, consumer crashed, reply failed).
 * Pass it as `logCreator`, with `logLevel: logLevel.WARN`.
 */
export function kafkaLogCreator(sink: KafkaLogSink, now: () => number = Date.now) {
  const lastLogged = new Map<string, number>();
  return (_level: number) => ({ namespace, level, log }: KafkaLogEntry) => {
    const { message, timestamp: _timestamp, logger: _logger, stack: _stack, ...details } = log;
    if (EXPECTED_WARNINGS.some((w) => message.startsWith(w))) return;
    if (isCreateTopicsAnswer(namespace, message)) return;
    const key = `${namespace}:${message.replace(/\d+(\.\d+)?/g, '#')}`; // "Restarting in 745ms" repeats too
    const last = lastLogged.get(key);
    if (last !== undefined && now() - last < REPEAT_WINDOW_MS) return;
    lastLogged.set(key, now());
    if (lastLogged.size > 1000) lastLogged.clear();
    sink(level === ERROR && !isRoutine(details) ? 'error' : 'warn', `[${namespace}] ${message}`, details);
  };
}
