import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { Child } from './child';
import { ENGINE_MAIN, requireBuilt } from './paths';

export interface EngineOptions {
  env: Record<string, string>;
  port: number;
  /** Defaults to dist/src/main.js; the memory driver runs a host that also holds the worker. */
  script?: string;
  nodeArgs?: string[];
  startTimeoutMs?: number;
}

/**
 * The engine as a child process (`node dist/src/main.js`), started, killed and restarted on the
 * same database and topics, so a restart is exactly what an operator's restart is.
 */
export class EngineProcess {
  readonly child: Child;
  readonly baseUrl: string;
  starts = 0;

  constructor(private readonly options: EngineOptions) {
    const script = options.script ?? ENGINE_MAIN;
    requireBuilt(script);
    this.baseUrl = `http://127.0.0.1:${options.port}`;
    this.child = new Child({
      name: 'engine', script, nodeArgs: options.nodeArgs,
      env: { ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts the process and resolves once the health endpoint answers 200. */
  async start(): Promise<void> {
    this.child.start();
    this.starts++;
    await this.waitHealthy(this.options.startTimeoutMs ?? 60_000);
  }

  async kill(): Promise<void> {
    await this.child.kill();
  }

  async restart(): Promise<void> {
    await this.child.kill();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.child.stop();
  }

  /** Needs the profiling preload (PROFILING_PRELOAD in nodeArgs): starts the CPU profile and SQL counts. */
  profileStart(): void {
    this.child.process?.send({ type: 'profile-start' });
  }

  /** Writes dir/engine.cpuprofile and dir/sql.json; resolves once written. */
  profileStop(dir: string, timeoutMs = 30_000): Promise<void> {
    const child = this.child.process;
    if (!child?.connected) return Promise.reject(new Error('the engine is not running'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the engine did not write its profile (is the preload loaded?)')), timeoutMs);
      const listener = (m: { type?: string }) => {
        if (m?.type !== 'profile-done') return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve();
      };
      child.on('message', listener);
      child.send({ type: 'profile-stop', dir });
    });
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.child.alive) throw new Error(`the engine exited during startup:\n${this.child.output()}`);
      try {
        const res = await request(`${this.baseUrl}/api/orchestration/health`, { headersTimeout: 5000, bodyTimeout: 5000 });
        const body = await res.body.text();
        if (res.statusCode === 200) return;
        last = `${res.statusCode} ${body.slice(0, 500)}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(50);
    }
    throw new Error(`the engine was not healthy after ${timeoutMs} ms (last: ${last}):\n${this.child.output()}`);
  }
}
