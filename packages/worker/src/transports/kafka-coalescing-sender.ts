import type { KafkaBatchProducer, KafkaOutgoingMessage } from './kafka-shapes';
import { withTimeout } from '../with-timeout';
import { isKafkaRefusal } from './kafka-refusal';

/** One message and the topic it goes to. */
export interface TopicMessage {
  topic: string;
  message: KafkaOutgoingMessage;
}

export interface CoalescingSenderOptions {
  /** Messages in one request, at most. */
  maxMessages: number;
  /** Bytes in one request, at most, unless one message alone is larger: a partition's record batch must stay under the broker's 1 MB. */
  maxBytes: number;
  /**
   * A request that has not been acknowledged by then fails, whatever kafkajs's own retries (each
   * bounded by its request timeout) would still try.
   */
  timeoutMs: number;
  /** Runs before each request with the topics it sends to (Baton creates its topics there). */
  beforeRequest?: (topics: string[]) => Promise<void>;
}

interface Waiting {
  messages: TopicMessage[];
  /** How many of `messages` went out in earlier requests (a send larger than one request). */
  sent: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** One send's messages in a request: `waiting.messages` from `from` up to (not including) `to`. */
interface Part {
  waiting: Waiting;
  from: number;
  to: number;
}

/**
 * Sends through one producer, one request at a time (acks=all), coalescing the sends that come
 * while a request is out into the next one (group commit). Many small sends become few large
 * requests, and the order of sends holds, even across retries, without relying on kafkajs's
 * idempotent producer under concurrency. Baton's publisher and the worker SDK's replies both
 * send through it.
 *
 * After a failed request the producer is replaced, once for all the sends in it. An idempotent
 * producer whose request failed in flight (a broker restart, the timeout) can keep its old
 * sequence numbers and be refused on that partition for good (Baton's fault suite saw run status
 * events stuck after a Kafka restart); a new producer gets a new producer id and starts clean.
 * The caller sends a failed send again (Baton's outbox; the worker's command comes back). The
 * sends waiting behind a failed request are not failed with it: they go in the next request, on
 * the new producer, so a send made after a failed one can land before the failed one's retry.
 * Order holds between the sends of one caller that waits for each; no more is promised.
 *
 * A refusal is the refused send's alone: the broker answers a request for all of it, so one message
 * it refuses (over a topic's size limit, to a topic the client may not write) would fail every send
 * coalesced with it. After a refusal the request's sends go again one by one (sendApart), but those
 * to a topic refused as a whole fail without a request: they would all be refused alike.
 *
 * A refused request replaces the producer too, unless it cannot have been written in part. The
 * broker answers each partition apart, and kafkajs, on a request that failed anywhere, takes back
 * the sequence numbers of every partition in it, the written ones too: the next batch to one of
 * those would reuse sequence numbers, and the broker would drop it as a duplicate (acknowledged,
 * not written) or refuse it as out of order. A request that held one message, or went to one topic
 * refused as a whole, wrote nothing (nor did a refusal when kafkajs fetched the topic's metadata,
 * before any produce), so its producer's sequence numbers are right.
 *
 * Such a producer stays after a refusal of messages (over a size limit), not of a topic as a
 * whole. A kafkajs producer asks for the metadata of every topic it ever sent to, on each
 * refresh, and fails the whole refresh with the first topic's error: once the client may no
 * longer describe a topic it wrote to before, every send on that producer is refused for that
 * topic, whatever its own, and only a new producer forgets it. This costs one new producer per
 * refused request, not one per send: the sends apart that follow all go on it.
 */
export class KafkaCoalescingSender {
  private producer: KafkaBatchProducer;
  private ready?: Promise<void>;
  private waiting: Waiting[] = [];
  private sending = false;
  /** Between disconnect() and the next connect(): nothing more goes out, so no producer is connected after a close. */
  private closed = false;

  constructor(private readonly newProducer: () => KafkaBatchProducer, private readonly options: CoalescingSenderOptions) {
    this.producer = newProducer();
  }

