import type { z } from 'zod';
import { notJson } from '../../common/text/not-json';
import { PoisonMessageError } from '../../messaging/message';

/** Parses a JSON message body against a schema; anything else can never succeed, so it is poison. */
export function parseMessage<T extends z.ZodType>(schema: T, body: Buffer): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (e) {
    // Without the parser's message: it quotes the body, which reaches a log line and the dead letter.
    throw new PoisonMessageError(notJson(e));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
    throw new PoisonMessageError(`invalid message: ${problems.join('; ')}`);
  }
  return parsed.data;
}
