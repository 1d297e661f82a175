import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import PgBoss from 'pg-boss';
import { Latency } from './harness/stats';

/*
 * The peer of the in-process scenario, run in a process of its own so that its CPU is its own:
 * the same 3-step chain of echo steps on pg-boss (step 1's worker sends step 2, and so on), on
 * its own database. Reads a PeerRequest as JSON in argv[2]; writes one PeerWindow per line on
 * stdout, prefixed "window ", then "done".
 */

export type PeerMode = 'notify' | 'polling';

export interface PeerRequest {
  url: string;
  mode: PeerMode;
  /** Chains in flight; 1 is the one-in-flight figure. */
  concurrencies: number[];
  warmupMs: number;
  windowMs: number;
  windows: number;
  batchSize: number;
  poolSize: number;
}

export interface PeerWindow {
  concurrency: number;
  transitionsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Process CPU (user + system) per transition, microseconds. */
  cpuUsPerTransition: number;
}

const STEPS = 3;
const queue = (step: number) => `chain-${step}`;

async function main(): Promise<void> {
  const req = JSON.parse(process.argv[2]) as PeerRequest;
  const boss = new PgBoss({ connectionString: req.url, max: req.poolSize, supervise: false, schedule: false });
  boss.on('error', (e) => process.stderr.write(`pg-boss: ${e.message}\n`));
  await boss.start();
  const done = new Map<string, () => void>();
  const workers: string[] = [];
  let transitions = 0;
  // The smallest polling interval pg-boss allows (0.5 s); with notify, a send wakes the next worker at once.
  const workOptions = { batchSize: req.batchSize, pollingIntervalSeconds: 0.5 };
  for (let step = 1; step <= STEPS; step++) await boss.createQueue(queue(step));
  for (let step = 1; step <= STEPS; step++) {
    workers[step] = await boss.work<{ chain: string }>(queue(step), workOptions, async (jobs) => {
      transitions += jobs.length;
      if (step === STEPS) {
        for (const job of jobs) done.get(job.data.chain)?.();
        return;
      }
      await Promise.all(jobs.map((job) => boss.send(queue(step + 1), { chain: job.data.chain })));
      if (req.mode === 'notify') boss.notifyWorker(workers[step + 1]);
    });
  }

  const chain = async (): Promise<number> => {
    const id = randomUUID();
    const started = performance.now();
    const finished = new Promise<void>((resolve) => done.set(id, resolve));
    await boss.send(queue(1), { chain: id });
    if (req.mode === 'notify') boss.notifyWorker(workers[1]);
    await finished;
    done.delete(id);
    return performance.now() - started;
  };

  for (const concurrency of req.concurrencies) {
    let latency = new Latency();
    let stop = false;
    const loops = Array.from({ length: concurrency }, async () => {
      while (!stop) latency.recordMs(await chain());
    });
    await new Promise((r) => setTimeout(r, req.warmupMs));
    for (let w = 0; w < req.windows; w++) {
      latency = new Latency();
      const t0 = transitions;
      const cpu0 = process.cpuUsage();
      const at0 = performance.now();
      await new Promise((r) => setTimeout(r, req.windowMs));
      const seconds = (performance.now() - at0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const count = transitions - t0;
      const window: PeerWindow = {
        concurrency, transitionsPerSec: count / seconds, p50Ms: latency.percentileMs(50), p99Ms: latency.percentileMs(99),
        cpuUsPerTransition: count > 0 ? (cpu.user + cpu.system) / count : NaN,
      };
      process.stdout.write(`window ${JSON.stringify(window)}\n`);
    }
    stop = true;
    await Promise.all(loops);
  }
  await boss.stop({ graceful: false, wait: false });
  process.stdout.write('done\n');
}

main().then(() => process.exit(0), (error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
