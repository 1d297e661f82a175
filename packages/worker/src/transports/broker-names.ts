/** Baton's defaults; change them only if Baton's COMMAND_TOPIC_PREFIX / TOPIC_REPLY were changed. */
export const DEFAULT_COMMAND_TOPIC_PREFIX = 'orchestrator.commands.';
export const DEFAULT_REPLY_TOPIC = 'orchestrator.reply';
/** Baton's RABBITMQ_EXCHANGE. */
export const DEFAULT_EXCHANGE = 'baton';

export interface BrokerNames {
  /** Baton's COMMAND_TOPIC_PREFIX: commands come on prefix + service. Default `orchestrator.commands.`. */
  commandTopicPrefix?: string;
  /** Baton's TOPIC_REPLY. Default `orchestrator.reply`. */
  replyTopic?: string;
}

export function commandTopicOf(service: string, names: BrokerNames): string {
  return `${names.commandTopicPrefix ?? DEFAULT_COMMAND_TOPIC_PREFIX}${service}`;
}

/** Loads an optional peer dependency, with an install hint when it is missing. */
export function loadPeer<T>(name: 'kafkajs' | 'amqplib'): T {
  try {
    return require(name) as T; // eslint-disable-line @typescript-eslint/no-require-imports -- optional peer, loaded only when used
  } catch {
    throw new Error(`This transport needs the "${name}" package: npm install ${name}`);
  }
}
