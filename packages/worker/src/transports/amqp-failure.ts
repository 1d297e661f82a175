import type { FailureKind } from '../failure-streak';
import { errorText } from '../logger';

/**
 * A lost or failed RabbitMQ connection, by kind: its code where it has one (ECONNREFUSED, a
 * connection.close's reply code), else its message, which amqplib keeps the same from one attempt
 * to the next. The broker turning the handshake away (ACCESS_REFUSED after a password rotation,
 * NOT_ALLOWED for a deleted vhost) is an error, as only an operator can cure it; the rest (a
 * broker restarting, a network cut) is a warning.
 */
export function amqpFailure(error: unknown): FailureKind {
  const code = (error as { code?: unknown } | null)?.code;
  const text = errorText(error);
  return {
    kind: code === undefined ? text : String(code),
    level: text.startsWith('Handshake terminated by server') ? 'error' : 'warn',
  };
}
