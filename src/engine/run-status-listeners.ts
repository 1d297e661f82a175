import { Injectable } from '@nestjs/common';
import type { OutboxEntry } from '../messaging/outbox/outbox.service';
import type { RunStatus } from './core/run-status';
import type { RunState } from './run-changes';

/**
 * Messages a module wants sent when a run changes status (an adapter translating Baton's runs
 * into another system's events). Called while the engine decides, so it must be pure and quick:
 * what it returns is written in the transition's own statement, or not at all.
 */
export type RunStatusListener = (run: RunState, status: RunStatus, previous: RunStatus) => OutboxEntry[];

/** Where modules the engine does not know register their RunStatusListener. */
@Injectable()
export class RunStatusListeners {
  private readonly listeners: RunStatusListener[] = [];

  listen(listener: RunStatusListener): void {
    this.listeners.push(listener);
  }

  messagesFor(run: RunState, status: RunStatus, previous: RunStatus): OutboxEntry[] {
    return this.listeners.flatMap((listener) => listener(run, status, previous));
  }
}
