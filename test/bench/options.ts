import { Driver, DRIVERS } from './harness/services';
import type { EngineBenchOptions } from './scenarios/engine-bench';
import type { PgBaselineOptions } from './scenarios/pg-baseline';

export interface BenchOptions {
  help: boolean;
  quick: boolean;
  drivers: Driver[];
  pg: PgBaselineOptions;
  rttWindows: { warmupMs: number; windowMs: number; windows: number };
  rttConcurrency: number;
  engine: EngineBenchOptions;
  skip: Set<string>;
  /** The pg-boss peer's fetch batch size in its notify configuration. */
  peerBatchSize: number;
  /** Before each part, wait up to this long for other processes' CPU use to drop. */
  quietWaitMs: number;
}

export const USAGE = `npm run bench -- [options]        (each option also as an environment variable, e.g. BENCH_DRIVERS=kafka)
  --drivers memory,rabbitmq,kafka   drivers to run (default: all three)               BENCH_DRIVERS
  --quick                           short windows, fewer points (~2-3 min for all)   BENCH_QUICK=true
  --window-ms N --warmup-ms N       measurement window and warm-up per point         BENCH_WINDOW_MS, BENCH_WARMUP_MS
  --windows N                       windows (repetitions) per point (default 3)      BENCH_WINDOWS
  --concurrencies 1,8,32,64         closed-loop points; 1 is scenario (a)            BENCH_CONCURRENCIES
  --rates 100,200,400               open-loop rates (default: fractions of the closed-loop peak)  BENCH_RATES
  --p99-limit-ms 50                 open-loop latency limit                          BENCH_P99_LIMIT_MS
  --parallel-concurrency N          closed-loop concurrency of the 5-way flow (default: the peak's)
  --burst-runs 20000 --burst-reps 1 burst size and repetitions                       BENCH_BURST_RUNS, BENCH_BURST_REPS
  --burst-max-s 30                  scale the burst down to what the closed-loop peak drains in N s (0: never)  BENCH_BURST_MAX_S
  --pg-clients 1,4,8,16 --pg-seconds 2                                               BENCH_PG_CLIENTS, BENCH_PG_SECONDS
  --engine-env KEY=VALUE[,KEY=VALUE] extra engine settings, e.g. DATABASE_POOL_SIZE=8 BENCH_ENGINE_ENV
  --pg-socket /var/tmp/baton-services/postgres   engine to PostgreSQL over a Unix socket, not TCP  BENCH_PG_SOCKET
  --peer-batch-size 16              pg-boss fetch batch size of the peer's notify configuration  BENCH_PEER_BATCH_SIZE
  --skip pg,peer,rtt,engine,closed,open,parallel,burst,scale                         BENCH_SKIP
                                    (scale: (f), two engine instances on one database and broker)
  --quiet-wait-s 10                 wait up to N s per part for other processes to go idle (0: never)  BENCH_QUIET_WAIT_S`;

const list = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);
const numbers = (v: string) => list(v).map(Number);

/** argv wins over the environment; the environment over the defaults (full or quick). */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const given = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('BENCH_') && value) given.set(key.slice(6).toLowerCase().replace(/_/g, '-'), value);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const flag = ['quick', 'help'].includes(name);
    given.set(name, inline ?? (flag ? 'true' : argv[++i] ?? ''));
  }
  const quick = given.get('quick') === 'true';
  const get = (name: string, full: string, short: string) => given.get(name) ?? (quick ? short : full);
  const drivers = list(get('drivers', DRIVERS.join(','), DRIVERS.join(','))) as Driver[];
  for (const d of drivers) if (!DRIVERS.includes(d)) throw new Error(`unknown driver ${d}; expected ${DRIVERS.join(', ')}`);
  const windows = {
    warmupMs: Number(get('warmup-ms', '1000', '500')),
    windowMs: Number(get('window-ms', '3000', '1000')),
    windows: Number(get('windows', '3', '3')),
    runTimeoutMs: 30_000,
  };
  const engineEnv: Record<string, string> = {};
  for (const pair of list(given.get('engine-env') ?? '')) {
    const [k, v] = pair.split(/=(.*)/s, 2);
    engineEnv[k] = v ?? '';
  }
  return {
    help: given.get('help') === 'true',
    quick,
    drivers,
    pg: {
      clients: numbers(get('pg-clients', '1,4,8,16', '1,8')),
      seconds: Number(get('pg-seconds', '2', '1')),
      repetitions: 3,
      nodeReference: true,
    },
    rttWindows: { warmupMs: 300, windowMs: quick ? 500 : 1000, windows: 3 },
    rttConcurrency: 128,
    engine: {
      windows,
      concurrencies: numbers(get('concurrencies', '1,8,32,64', '1,32')),
      rates: given.has('rates') ? numbers(given.get('rates')!) : undefined,
      // Up to above the closed-loop peak, so the search normally ends at a rate that is not kept up.
      rateFractions: quick ? [0.4, 0.7, 1.0, 1.2] : [0.3, 0.5, 0.7, 0.85, 1.0, 1.2],
      p99LimitMs: Number(get('p99-limit-ms', '50', '50')),
      parallelConcurrency: given.has('parallel-concurrency') ? Number(given.get('parallel-concurrency')) : undefined,
      burstRuns: Number(get('burst-runs', '20000', '20000')),
      burstMaxSeconds: Number(get('burst-max-s', '30', '8')),
      burstRepetitions: Number(get('burst-reps', '1', '1')),
      burstConcurrency: 64,
      engineEnv,
      databaseSocketDir: given.get('pg-socket') || undefined,
      skip: new Set(list(given.get('skip') ?? '')),
    },
    skip: new Set(list(given.get('skip') ?? '')),
    peerBatchSize: Number(get('peer-batch-size', '16', '16')),
    quietWaitMs: 1000 * Number(get('quiet-wait-s', '10', '5')),
  };
}
