import { ECHO_WORKER_MAIN, ENGINE_MAIN, requireBuilt } from '../../bench/harness/paths';
import type { Driver } from '../../bench/harness/services';
import { checkCrash } from './crash-checks';
import { crashFlowFor, runCrashScenario } from './crash-scenario';

/*
 * Issue 5 item 7: the engine as a child process on PostgreSQL and a real broker, an echo worker
 * process, a few hundred runs of a 3-step flow (every fifth fails at its last step, so its first
 * two are compensated; every tenth loses its first charge command and needs the timeout), the engine SIGKILLed at random moments and restarted; then every accepted
 * run must end as it should, exactly once per step (see checkCrash for the precise assertions).
 * Runs from dist/ (CI builds first). CRASH_DRIVERS=rabbitmq,kafka picks the brokers.
 */
const drivers = (process.env.CRASH_DRIVERS ?? 'rabbitmq,kafka').split(',').map((d) => d.trim()) as Driver[];
const log = (line: string) => process.stdout.write(`[crash] ${line}\n`);

describe.each(drivers)('crash test on %s', (driver) => {
  beforeAll(() => requireBuilt(ENGINE_MAIN, ECHO_WORKER_MAIN));

  it('ends every accepted run exactly as it should through repeated SIGKILLs of the engine', async () => {
    const kills = 3 + Math.floor(Math.random() * 3);
    const data = await runCrashScenario({
      driver, runs: 300, failEvery: 5, lossyEvery: 10, kills, killGapMs: [200, 1500], startsPerSec: 50, settleTimeoutMs: 90_000, log,
      flow: crashFlowFor(driver),
    });
    const { figures, violations } = checkCrash(data);
    log(`${driver}: runs accepted ${figures.accepted} / completed ${figures.completed} / compensated ${figures.compensated} / `
      + `lost ${figures.lost} / duplicated effects (same commandId redelivered) ${figures.duplicatedEffects} / `
      + `re-sent after a timeout (new commandId) ${figures.reexecutedAfterTimeout}, of which ${figures.lossy} forced / `
      + `double-executed (run again although answered) ${figures.doubleExecuted} / kills ${figures.kills} `
      + `(back up after ${figures.restartMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s) / `
      + `start retries ${figures.startRetries} / all terminal after ${figures.settledMs} ms / `
      + `commands still leased in the outbox ${figures.leasedCommands}`);
    if (figures.leasedExamples.length > 0) {
      log(`commands a killed relay had claimed are published only when their lease ends, after their attempt timed out `
        + `(a worker then executes a stale attempt late); e.g.\n${figures.leasedExamples.join('\n')}`);
    }
    if (data.stillOpen > 0) violations.unshift(`${data.stillOpen} runs were not terminal after 90 s`);
    if (violations.length > 0) {
      throw new Error(`${violations.length} violation(s); first ones:\n${violations.slice(0, 8).join('\n')}\n`
        + `engine output (last lines):\n${data.engineOutput.split('\n').slice(-30).join('\n')}`);
    }
    expect(figures.lost).toBe(0);
    expect(figures.completed + figures.compensated).toBe(figures.accepted);
  }, 300_000);
});
