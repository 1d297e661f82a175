import { FifoQueue } from './fifo-queue';

/** A unit of work; it must not reject (the drivers' tasks catch their own errors). */
export type Task = () => Promise<void>;

interface Entry {
  key: string | undefined;
  task: Task;
}

/**
 * Runs tasks so that tasks with the same key run one after another, in submission order, while
 * tasks with different keys (or no key) run concurrently, at most `limit` at a time. This is how
 * the memory and RabbitMQ drivers keep per-key order (Baton keys replies by flowId, commands by flowId and step) without serialising
 * the whole stream, and how the Kafka driver processes one partition's batch.
 */
export class KeyedSerialExecutor {
  /** Tasks waiting behind a running (or ready) task of the same key; a key is busy while present. */
  private readonly waitingByKey = new Map<string, FifoQueue<Task>>();
  /** Tasks free to run once a slot opens. */
  private readonly ready = new FifoQueue<Entry>();
  private running = 0;
  private pending = 0;
  private idleWaiters: Array<() => void> = [];
  private roomWaiters: Array<{ below: number; resolve: () => void }> = [];

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** Tasks submitted and not yet finished (running, ready or waiting behind their key). */
  get size(): number {
    return this.pending;
  }

  submit(key: string | undefined, task: Task): void {
    this.pending++;
    if (key !== undefined) {
      const waiting = this.waitingByKey.get(key);
      if (waiting) {
        waiting.push(task);
        return;
      }
      this.waitingByKey.set(key, new FifoQueue());
    }
    this.ready.push({ key, task });
    this.startReady();
  }

  /** Resolves once every submitted task has finished. */
  onIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once fewer than `count` tasks are pending: backpressure for whoever submits. */
  whenSizeBelow(count: number): Promise<void> {
    if (this.pending < count) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ below: count, resolve }));
  }

  private startReady(): void {
    while (this.running < this.limit) {
      const entry = this.ready.shift();
      if (!entry) return;
      this.running++;
      entry.task().then(() => this.finished(entry.key), () => this.finished(entry.key));
    }
  }

  private finished(key: string | undefined): void {
    this.running--;
    this.pending--;
    if (key !== undefined) {
      const waiting = this.waitingByKey.get(key);
      const next = waiting?.shift();
      if (next) this.ready.push({ key, task: next });
      else this.waitingByKey.delete(key);
    }
    this.startReady();
    if (this.roomWaiters.length > 0) {
      const stillWaiting = this.roomWaiters.filter((w) => this.pending >= w.below);
      for (const w of this.roomWaiters) if (this.pending < w.below) w.resolve();
      this.roomWaiters = stillWaiting;
    }
    if (this.pending === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