  /** Connects the current producer (again, after a disconnect); a connect that failed is tried again by the next request. */
  connect(): Promise<void> {
    this.closed = false;
    return this.connected();
  }

  disconnect(): Promise<void> {
    this.closed = true;
    this.ready = undefined;
    return this.producer.disconnect();
  }

  /** Resolves once the brokers acknowledged every message; rejects if a request holding one of them failed. */
  send(messages: TopicMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ messages, sent: 0, resolve, reject });
      if (!this.sending) void this.sendAll();
    });
  }

  private connected(): Promise<void> {
    const ready = this.ready ??= this.producer.connect().catch((error: unknown) => {
      if (this.ready === ready) this.ready = undefined;
      throw error;
    });
    return ready;
  }

  private async sendAll(): Promise<void> {
    this.sending = true;
    try {
      // Yield first: the sends of the same turn (one batch's handlers, one relay pass) go in the first request.
      await Promise.resolve();
      while (this.waiting.length > 0) {
        if (this.closed) throw new Error('Kafka sender closed');
        const { messages, parts, finished } = this.nextRequest();
        const producer = this.producer;
        try {
          await this.request(producer, messages);
          for (const w of this.waiting.splice(0, finished)) w.resolve();
        } catch (error) {
          if (!wroteNothing(error, messages) || refusesATopic(error)) this.renew(producer);
          if (parts.length > 1 && isKafkaRefusal(error)) await this.sendApart(parts, { error, messages });
          else for (const w of this.waiting.splice(0, parts.length)) w.reject(error);
        }
      }
    } catch (error) {
      // Closed, or a producer that could not be made (kafkajs refused its options): nothing waiting can go.
      for (const w of this.waiting.splice(0)) w.reject(error);
    } finally {
      this.sending = false;
    }
  }

  /**
   * The next request's messages, within the bounds and at least one, from the sends at the head of
   * the queue: each of `parts` gives messages to it, and the first `finished` of them it completes.
   */
  private nextRequest(): { messages: TopicMessage[]; parts: Part[]; finished: number } {
    const messages: TopicMessage[] = [];
    const parts: Part[] = [];
    let bytes = 0;
    let finished = 0;
    for (const w of this.waiting) {
      const from = w.sent;
      while (w.sent < w.messages.length && messages.length < this.options.maxMessages) {
        const size = sizeOf(w.messages[w.sent].message);
        if (messages.length > 0 && bytes + size > this.options.maxBytes) break;
        bytes += size;
        messages.push(w.messages[w.sent++]);
      }
      if (w.sent > from) parts.push({ waiting: w, from, to: w.sent });
      if (w.sent < w.messages.length) break;
      finished++;
    }
    return { messages, parts, finished };
  }

  /**
   * The sends of a refused request (the head of the queue) again, each in a request of its own, in
   * order: the refused fail, the others go out. The broker may have written some of them already
   * (it answers per partition), so those go twice; delivery is at least once, and readers
   * deduplicate (Baton by x-message-id, a reply by its command). Once one fails with anything but
   * a refusal (the broker went away), the rest fail with it rather than each wait it out. A send to
   * a topic refused as a whole (by the refused request, or by one of these alone) fails with that
   * refusal unsent, so that a topic the client may not write costs one request, not one per send.
   */
  private async sendApart(parts: Part[], refused: { error: unknown; messages: TopicMessage[] }): Promise<void> {
    const refusals: TopicRefusals = new Map();
    noteTopicRefusal(refusals, refused.error, refused.messages);
    let outage: { error: unknown } | undefined;
    let goesOn = false;
    for (const { waiting, from, to } of parts) {
      const messages = waiting.messages.slice(from, to);
      const failed = outage ?? messages.map((m) => refusals.get(m.topic)).find(Boolean);
      if (failed) {
        waiting.reject(failed.error);
        continue;
      }
      const producer = this.producer;
      try {
        await this.request(producer, messages);
        if (waiting.sent === waiting.messages.length) waiting.resolve();
        else goesOn = true; // the last part, whose send has messages for the next request
      } catch (error) {
        // Not for a topic refused as a whole: sendAll replaced the producer before this pass (its
        // request held several messages), and the new one has only sent to this pass's topics.
        if (!wroteNothing(error, messages)) this.renew(producer);
        waiting.reject(error);
        if (!isKafkaRefusal(error)) outage = { error };
        noteTopicRefusal(refusals, error, messages);
      }
    }
    this.waiting.splice(0, goesOn ? parts.length - 1 : parts.length);
  }

  private async request(producer: KafkaBatchProducer, messages: TopicMessage[]): Promise<void> {
    const byTopic = new Map<string, { topic: string; messages: KafkaOutgoingMessage[] }>();
    for (const { topic, message } of messages) {
      let entry = byTopic.get(topic);
      if (!entry) byTopic.set(topic, (entry = { topic, messages: [] }));
      entry.messages.push(message);
    }
    const sent = (async () => {
      await this.options.beforeRequest?.([...byTopic.keys()]);
      if (this.closed) throw new Error('Kafka sender closed');
      await this.connected();
      await producer.sendBatch({ topicMessages: [...byTopic.values()], acks: -1 });
    })();
    await withTimeout(sent, this.options.timeoutMs, 'Kafka send');
  }

  private renew(failed: KafkaBatchProducer): void {
    if (this.producer !== failed) return;
    this.producer = this.newProducer();
    this.ready = undefined;
    void failed.disconnect().catch(() => undefined);
  }
}

