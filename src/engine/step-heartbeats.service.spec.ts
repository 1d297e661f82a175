import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { StepHeartbeats } from './step-heartbeats.service';

const NOW = new Date('2026-12-06T10:00:00Z');
const IN_FLIGHT = {
  id: 'a1', deadline_at: new Date(NOW.getTime() + 1_000), dispatched_at: NOW, now: NOW, timeout_seconds: 30, heartbeat_seconds: null,
};

/** A StepHeartbeats whose two statements (the read, then the write) answer as scripted. */
function heartbeats(read: unknown[], written: number) {
  const metrics = new Metrics();
  const query = jest.fn().mockResolvedValueOnce(read).mockResolvedValueOnce([{ moved: written }]);
  const service = new StepHeartbeats({ query } as unknown as DataSource, new AppConfig(), metrics);
  const ignored = async () => (await metrics.ignoredReplies.get()).values.find((v) => v.labels.reason === 'heartbeat-not-in-flight')?.value ?? 0;
  return { service, query, ignored };
}

describe('StepHeartbeats', () => {
  const beat = { flowId: 'f1', stepName: 'charge', action: 'DO' as const };

  it('moves the deadline of the attempt in flight and answers the time it has left, by the database clock', async () => {
    const { service, query, ignored } = heartbeats([IN_FLIGHT], 1);
    expect(await service.record(beat)).toBe(30_000);
    expect(query.mock.calls[1][1]).toEqual(['a1', new Date(NOW.getTime() + 30_000)]);
    expect(await ignored()).toBe(0);
  });

  it('answers not in flight for an attempt that ended between its read and its write (a reply, a timeout, an operator)', async () => {
    const { service, ignored } = heartbeats([IN_FLIGHT], 0);
    expect(await service.record(beat)).toBeNull();
    expect(await ignored()).toBe(1);
  });

  it('answers not in flight, writing nothing, when no attempt of the step is in flight', async () => {
    const { service, query, ignored } = heartbeats([], 1);
    expect(await service.record(beat)).toBeNull();
    expect(query).toHaveBeenCalledTimes(1);
    expect(await ignored()).toBe(1);
  });
});
