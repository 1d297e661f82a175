import { amqpUrlProblem } from './amqp-url';

/** Missing heartbeats for twice this long mark a connection dead even without a TCP reset (a cut link, a dropped NAT entry). */
export const AMQP_HEARTBEAT_SECONDS = 10;

/**
 * The URL with `heartbeat` set, unless it sets one itself. Without it amqplib takes the server's
 * (RabbitMQ's default is 60 s), so a half-open connection goes unnoticed for two minutes.
 */
export function withHeartbeat(url: string, seconds = AMQP_HEARTBEAT_SECONDS): string {
  const problem = amqpUrlProblem(url, 'the RabbitMQ URL');
  // Thrown before new URL() can: its error's `input` would carry the whole URL, password included.
  if (problem) throw new Error(problem);
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
  return parsed.toString();
}
