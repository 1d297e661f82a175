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

/**
 * `scripts/services.sh stop|start NAME`: stop really stops the server (connections are refused),
 * start returns once it accepts connections again.
 */
export function serviceControls(name: 'postgres' | 'rabbitmq' | 'kafka'): BrokerControls {
  const services = async (command: 'stop' | 'start') => {
    if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: it starts and stops the test servers`);
    try {
      await run('bash', [SCRIPT, command, name], { timeout: 120_000 });
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`services.sh ${command} ${name} failed: ${stderr ?? String(error)}`);
    }
  };
  return { stop: () => services('stop'), start: () => services('start') };
}
