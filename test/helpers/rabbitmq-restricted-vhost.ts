import { randomBytes } from 'node:crypto';
import { servicesTool } from './readme-commands';

export interface RestrictedVhost {
  /** The user's URL into the vhost. */
  url: string;
  remove(): Promise<void>;
}

/**
 * A vhost of its own, and a user held in it to `write` (a regex of exchange names) and to a
 * regex of routing keys per exchange (`topics`; Erlang's re, lookaheads allowed): what they do
 * not allow, RabbitMQ refuses (403 ACCESS_REFUSED), closing the publishing channel.
 */
export async function restrictedVhost(prefix: string, write: string, topics: Record<string, string>): Promise<RestrictedVhost> {
  const url = process.env.RABBITMQ_URL;
  if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');
  const suffix = randomBytes(4).toString('hex');
  const vhost = `${prefix}-${suffix}`;
  const user = `baton-${prefix}-${suffix}`;
  const password = randomBytes(16).toString('hex');
  await servicesTool('rabbitmqctl', ['add_vhost', vhost]);
  await servicesTool('rabbitmqctl', ['add_user', user, password]);
  await servicesTool('rabbitmqctl', ['set_permissions', '-p', vhost, user, '.*', write, '.*']);
  for (const [exchange, keys] of Object.entries(topics)) {
    await servicesTool('rabbitmqctl', ['set_topic_permissions', '-p', vhost, user, exchange, keys, '.*']);
  }
  const own = new URL(url);
  own.username = user;
  own.password = password;
  own.pathname = `/${vhost}`;
  return {
    url: own.toString(),
    remove: async () => {
      await servicesTool('rabbitmqctl', ['delete_vhost', vhost]).catch(() => undefined);
      await servicesTool('rabbitmqctl', ['delete_user', user]).catch(() => undefined);
    },
  };
}
