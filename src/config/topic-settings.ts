import { DEAD_LETTER_SUFFIX, deadLetterTopicOf } from '../messaging/message';
import type { AppConfig } from './app-config';

/**
 * The settings that name Baton's own topics: the four it consumes or writes, and the Orca
 * adapter's two, which are Baton's even with ORCA_COMPAT off. They are the topics that
 * workerTopicRules (src/registry/worker-topic.ts) reserves; topic-settings.spec checks that the
 * two lists agree, and that every TOPIC_* or *_TOPIC setting is here.
 */
export const BATON_TOPIC_SETTINGS = [
  'TOPIC_REGISTRATION', 'TOPIC_EXECUTION_START', 'TOPIC_REPLY', 'TOPIC_RUN_STATUS', 'ORCA_REQUEST_TOPIC', 'ORCA_STATUS_TOPIC',
] as const;

type TopicSettings = Pick<AppConfig, (typeof BATON_TOPIC_SETTINGS)[number] | 'COMMAND_TOPIC_PREFIX'>;

function listed(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
}

/**
 * Why Baton's topics cannot work as set, one line each (none when they can):
 * - two settings on one topic put two handlers on one queue (a reply read as a run start);
 * - a topic named like a dead-letter topic (`<topic>.DLQ`) receives another's dead letters, or is
 *   taken for one (RabbitMQ sends `.DLQ` topics to the dead-letter exchange, registration refuses them);
 * - a topic under COMMAND_TOPIC_PREFIX is the command topic of the service the rest names, whose
 *   workers would take its messages;
 * - a prefix under one of Baton's topics (`<topic>.`) makes every worker's own command topic one
 *   that registration refuses as Baton's.
 */
export function topicProblems(c: TopicSettings): string[] {
  const problems: string[] = [];
  const topics = BATON_TOPIC_SETTINGS.map((name) => ({ name, topic: c[name] }));
  const prefix = c.COMMAND_TOPIC_PREFIX;
  for (const { name, topic } of topics) {
    const same = topics.filter((t) => t.topic === topic);
    const first = same[0].name === name;
    if (same.length > 1 && first) {
      problems.push(`${listed(same.map((t) => t.name))} are ${same.length > 2 ? 'all' : 'both'} ${topic}: each of Baton's topics needs a name of its own`);
    }
    const deadLettersOf = topics.find((t) => deadLetterTopicOf(t.topic) === topic);
    if (deadLettersOf) {
      problems.push(`${name} is ${topic}, the dead-letter topic of ${deadLettersOf.name}`);
    } else if (topic.endsWith(DEAD_LETTER_SUFFIX)) {
      problems.push(`${name} is ${topic}: a topic ending in ${DEAD_LETTER_SUFFIX} is a dead-letter topic`);
    }
    if (topic.startsWith(prefix)) {
      problems.push(`${name} (${topic}) starts with COMMAND_TOPIC_PREFIX (${prefix}), where each service's commands go (${prefix}<service>)`);
    }
    if (prefix.startsWith(`${topic}.`) && first) {
      problems.push(`COMMAND_TOPIC_PREFIX (${prefix}) is under ${name} (${topic}): registration would refuse every worker's command topic as Baton's`);
    }
  }
  return problems;
}
