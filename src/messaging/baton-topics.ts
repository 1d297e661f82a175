import type { AppConfig } from '../config/app-config';
import { deadLetterTopicOf } from './message';

type TopicConfig = Pick<AppConfig, 'TOPIC_REGISTRATION' | 'TOPIC_EXECUTION_START' | 'TOPIC_REPLY' | 'TOPIC_RUN_STATUS'>;

/**
 * Baton's own topics and their dead-letter topics, created when the broker connection opens: a
 * subscriber that comes before Baton's first message (to run status, say) must find its topic.
 * Worker command topics are created on first use, as workers register them.
 */
export function batonTopics(config: TopicConfig): string[] {
  const consumed = [config.TOPIC_REGISTRATION, config.TOPIC_EXECUTION_START, config.TOPIC_REPLY];
  return [...consumed, ...consumed.map(deadLetterTopicOf), config.TOPIC_RUN_STATUS];
}
