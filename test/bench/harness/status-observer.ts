import { Logger } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { loadConfig } from '../../../src/config/load-config';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';
import { HostMessage, isTerminal } from './host-protocol';
import type { RunTracker } from './run-tracker';

export interface StatusObserver {
  close(): Promise<void>;
}

/** A real broker's observer, which can also start runs on the execution-start topic. */
export interface BrokerObserver extends StatusObserver {
  /** Publishes `{orchName, payload, correlationId}` as a service would; resolves once the broker has it. */
  startRun(orchName: string, payload: unknown, correlationId: string): Promise<void>;
}

/** Only warnings and errors from the drivers' Nest loggers in the benchmark's own process. */
export function quietNestLogs(): void {
  Logger.overrideLogger(['warn', 'error']);
}

/**
 * Subscribes to `orchestrator.run.status` through the project's own driver, in its own consumer
 * group, and hands terminal events to the tracker: completion is measured when the event arrives.
 */
export async function observeBroker(env: Record<string, string>, tracker: RunTracker, group: string): Promise<BrokerObserver> {
  quietNestLogs();
  const config = loadConfig(env);
  const driver: MessagingDriver = createMessagingDriver(config, new Metrics());
  await driver.connect();
  await driver.subscribe({
    topic: config.TOPIC_RUN_STATUS, group, handler: async (m) => {
      const event = JSON.parse(m.body.toString('utf8')) as { flowId: string; correlationId: string; status: string };
      if (isTerminal(event.status)) tracker.ended(event);
    },
  });
  return {
    close: () => driver.close(),
    startRun: (orchName, payload, correlationId) => driver.publish([{
      topic: config.TOPIC_EXECUTION_START, key: correlationId, headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ orchName, payload, correlationId })),
    }]),
  };
}

/** The memory host forwards terminal events over IPC (its broker lives in its process). */
export function observeHost(child: ChildProcess, tracker: RunTracker): StatusObserver {
  const listener = (m: HostMessage | { type: string }) => {
    if (m.type === 'run-end') {
      const { flowId, correlationId, status } = m as HostMessage;
      tracker.ended({ flowId, correlationId, status });
    }
  };
  child.on('message', listener);
  return { close: async () => void child.off('message', listener) };
}
