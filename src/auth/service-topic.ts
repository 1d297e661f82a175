import type { Problem } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { DEAD_LETTER_SUFFIX } from '../messaging/message';
import { NAME_PATTERN } from '../registry/document/registration-document.schema';
import { workerTopicProblems, workerTopicRules, type TopicRules } from '../registry/worker-topic';

/** What a service name a key or token proves is checked against: the worker-topic rules, and Baton's CONSUMER_GROUP. */
export interface ServiceRules extends TopicRules {
  consumerGroup: string;
}

export function serviceRulesOf(config: Parameters<typeof workerTopicRules>[0] & Pick<AppConfig, 'CONSUMER_GROUP'>): ServiceRules {
  return { ...workerTopicRules(config), consumerGroup: config.CONSUMER_GROUP };
}

/**
 * Why a service cannot be proven by an API key or a token's service claim: its name is in Baton's
 * own consumer-group namespace (ownGroupProblem), or its command topic is refused (serviceTopicProblem).
 * A poll refuses both too, for the keys issued before this rule.
 */
export function provenServiceProblem(service: string, rules: ServiceRules, path: string): Problem | undefined {
  return ownGroupProblem(service, rules.consumerGroup, path) ?? serviceTopicProblem(service, rules, path);
}

/**
 * Baton consumes for a service's pollers in the Kafka group named after the service, and its own
 * subscriptions' groups are `<CONSUMER_GROUP>.<topic>`: a service named `baton-engine.orchestrator.reply`
 * would join Baton's reply consumers and take its replies.
 */
export function ownGroupProblem(service: string, consumerGroup: string, path: string): Problem | undefined {
  if (service !== consumerGroup && !service.startsWith(`${consumerGroup}.`)) return undefined;
  return { path, message: `must not be ${consumerGroup} or start with ${consumerGroup}.: Baton's own consumer groups` };
}

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
