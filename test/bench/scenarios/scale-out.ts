import { Deployment } from '../harness/deployment';
import { closedLoop, Windows } from '../harness/load';
import type { Driver } from '../harness/services';
import { round } from '../harness/stats';
import { ClosedPoint, pointOf } from './engine-bench';
import { SEQUENTIAL } from './flows';

export interface ScaleOutFigures {
  engines: number;
  /** The closed loop on the instances together, at the single instance's best concurrency. */
  point: ClosedPoint;
  /** The single instance's figure at that concurrency, from the same run (scenario b). */
  single?: ClosedPoint;
}

/**
 * (f) Two engine processes on one PostgreSQL and one broker, runs started on each in turn, closed
 * loop at the concurrency where one instance peaked. Throughput and CPU are summed over both.
 */
export async function benchScaleOut(driver: Driver, single: ClosedPoint | undefined, o: {
  windows: Windows; concurrency: number; engineEnv: Record<string, string>; databaseSocketDir?: string;
}, log: (line: string) => void): Promise<ScaleOutFigures> {
  const engines = 2;
  const d = await Deployment.start({
    driver, flows: [SEQUENTIAL], engineEnv: o.engineEnv, prefix: 'bench2', engines, log, databaseSocketDir: o.databaseSocketDir,
  });
  try {
    const concurrency = single?.concurrency ?? o.concurrency;
    const point: ClosedPoint = {
      concurrency, ...pointOf(await closedLoop({ deployment: d, orchName: SEQUENTIAL.orchName, payload: { sku: 'A1', qty: 1 } }, concurrency, o.windows)),
    };
    const ratio = single ? ` = ${round(point.transitionsPerSec.median / single.transitionsPerSec.median, 2)} x one instance` : '';
    log(`  ${engines} instances c=${concurrency}: ${round(point.transitionsPerSec.median)} transitions/s${ratio}, p50 ${round(point.p50Ms.median, 2)} ms, `
      + `p99 ${round(point.p99Ms.median, 2)} ms, engines ${round(point.engineCores.median, 2)} cores (${round(point.engineCpuUsPerTransition.median)} µs CPU per transition)`
      + (point.failures ? `, ${point.failures} FAILED` : ''));
    return { engines, point, single };
  } catch (error) {
    (error as Error).message += `\n${d.output()}`;
    throw error;
  } finally {
    await d.stop();
  }
}
