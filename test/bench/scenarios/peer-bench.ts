import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PGBOSS_PEER_MAIN } from '../harness/paths';
import { createDatabase } from '../harness/services';
import { spread, Spread } from '../harness/stats';
import type { PeerMode, PeerRequest, PeerWindow } from '../pgboss-peer';

export const PEER = 'pg-boss 10.4.2';

export interface PeerBenchOptions {
  concurrencies: number[];
  warmupMs: number;
  windowMs: number;
  windows: number;
  batchSize: number;
}

export interface PeerPoint {
  concurrency: number;
  transitionsPerSec: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  cpuUsPerTransition: Spread;
}

export interface PeerModeFigures {
  mode: PeerMode;
  batchSize: number;
  points: PeerPoint[];
  /** The point of highest transitions/s. */
  peak?: PeerPoint;
}

export interface PeerFigures {
  system: string;
  modes: PeerModeFigures[];
}

/** One configuration of the peer, in its own process and on its own database (dropped afterwards). */
async function runMode(mode: PeerMode, o: PeerBenchOptions, log: (line: string) => void): Promise<PeerModeFigures> {
  const db = await createDatabase('baton_peer');
  try {
    // A polled chain takes about 1.5 s (three 0.5 s polls): windows must hold several.
    const windowMs = mode === 'polling' ? Math.max(o.windowMs, 4000) : o.windowMs;
    const request: PeerRequest = {
      url: db.url, mode, concurrencies: o.concurrencies, warmupMs: mode === 'polling' ? Math.max(o.warmupMs, 2000) : o.warmupMs,
      windowMs, windows: o.windows, batchSize: o.batchSize, poolSize: 16,
    };
    const child = spawn(process.execPath, [PGBOSS_PEER_MAIN, JSON.stringify(request)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const windows: PeerWindow[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('window ')) windows.push(JSON.parse(line.slice(7)));
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
    if (code !== 0) throw new Error(`pg-boss peer (${mode}) exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    const points = o.concurrencies.map((concurrency) => {
      const at = windows.filter((w) => w.concurrency === concurrency);
      const of = (f: (w: PeerWindow) => number) => spread(at.map(f));
      return {
        concurrency, transitionsPerSec: of((w) => w.transitionsPerSec), p50Ms: of((w) => w.p50Ms), p99Ms: of((w) => w.p99Ms),
        cpuUsPerTransition: of((w) => w.cpuUsPerTransition),
      };
    });
    for (const p of points) {
      log(`  ${mode} c=${p.concurrency}: ${Math.round(p.transitionsPerSec.median)} transitions/s, p50 ${p.p50Ms.median.toFixed(1)} ms, `
        + `p99 ${p.p99Ms.median.toFixed(1)} ms, ${Math.round(p.cpuUsPerTransition.median)} µs CPU per transition`);
    }
    const peak = [...points].sort((a, b) => b.transitionsPerSec.median - a.transitionsPerSec.median)[0];
    return { mode, batchSize: request.batchSize, points, peak };
  } finally {
    await db.drop();
  }
}

/** The peer in its best in-process configuration (send + notifyWorker, batched fetch), then polling only. */
export async function benchPeer(o: PeerBenchOptions, log: (line: string) => void): Promise<PeerFigures> {
  const modes: PeerModeFigures[] = [];
  for (const mode of ['notify', 'polling'] as PeerMode[]) modes.push(await runMode(mode, o, log));
  return { system: PEER, modes };
}
