import type { AppConfig } from '../config/app-config';
import { errorMessage } from '../common/errors/error-message';

/**
 * A broker Baton could not reach at start, named with the variable that points at it: amqplib and
 * kafkajs say only `connect ECONNREFUSED 127.0.0.1:55499` or `403 (ACCESS-REFUSED)`, which leaves
 * an operator guessing which dependency and which setting. RABBITMQ_URL may hold a password: only
 * its host and port are named. The original error stays the cause (an outage still reads as one).
 */
export class BrokerStartError extends Error {
  constructor(message: string, cause: unknown) {
    super(message);
    this.name = 'BrokerStartError';
    this.cause = cause;
  }
}

/** The connect failure, named for the configured broker; any other driver's as it was. */
export function brokerStartError(config: AppConfig, error: unknown): unknown {
  switch (config.MESSAGING_DRIVER) {
    case 'rabbitmq': {
      const url = config.RABBITMQ_URL ?? '';
      return new BrokerStartError(
        `Cannot connect to RabbitMQ at ${rabbitEndpoint(url)} (RABBITMQ_URL): ${withoutSecretsOf(url, errorMessage(error))}`, error);
    }
    case 'kafka':
      return new BrokerStartError(`Cannot connect to Kafka at ${config.KAFKA_BROKERS ?? ''} (KAFKA_BROKERS): ${errorMessage(error)}`, error);
    default:
      return error;
  }
}

/** host:port of an amqp(s) URL, never its user or password. */
function rabbitEndpoint(url: string): string {
  try {
    const { protocol, hostname, port } = new URL(url);
    return `${hostname}:${port || (protocol === 'amqps:' ? '5671' : '5672')}`;
  } catch {
    return 'an unreadable URL';
  }
}

/** Should a client library ever quote the URL or its password, they are masked. */
function withoutSecretsOf(url: string, message: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    // unreadable: only the whole URL is masked
  }
  let masked = url ? message.split(url).join('amqp://***') : message;
  for (const secret of new Set([password, safeDecode(password)])) {
    if (secret.length >= 3) masked = masked.split(secret).join('***');
  }
  return masked;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
