import { OutputNotJsonError, OutputRefusedError, type NonRetryableError } from './errors';
import type { WireReply } from './wire';

/*
 * Baton's rules for what a reply carries (its step-reply schema). A reply that breaks one is
 * refused (400 or 413 over HTTP, a dead letter on a broker) however often it is sent, and a
 * recorded output would be replayed, and refused, at every delivery until the step timed out.
 */

/** Deepest nesting Baton takes in an output, the top level being 1 (its RUN_PAYLOAD_MAX_DEPTH). */
export const OUTPUT_MAX_DEPTH = 100;

/** Baton keeps this many characters of a reply's error: the rest would only make the reply bigger. */
export const ERROR_MAX_LENGTH = 10_000;

/**
 * The largest reply, as bytes of JSON, each broker transport carries to Baton by default: a broker
 * that refuses a publish gives no answer the worker could act on, so the reply would be handled
 * again at every delivery. Over HTTP there is none: Baton answers a body over its
 * BODY_LIMIT_BYTES (which a deployment may raise) with a 413, and the reply becomes REPLY_REFUSED.
 */
export const DEFAULT_MAX_REPLY_BYTES = {
  /** The brokers' default message.max.bytes (1 MiB and a record batch's header), less 8 KiB for the batch and headers. */
  kafka: 1024 * 1024 - 8 * 1024,
  /** RabbitMQ 4's max_message_size (RabbitMQ 3 allows 128 MiB). */
  rabbitmq: 16 * 1024 * 1024,
} as const;

/** PostgreSQL stores neither NUL nor a lone UTF-16 surrogate, in a string or a key (Baton's UNSTORABLE). */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why Baton would refuse this reply's output, or undefined when it takes it. The output is checked
 * as Baton receives it (after JSON, so `toJSON` and dropped `undefined`s count), and the size is
 * that of the whole reply, the body Baton's limit applies to.
 */
export function outputProblem(reply: WireReply, maxReplyBytes: number): NonRetryableError | undefined {
  let text: string;
  try {
    text = JSON.stringify(reply);
  } catch (error) {
    return new OutputNotJsonError(error);
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > maxReplyBytes) {
    return new OutputRefusedError(`the reply carrying the output is ${bytes} bytes of JSON, over maxReplyBytes (${maxReplyBytes})`);
  }
  const shape = shapeProblem((JSON.parse(text) as WireReply).output);
  return shape ? new OutputRefusedError(shape) : undefined;
}

/** An error text cut to what Baton keeps, never inside a surrogate pair. */
export function errorForReply(text: string): string {
  if (text.length <= ERROR_MAX_LENGTH) return text;
  return text.slice(0, /[\uD800-\uDBFF]/.test(text[ERROR_MAX_LENGTH - 1]) ? ERROR_MAX_LENGTH - 1 : ERROR_MAX_LENGTH);
}

/** The first problem Baton would name; an explicit stack, so that a deep output cannot overflow this walk. */
function shapeProblem(output: unknown): string | undefined {
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: output, path: 'output', depth: 0 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (typeof node === 'string') {
      const reason = unstorable(node);
      if (reason) return `${path} ${reason}`;
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > OUTPUT_MAX_DEPTH) return `output nests deeper than ${OUTPUT_MAX_DEPTH} levels (at ${path})`;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(node);
    for (const [key] of entries) {
      const reason = unstorable(key);
      // Quoted as JSON: the message must not carry the very character it complains of.
      if (reason) return `${path}[${JSON.stringify(key)}] key ${reason}`;
    }
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ node: entries[i][1], path: `${path}.${entries[i][0]}`, depth: depth + 1 });
  }
  return undefined;
}

function unstorable(text: string): string | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  const what = found[0] === '\u0000' ? 'a NUL character (\\u0000)' : 'an unpaired UTF-16 surrogate';
  return `contains ${what} at ${found.index}, which Baton cannot store`;
}
