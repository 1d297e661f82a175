import type { Message, Producer } from 'kafkajs';

/** A request stays well under the broker's 1 MB for a partition's record batch. */
const MAX_REQUEST_MESSAGES = 500;
const MAX_REQUEST_BYTES = 512 * 1024;

interface Waiting {
  message: Message;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Sends replies through one idempotent producer, one request at a time: the replies that come
 * while a request is out go together in the next one (group commit), so a worker running many
 * handlers sends a request per round trip rather than one per reply, which its one request in
 * flight would queue one behind another anyway.
 *
 * An idempotent producer whose send failed in flight (a broker restart, a timeout) can keep its
 * old sequence numbers and be refused on that partition for good: Baton's own publisher met it
 * after a Kafka restart. After a failed request the producer is replaced, once for all the replies
 * in it; a new one gets a new producer id and starts clean, and each failed reply comes again with
 * its command.
 */
export class KafkaReplySender {
  private producer: Producer;
  private ready?: Promise<void>;
  private waiting: Waiting[] = [];
  private sending = false;

  constructor(private readonly newProducer: () => Producer, private readonly topic: string) {
    this.producer = newProducer();
  }

  /** Connects the current producer; a connect that failed is tried again by the next request. */
  connect(): Promise<void> {
    const ready = this.ready ??= this.producer.connect().catch((error: unknown) => {
      if (this.ready === ready) this.ready = undefined;
      throw error;
    });
    return ready;
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Resolves once the brokers acknowledged the reply (acks=all). */
  send(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ message, resolve, reject });
      if (!this.sending) void this.sendAll();
    });
  }

  private async sendAll(): Promise<void> {
    this.sending = true;
    // Yield first: the replies settled in the same turn (one batch's handlers) go in the first request.
    await Promise.resolve();
    while (this.waiting.length > 0) {
      const request = this.waiting.splice(0, this.fitting());
      const producer = this.producer;
      try {
        await this.connect();
        await producer.send({ topic: this.topic, acks: -1, messages: request.map((w) => w.message) });
        for (const w of request) w.resolve();
      } catch (error) {
        this.renew(producer);
        for (const w of request) w.reject(error);
      }
    }
    this.sending = false;
  }

  /** How many of the replies waiting go in the next request: at least one, however large. */
  private fitting(): number {
    let count = 0;
    let bytes = 0;
    while (count < this.waiting.length && count < MAX_REQUEST_MESSAGES) {
      const size = sizeOf(this.waiting[count].message);
      if (count > 0 && bytes + size > MAX_REQUEST_BYTES) break;
      bytes += size;
      count++;
    }
    return count;
  }

  private renew(failed: Producer): void {
    if (this.producer !== failed) return;
    this.producer = this.newProducer();
    this.ready = undefined;
    void failed.disconnect().catch(() => undefined);
  }
}

function sizeOf({ key, value, headers }: Message): number {
  let bytes = Buffer.byteLength(value as string) + Buffer.byteLength((key as string | undefined) ?? '');
  for (const [name, text] of Object.entries(headers ?? {})) bytes += name.length + Buffer.byteLength(String(text ?? ''));
  return bytes;
}