/** Refusals of a topic itself (the client may not write to it, or it cannot exist), not of some of its messages. */
const TOPIC_REFUSAL_TYPES: ReadonlySet<string> = new Set(['TOPIC_AUTHORIZATION_FAILED', 'INVALID_TOPIC_EXCEPTION']);

/** How deep in an error's causes kafkajs puts the broker's answer, at most (as isKafkaRefusal looks). */
const MAX_CAUSE_DEPTH = 5;

/** Topics refused as a whole, each with its refusal. */
type TopicRefusals = Map<string, { error: unknown }>;

/** Whether a failed request went to one topic, which the broker refused as a whole. */
function refusesTopic(error: unknown, messages: TopicMessage[]): boolean {
  return messages.every((m) => m.topic === messages[0].topic) && refusesATopic(error);
}

/**
 * Whether the broker refused a topic as a whole: maybe one the request did not send to, when it
 * came from the producer's metadata refresh, which asks for all the topics it ever sent to.
 */
function refusesATopic(error: unknown): boolean {
  if (!isKafkaRefusal(error)) return false;
  let e = error as { type?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && e && typeof e === 'object'; depth++, e = e.cause as typeof e) {
    if (typeof e.type === 'string' && TOPIC_REFUSAL_TYPES.has(e.type)) return true;
  }
  return false;
}

/** Records the topic a failed request was refused for as a whole, with the refusal. */
function noteTopicRefusal(refusals: TopicRefusals, error: unknown, messages: TopicMessage[]): void {
  if (refusesTopic(error, messages)) refusals.set(messages[0].topic, { error });
}

/** Whether a refused request cannot have been written in part: one message (one partition), or every partition of its one topic refused. */
function wroteNothing(error: unknown, messages: TopicMessage[]): boolean {
  return isKafkaRefusal(error) && (messages.length === 1 || refusesTopic(error, messages));
}

function sizeOf({ key, value, headers }: KafkaOutgoingMessage): number {
  let bytes = byteLength(value) + byteLength(key);
  for (const [name, text] of Object.entries(headers ?? {})) bytes += name.length + byteLength(text);
  return bytes;
}

function byteLength(data: unknown): number {
  if (data === null || data === undefined) return 0;
  if (Buffer.isBuffer(data)) return data.length;
  if (Array.isArray(data)) return data.reduce((sum: number, d) => sum + byteLength(d), 0);
  return Buffer.byteLength(String(data));
}
