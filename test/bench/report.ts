import type { Driver } from './harness/services';
import { round, Spread } from './harness/stats';
import type { RttFigures } from './scenarios/broker-rtt';
import type { ClosedPoint, EngineFigures, PointFigures } from './scenarios/engine-bench';
import type { PeerFigures, PeerModeFigures } from './scenarios/peer-bench';
import type { PgBaseline } from './scenarios/pg-baseline';
import type { ScaleOutFigures } from './scenarios/scale-out';

export interface DriverResult {
  driver: Driver;
  rtt?: RttFigures;
  engine?: EngineFigures;
  scaleOut?: ScaleOutFigures;
  error?: string;
}

export interface Summary {
  driver: Driver;
  pgPeakTps: number;
  /** Transitions/s at the highest open-loop rate that kept up (p99 under the limit). */
  sustainedTransitionsPerSec?: number;
  sustainedRatio?: number;
  /** The same without the latency limit. */
  sustainedAnyLatencyTransitionsPerSec?: number;
  sustainedAnyLatencyRatio?: number;
  peakTransitionsPerSec?: number;
  peakRatio?: number;
  oneInFlightP50Ms?: number;
  oneInFlightP99Ms?: number;
  peakRssMiB?: number;
  /** Baton's closed-loop peak transitions/s ÷ the peer's (pg-boss, notify configuration). */
  peerTransitionsRatio?: number;
  /** Baton's engine-process CPU per transition at its peak ÷ the peer's at its peak. */
  peerCpuRatio?: number;
  /** Engine-process CPU per transition (µs): one in flight, at the closed-loop peak, at the sustained open-loop rate. */
  cpuUsOneInFlight?: number;
  cpuUsPeak?: number;
  cpuUsSustained?: number;
  /** (f): transitions/s of two engine instances, and that ÷ one instance at the same concurrency. */
  twoInstancesTransitionsPerSec?: number;
  twoInstancesRatio?: number;
}

/** Engine process CPU per transition at a point, microseconds (median over its windows). */
export function cpuUsPerTransition(p: PointFigures | undefined): number | undefined {
  return p?.engineCpuUsPerTransition.median;
}

const bestPeer = (peer: PeerFigures | undefined): PeerModeFigures | undefined => peer?.modes.find((m) => m.mode === 'notify');

const s = (x: Spread | undefined, digits = 1) =>
  !x || !Number.isFinite(x.median) ? '–' : `${round(x.median, digits)} [${round(x.min, digits)}–${round(x.max, digits)}]`;
const n = (x: number | undefined, digits = 0) => (x === undefined || !Number.isFinite(x) ? '–' : String(round(x, digits)));

export function summarize(result: DriverResult, pg: PgBaseline | undefined, peer?: PeerFigures): Summary {
  const e = result.engine;
  const peakTps = pg?.peakTps ?? NaN;
  const sustained = e?.openLoop.sustained?.transitionsPerSec.median;
  const anyLatency = e?.openLoop.sustainedThroughput?.transitionsPerSec.median;
  const peak = e?.peak?.transitionsPerSec.median;
  return {
    driver: result.driver, pgPeakTps: peakTps,
    sustainedTransitionsPerSec: sustained, sustainedRatio: sustained === undefined ? undefined : sustained / peakTps,
    sustainedAnyLatencyTransitionsPerSec: anyLatency, sustainedAnyLatencyRatio: anyLatency === undefined ? undefined : anyLatency / peakTps,
    peakTransitionsPerSec: peak, peakRatio: peak === undefined ? undefined : peak / peakTps,
    oneInFlightP50Ms: e?.oneInFlight?.p50Ms.median, oneInFlightP99Ms: e?.oneInFlight?.p99Ms.median,
    peakRssMiB: e?.burst.length ? Math.max(...e.burst.map((b) => b.peakRssMiB)) : undefined,
    ...peerRatios(e?.peak, bestPeer(peer)),
    cpuUsOneInFlight: cpuUsPerTransition(e?.closedLoop.find((p) => p.concurrency === 1)),
    cpuUsPeak: cpuUsPerTransition(e?.peak),
    cpuUsSustained: cpuUsPerTransition(e?.openLoop.sustained),
    twoInstancesTransitionsPerSec: result.scaleOut?.point.transitionsPerSec.median,
    twoInstancesRatio: scaleRatio(result.scaleOut),
  };
}

