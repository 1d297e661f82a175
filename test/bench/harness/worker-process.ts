import type { ChildProcess } from 'node:child_process';
import { Child } from './child';
import type { EchoStats } from './echo';
import { ECHO_WORKER_MAIN, requireBuilt } from './paths';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

/** Asks a forked echo worker (or the memory host, which holds one) for its counts over IPC. */
export class WorkerChannel {
  private nextId = 1;
  private readonly waiting = new Map<number, (stats: EchoStats) => void>();

  constructor(private readonly process: () => ChildProcess | undefined) {}

  /** Call once per started process: answers arrive on its 'message' event. */
  attach(child: ChildProcess): void {
    child.on('message', (m: WorkerResponse) => {
      if (m.type !== 'stats') return;
      this.waiting.get(m.id)?.(m.stats);
      this.waiting.delete(m.id);
    });
  }

  stats(): Promise<EchoStats> {
    return this.ask('stats');
  }

  /** The counts so far, zeroed afterwards: one phase's counts. */
  take(): Promise<EchoStats> {
    return this.ask('reset');
  }

  private ask(type: WorkerRequest['type']): Promise<EchoStats> {
    const child = this.process();
    if (!child?.connected) return Promise.reject(new Error('the worker process is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error('the worker did not answer within 10 s'));
      }, 10_000);
      this.waiting.set(id, (stats) => {
        clearTimeout(timer);
        resolve(stats);
      });
      child.send({ type, id } satisfies WorkerRequest);
    });
  }
}

/** The echo worker (echo-worker.ts) as a separate process, for the real brokers. */
export class WorkerProcess {
  readonly child: Child;
  readonly channel = new WorkerChannel(() => this.child.process);

  constructor(env: Record<string, string>, service: string, track: boolean, nodeArgs: string[] = []) {
    requireBuilt(ECHO_WORKER_MAIN);
    this.child = new Child({
      name: `worker ${service}`, script: ECHO_WORKER_MAIN, nodeArgs,
      env: { ...env, ECHO_SERVICE: service, ECHO_TRACK: String(track), LOG_LEVEL: 'warn' },
    });
  }

  /** Resolves once it subscribed to its command topic. */
  async start(timeoutMs = 60_000): Promise<void> {
    const child = this.child.start();
    this.channel.attach(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the echo worker was not ready after ${timeoutMs} ms:\n${this.child.output()}`)), timeoutMs);
      child.on('message', (m: WorkerResponse) => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`the echo worker exited during startup:\n${this.child.output()}`));
      });
    });
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
