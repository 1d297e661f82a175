import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { WorkerControl } from './control';
import { errorText, type WorkerLogger } from './logger';

export const SDK_VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Tells Baton every few seconds that this process is alive and which steps it handles (over HTTP
 * by default, whatever the transport), and that it left on stop. With READINESS=live, Baton keeps a template
 * READY only while each of its steps has a live instance.
 */
export class Presence {
  readonly instanceId = randomUUID();
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    private readonly control: WorkerControl,
    private readonly service: string,
    private readonly steps: Array<{ orchName: string; stepName: string }>,
    private readonly logger: WorkerLogger,
    private readonly intervalMs: number,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.control.leave(this.instanceId)
      .catch((e) => this.logger.warn({ service: this.service }, `could not say goodbye: ${errorText(e)}`));
  }

  private async beat(): Promise<void> {
    try {
      await this.control.reportPresence({
        instanceId: this.instanceId, host: hostname().slice(0, 255), sdkVersion: SDK_VERSION, steps: this.steps,
      });
      this.failing = false;
    } catch (e) {
      // One line per outage, not one per beat.
      if (!this.failing) this.logger.warn({ service: this.service }, `presence not accepted: ${errorText(e)}`);
      this.failing = true;
    }
  }
}
