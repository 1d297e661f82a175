import { INestApplication, Logger } from '@nestjs/common';
import { Draining } from './draining';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** What GracefulStop needs of the process (a test passes its own). */
export type SignalTarget = Pick<NodeJS.Process, 'on' | 'removeListener' | 'kill' | 'pid' | 'exit'>;

/**
 * Stops Baton on SIGTERM or SIGINT in two phases, in place of Nest's enableShutdownHooks, which
 * closed the listener at once: a request a load balancer sent in that moment got a reset.
 * - Drain: health answers 503, so balancers take Baton out of rotation, while every other route
 *   and the engine keep working. A second signal ends the drain at once.
 * - Close: Nest's shutdown (consumers stop, the relay flushes, the listener closes after the
 *   requests in flight); signals are ignored meanwhile, as Nest does. Then the signal is raised
 *   again, so the process ends as it was asked to.
 */
export class GracefulStop {
  private endDrain?: () => void;
  private stopping = false;

  constructor(
    private readonly app: INestApplication,
    private readonly drainMs: number,
    private readonly logger = new Logger('Baton'),
  ) {}

  listen(target: SignalTarget = process): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.stopping) return this.endDrain?.();
      this.stop(signal).then(() => {
        for (const s of SIGNALS) target.removeListener(s, onSignal);
        target.kill(target.pid, signal);
      }, (e: Error) => {
        this.logger.error(`Stopping failed: ${e.stack ?? e.message}`);
        target.exit(1);
      });
    };
    for (const s of SIGNALS) target.on(s, onSignal);
  }

  async stop(signal: string): Promise<void> {
    this.stopping = true;
    this.app.get(Draining).start();
    // Said either way: in the log, a clean stop must not read like a crash.
    if (this.drainMs === 0) {
      this.logger.log(`${signal}: stopping`);
    } else {
      this.logger.log(`${signal}: draining for ${this.drainMs / 1000} s (health answers 503) before stopping; signal again to stop now`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.drainMs);
        this.endDrain = () => { clearTimeout(timer); resolve(); };
      });
      this.endDrain = undefined;
    }
    await this.app.close();
    this.logger.log('stopped');
  }
}
