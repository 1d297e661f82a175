import type { Problem } from '../common/errors/app-error';

export interface TopicRules {
  /** Baton's own topics: registration, execution start, reply, run status. */
  reserved: string[];
  commandPrefix: string;
  /** ALLOWED_WORKER_TOPIC_PATTERN, when set. */
  allowed?: RegExp;
}

/**
 * A worker's topic receives Baton's commands. Were it one of Baton's own topics, every command
 * would become a registration, a run start or a reply (a worker on the start topic made 14,175
 * runs in 10 s); so those and any dead-letter topic are refused, and the rest must be under the
 * command prefix unless configuration widens it.
 */
export function workerTopicProblems(topic: string, rules: TopicRules): Problem[] {
  const path = 'topic';
  if (rules.reserved.includes(topic)) return [{ path, message: `${topic} is one of Baton's own topics` }];
  if (topic.endsWith('.DLQ') || rules.reserved.some((r) => topic.startsWith(`${r}.`))) {
    return [{ path, message: `${topic} is a dead-letter or internal topic of Baton` }];
  }
  if (topic.startsWith(rules.commandPrefix) && topic.length > rules.commandPrefix.length) return [];
  if (rules.allowed?.test(topic)) return [];
  return [{ path, message: `must start with ${rules.commandPrefix}${rules.allowed ? ` or match ${rules.allowed.source}` : ''}` }];
}