function scaleRatio(x: ScaleOutFigures | undefined): number | undefined {
  return x?.single ? x.point.transitionsPerSec.median / x.single.transitionsPerSec.median : undefined;
}

function peerRatios(peak: ClosedPoint | undefined, peer: PeerModeFigures | undefined): Pick<Summary, 'peerTransitionsRatio' | 'peerCpuRatio'> {
  if (!peak || !peer?.peak) return {};
  const cpu = cpuUsPerTransition(peak);
  return {
    peerTransitionsRatio: peak.transitionsPerSec.median / peer.peak.transitionsPerSec.median,
    peerCpuRatio: cpu === undefined ? undefined : cpu / peer.peak.cpuUsPerTransition.median,
  };
}

export function summaryLine(x: Summary): string {
  return `SUMMARY ${x.driver}: sustained ${n(x.sustainedTransitionsPerSec)} transitions/s = ${n(x.sustainedRatio, 3)} x PostgreSQL peak `
    + `(${n(x.pgPeakTps)} TPS) [without the p99 limit: ${n(x.sustainedAnyLatencyTransitionsPerSec)} = ${n(x.sustainedAnyLatencyRatio, 3)} x]; closed-loop peak ${n(x.peakTransitionsPerSec)} transitions/s = ${n(x.peakRatio, 3)} x; `
    + `one in flight p50 ${n(x.oneInFlightP50Ms, 2)} ms / p99 ${n(x.oneInFlightP99Ms, 2)} ms; peak RSS ${n(x.peakRssMiB)} MiB`
    // New fields go last, so that readers of the fields above keep working.
    + `; vs pg-boss (notify): transitions/s ratio ${n(x.peerTransitionsRatio, 3)}, CPU per transition ratio ${n(x.peerCpuRatio, 2)}`
    + `; engine CPU per transition: one in flight ${n(x.cpuUsOneInFlight)} µs, closed-loop peak ${n(x.cpuUsPeak)} µs, sustained ${n(x.cpuUsSustained)} µs`
    + `; two instances ${n(x.twoInstancesTransitionsPerSec)} transitions/s = ${n(x.twoInstancesRatio, 2)} x one`;
}

/**
 * The peer's figures, one row per configuration, then Baton ÷ peer per driver. The two do not
 * do the same work per step: see test/bench/README.md before reading a ratio.
 */
export function peerTable(peer: PeerFigures, results: DriverResult[], pg: PgBaseline | undefined): string {
  const concurrencies = peer.modes[0]?.points.map((p) => p.concurrency) ?? [];
  const header = ['peer configuration', 'one in flight p50 / p99 ms', ...concurrencies.map((c) => `closed c=${c} transitions/s`),
    'peak transitions/s', 'x PostgreSQL peak', 'CPU µs per transition at peak'];
  const rows = peer.modes.map((m) => {
    const one = m.points.find((p) => p.concurrency === 1);
    return [
      `${peer.system}, ${m.mode === 'notify' ? 'send + notifyWorker' : 'polling every 0.5 s'}, batch ${m.batchSize}`,
      one ? `${n(one.p50Ms.median, 1)} / ${n(one.p99Ms.median, 1)}` : '–',
      ...concurrencies.map((c) => s(m.points.find((p) => p.concurrency === c)?.transitionsPerSec, 0)),
      m.peak ? `${s(m.peak.transitionsPerSec, 0)} c=${m.peak.concurrency}` : '–',
      m.peak && pg ? n(m.peak.transitionsPerSec.median / pg.peakTps, 3) : '–',
      s(m.peak?.cpuUsPerTransition, 0),
    ];
  });
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join(' | ');
  const best = bestPeer(peer);
  const ratios = results.filter((r) => r.engine?.peak).map((r) => {
    const x = peerRatios(r.engine!.peak, best);
    return `${r.driver}: transitions/s ${n(x.peerTransitionsRatio, 3)}, CPU per transition ${n(x.peerCpuRatio, 2)} `
      + `(Baton ${n(cpuUsPerTransition(r.engine!.peak))} µs)`;
  });
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('-+-'), ...all.slice(1).map(line),
    `Baton ÷ ${peer.system} (send + notifyWorker), closed-loop peaks: ${ratios.join('; ') || '–'}`].join('\n');
}

