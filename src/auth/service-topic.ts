import type { Problem } from '../common/errors/app-error';
import { DEAD_LETTER_SUFFIX } from '../messaging/message';
import { NAME_PATTERN } from '../registry/document/registration-document.schema';
import { workerTopicProblems, type TopicRules } from '../registry/worker-topic';

/**
 * Why a service cannot be proven (by an API key or a token's service claim) nor polled for: its
 * command topic `<COMMAND_TOPIC_PREFIX><service>` is one registration refuses as a worker's, such
 * as `svc-a.DLQ`, svc-a's dead letters. Baton subscribes a poller's command topic with its own
 * broker user: on RabbitMQ that binds a new queue to the dead-letter exchange (a copy of every
 * later dead letter, payloads included), on Kafka the group reads the retained ones.
 */
export function serviceTopicProblem(service: string, rules: TopicRules, path: string): Problem | undefined {
  const [problem] = workerTopicProblems(`${rules.commandPrefix}${service}`, service, rules);
  return problem && { path, message: `its command topic ${problem.message}` };
}

/**
 * serviceTopicProblem's rule as far as the schema of a field the server checks with it can say it
 * without the settings: neither `DLQ` (below a COMMAND_TOPIC_PREFIX ending in a dot, as it does
 * unless set otherwise, a dead-letter topic too) nor a name ending in `.DLQ`.
 */
export const TOPIC_SERVICE_NAME_PATTERN = new RegExp(`^(?!(?:.*\\.)?${DEAD_LETTER_SUFFIX.slice(1)}$)${NAME_PATTERN.source.slice(1)}`);
