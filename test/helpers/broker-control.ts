import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'services.sh');

/** Stops and starts a real server, for the reconnect cases of the broker contract and the fault suite. */
export interface BrokerControls {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** The suites that may stop servers: those the integration config runs alone, and the fault suite's. */
const RESTARTING_SUITE = /\.(restarts\.int|fault)-spec\.ts$/;

/**
 * `scripts/services.sh stop|start NAME`: stop really stops the server (connections are refused),
 * start returns once it accepts connections again. Only for a suite named *.restarts.int-spec.ts
 * (or the fault suite): any other may run beside suites that need the server up.
 */
export function serviceControls(name: 'postgres' | 'rabbitmq' | 'kafka'): BrokerControls {
  const services = servicesScript(name);
  return { stop: () => services('stop'), start: () => services('start') };
}

/**
 * `scripts/services.sh freeze|thaw postgres`: the server hangs (SIGSTOP) instead of stopping, as on
 * a storage stall or a paused VM. Connections stay open and nothing answers, so nothing fails: every
 * statement waits, and what Baton does meanwhile is what a timeout or a slow pool decides.
 */
export function freezeControls(name: 'postgres'): BrokerControls {
  const services = servicesScript(name);
  return { stop: () => services('freeze'), start: () => services('thaw') };
}

function servicesScript(name: string): (command: 'stop' | 'start' | 'freeze' | 'thaw') => Promise<void> {
  const suite = expect.getState().testPath ?? '';
  if (!RESTARTING_SUITE.test(suite)) {
    throw new Error(`${suite} stops servers: name it *.restarts.int-spec.ts, so that it runs alone and not beside suites that need them`);
  }
  return async (command) => {
    if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: it starts and stops the test servers`);
    try {
      await run('bash', [SCRIPT, command, name], { timeout: 120_000 });
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`services.sh ${command} ${name} failed: ${stderr ?? String(error)}`);
    }
  };
}
