import { MAX_NAME_LENGTH, NAME_PATTERN, NAME_RULE } from './registration-document.schema';

/**
 * A service name becomes the command topic `<COMMAND_TOPIC_PREFIX><service>`, a consumer group
 * and the path of its HTTP pollers: a name Kafka cannot take as a topic (`a b`, `team/x`) would
 * stall the outbox relay. So a header, a document and a token all name services by one rule,
 * the one API keys are issued under.
 */
export const isServiceName = (name: string): boolean => name.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(name);

export const SERVICE_NAME_RULE = `${NAME_RULE}, at most ${MAX_NAME_LENGTH} characters`;