/** One row per figure, one column per driver; spreads as median [min–max] over the repetitions. */
export function table(results: DriverResult[], pg: PgBaseline | undefined): string {
  const rows: Array<[string, ...string[]]> = [];
  const add = (label: string, cell: (r: DriverResult) => string) => rows.push([label, ...results.map(cell)]);
  const closed = (r: DriverResult) => r.engine?.closedLoop ?? [];
  add('worker placement', (r) => (r.engine ? (r.engine.workerPlacement.startsWith('same') ? 'in engine process' : 'own process') : '–'));
  add('broker round trip p50 ms (c=1)', (r) => s(r.rtt?.p50Ms, 2));
  add('broker round trip p99 ms (c=1)', (r) => s(r.rtt?.p99Ms, 2));
  add('broker round trips/s', (r) => (r.rtt ? `${s(r.rtt.msgsPerSec, 0)} c=${r.rtt.concurrency}` : '–'));
  add('(a) one in flight p50 ms', (r) => s(r.engine?.oneInFlight?.p50Ms, 2));
  add('(a) one in flight p99 ms', (r) => s(r.engine?.oneInFlight?.p99Ms, 2));
  const concurrencies = [...new Set(results.flatMap((r) => closed(r).map((p) => p.concurrency)))].sort((a, b) => a - b);
  for (const c of concurrencies) {
    const at = (r: DriverResult) => closed(r).find((p) => p.concurrency === c);
    add(`(b) closed c=${c} runs/s`, (r) => s(at(r)?.runsPerSec, 0));
    add(`(b) closed c=${c} transitions/s`, (r) => s(at(r)?.transitionsPerSec, 0));
    add(`(b) closed c=${c} p50 / p99 ms`, (r) => (at(r) ? `${n(at(r)!.p50Ms.median, 1)} / ${n(at(r)!.p99Ms.median, 1)}` : '–'));
    add(`(b) closed c=${c} engine CPU µs/transition`, (r) => s(at(r)?.engineCpuUsPerTransition, 0));
    add(`(b) closed c=${c} cores: engine/servers/foreign`, (r) => (at(r)
      ? `${n(at(r)!.engineCores.median, 2)} / ${n(at(r)!.serviceCores.median, 2)} / ${n(at(r)!.foreignCores.median, 2)}` : '–'));
  }
  add('(b) peak runs/s (at c)', (r) => (r.engine?.peak ? `${s(r.engine.peak.runsPerSec, 0)} c=${r.engine.peak.concurrency}` : '–'));
  add('(b) peak transitions/s', (r) => s(r.engine?.peak?.transitionsPerSec, 0));
  const rates = [...new Set(results.flatMap((r) => r.engine?.openLoop.points.map((p) => p.rate) ?? []))].sort((a, b) => a - b);
  for (const rate of rates) {
    add(`(c) open ${rate}/s: kept up, p50 / p99 ms`, (r) => {
      const p = r.engine?.openLoop.points.find((x) => x.rate === rate);
      return p ? `${p.keptUp ? 'yes' : p.throughputKeptUp ? 'rate only' : 'NO'}, ${n(p.p50Ms.median, 1)} / ${n(p.p99Ms.median, 1)}` : '–';
    });
    add(`(c) open ${rate}/s: engine CPU µs/transition`, (r) => s(r.engine?.openLoop.points.find((x) => x.rate === rate)?.engineCpuUsPerTransition, 0));
  }
  add('(c) highest rate kept up, p99<50ms', (r) => (r.engine ? n(r.engine.openLoop.sustained?.rate) + (r.engine.openLoop.sustained ? '' : ' (none)') : '–'));
  add('(c) transitions/s at that rate', (r) => s(r.engine?.openLoop.sustained?.transitionsPerSec, 0));
  add('(c) highest rate kept up, any p99', (r) => n(r.engine?.openLoop.sustainedThroughput?.rate));
  add('(c) transitions/s at that rate ', (r) => s(r.engine?.openLoop.sustainedThroughput?.transitionsPerSec, 0));
  add('(d) parallel x5 runs/s (at c)', (r) => (r.engine?.parallel ? `${s(r.engine.parallel.runsPerSec, 0)} c=${r.engine.parallel.concurrency}` : '–'));
  add('(d) parallel x5 transitions/s', (r) => s(r.engine?.parallel?.transitionsPerSec, 0));
  add('(d) parallel x5 engine CPU µs/transition', (r) => s(r.engine?.parallel?.engineCpuUsPerTransition, 0));
  add('(d) parallel x5 p50 / p99 ms', (r) => (r.engine?.parallel ? `${n(r.engine.parallel.p50Ms.median, 1)} / ${n(r.engine.parallel.p99Ms.median, 1)}` : '–'));
  add('(e) burst: runs completed', (r) => (r.engine?.burst.length
    ? r.engine.burst.map((b) => `${b.completed}/${b.runs}${b.requestedRuns && b.requestedRuns > b.runs ? ' (scaled)' : ''}`).join(', ') : '–'));
  add('(e) burst: drain s', (r) => (r.engine?.burst.length ? r.engine.burst.map((b) => n(b.drainMs / 1000, 1)).join(', ') : '–'));
  add('(e) burst: runs/s', (r) => (r.engine?.burst.length ? r.engine.burst.map((b) => n(b.runsPerSec)).join(', ') : '–'));
  add('(e) burst: engine peak RSS MiB', (r) => (r.engine?.burst.length ? r.engine.burst.map((b) => n(b.peakRssMiB)).join(', ') : '–'));
  add('(f) two instances: transitions/s (at c)', (r) => (r.scaleOut
    ? `${s(r.scaleOut.point.transitionsPerSec, 0)} c=${r.scaleOut.point.concurrency}` : '–'));
  add('(f) two instances ÷ one instance', (r) => n(scaleRatio(r.scaleOut), 2));
  add('(f) two instances: p50 / p99 ms', (r) => (r.scaleOut ? `${n(r.scaleOut.point.p50Ms.median, 1)} / ${n(r.scaleOut.point.p99Ms.median, 1)}` : '–'));
  add('(f) two instances: engine CPU µs/transition', (r) => s(r.scaleOut?.point.engineCpuUsPerTransition, 0));
  add('error', (r) => (r.error ? r.error.split('\n')[0].slice(0, 60) : ''));

  const header: [string, ...string[]] = ['figure', ...results.map((r) => r.driver)];
  const all = [header, ...rows.filter((row) => row.slice(1).some((c) => c !== '' && c !== '–'))];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join(' | ');
  const pgLines = pg ? [
    `PostgreSQL baseline (${pg.tool}, one-row UPDATE + INSERT per transaction): `
      + pg.points.map((p) => `${p.clients} client(s) ${s(p.tps, 0)} TPS`).join('; ')
      + (pg.nodePg ? `; Node pg, ${pg.nodePg.clients} connections: ${s(pg.nodePg.tps, 0)} TPS` : '')
      + ` -> peak ${n(pg.peakTps)} TPS`,
  ] : [];
  return [...pgLines, line(all[0]), widths.map((w) => '-'.repeat(w)).join('-+-'), ...all.slice(1).map(line)].join('\n');
}
