import type { Problem } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { queueOf } from '../messaging/drivers/rabbitmq/rabbitmq-topology';
import { deadLetterTopicOf } from '../messaging/message';

/** RabbitMQ's longest queue name and routing key, in bytes (AMQP's short string). */
export const RABBITMQ_MAX_NAME_BYTES = 255;

export interface TopicRules {
  /** Baton's own topics: registration, execution start, reply, run status, and the Orca adapter's two. */
  reserved: string[];
  commandPrefix: string;
  /** ALLOWED_WORKER_TOPIC_PATTERN, when set, anchored to match a whole topic. */
  allowed?: RegExp;
}

type TopicSettings = Pick<AppConfig, 'TOPIC_REGISTRATION' | 'TOPIC_EXECUTION_START' | 'TOPIC_REPLY' | 'TOPIC_RUN_STATUS'
  | 'ORCA_REQUEST_TOPIC' | 'ORCA_STATUS_TOPIC' | 'COMMAND_TOPIC_PREFIX' | 'ALLOWED_WORKER_TOPIC_PATTERN'>;

/**
 * The rules from the settings. Orca's topics are reserved even with ORCA_COMPAT off, so turning the
 * adapter on never finds a worker already registered on them (its commands would reach Orca's
 * clients as status events). The pattern must match the whole topic, as an operator reads it:
 * unanchored, `legacy` would admit any topic merely containing it, such as `payments.legacy`.
 */
export function workerTopicRules(c: TopicSettings): TopicRules {
  return {
    reserved: [c.TOPIC_REGISTRATION, c.TOPIC_EXECUTION_START, c.TOPIC_REPLY, c.TOPIC_RUN_STATUS, c.ORCA_REQUEST_TOPIC, c.ORCA_STATUS_TOPIC],
    commandPrefix: c.COMMAND_TOPIC_PREFIX,
    allowed: c.ALLOWED_WORKER_TOPIC_PATTERN ? new RegExp(`^(?:${c.ALLOWED_WORKER_TOPIC_PATTERN})$`) : undefined,
  };
}

/**
 * A worker's topic receives Baton's commands. Were it one of Baton's own topics, every command
 * would become a registration, a run start or a reply (a worker on the start topic made 14,175
 * runs in 10 s); so those and any dead-letter topic are refused. Under the command prefix a
 * service may take only its own topic: another's is read by that service's consumer group and
 * HTTP pollers, so naming it would hand them these commands. No sub-topics either, since service
 * names contain dots: `<prefix>a.b` is service `a.b`'s own topic. The rest must match the
 * configured pattern.
 */
export function workerTopicProblems(topic: string, service: string, rules: TopicRules): Problem[] {
  const path = 'topic';
  if (rules.reserved.includes(topic)) return [{ path, message: `${topic} is one of Baton's own topics` }];
  if (topic.endsWith('.DLQ') || rules.reserved.some((r) => topic.startsWith(`${r}.`))) {
    return [{ path, message: `${topic} is a dead-letter or internal topic of Baton` }];
  }
  const own = `${rules.commandPrefix}${service}`;
  if (topic === own) return [];
  if (topic.startsWith(rules.commandPrefix)) return [{ path, message: `under ${rules.commandPrefix} the topic of ${service} is ${own} only` }];
  if (rules.allowed?.test(topic)) return [];
  return [{ path, message: `must be ${own}${rules.allowed ? ` or match ${rules.allowed.source}` : ''}` }];
}

/**
 * A topic matching ALLOWED_WORKER_TOPIC_PATTERN is no service's by its name, as `<prefix><service>`
 * is: the first service registered on it holds it. Another there would be bound to it (on RabbitMQ
 * its own queue `<service>.<topic>`) and receive a copy of each command for the first, payloads
 * included. So a pattern topic another service has registrations on is refused: the answer of
 * `taken`, asked only of a topic outside the command prefix. Unnamed: a service key learns no other service's names.
 */
export async function takenTopicProblem(topic: string, commandPrefix: string, taken: () => Promise<boolean>): Promise<Problem | undefined> {
  if (topic.startsWith(commandPrefix) || !(await taken())) return undefined;
  return { path: 'topic', message: `${topic} carries another service's commands: register on a topic of your own` };
}

/**
 * On RabbitMQ a service consumes its commands from the queue `<service>.<topic>` (Baton's drivers
 * and the SDK name it alike), and parks dead letters in `<topic>.DLQ`: a name over 255 bytes is
 * refused by the broker, so the worker would never receive a command and every run would time
 * out. Refused whatever the broker Baton runs on now: a registration outlives a move to RabbitMQ.
 * `field`: where the problem points, the topic's or (for the service's own topic, which its name
 * alone makes too long) the service name's.
 */
export function commandQueueProblem(topic: string, service: string, field: string): Problem | undefined {
  const queue = queueOf(service, topic);
  const bytes = Math.max(...[queue, deadLetterTopicOf(topic)].map((name) => Buffer.byteLength(name, 'utf8')));
  if (bytes <= RABBITMQ_MAX_NAME_BYTES) return undefined;
  return { path: field, message: `makes the RabbitMQ command queue ${queue.slice(0, 60)}… ${bytes} bytes long, `
    + `and RabbitMQ allows ${RABBITMQ_MAX_NAME_BYTES}: use a shorter name` };
}
