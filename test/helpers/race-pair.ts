import { MessageConsumer } from '../../src/messaging/message-consumer';
import { initiatorYaml } from './documents';
import { startTestApp, TestApp } from './test-app';
import { TestWorker } from './test-worker';

export interface RacePair {
  a: TestApp;
  b: TestApp;
  /** The worker of the template's steps, registered on `a`. */
  worker: TestWorker;
  /** Each run's status events, in the order they arrived. */
  events: Map<string, string[]>;
}

/**
 * Two engine instances on the same servers, with the parallel template `race` (steps x, y, z)
 * and its worker registered, and every run status event collected: the setting of the suites
 * that check that racing events never advance a run twice.
 */
export async function startRacePair(env: Record<string, string>): Promise<RacePair> {
  // Two instances as deployed: each with its own INSTANCE_ID (a shared one is reported as a misconfiguration).
  const [a, b] = [await startTestApp({ ...env, INSTANCE_ID: 'engine-a' }), await startTestApp({ ...env, INSTANCE_ID: 'engine-b' })];
  await a.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'shop')
    .send(initiatorYaml('race', 'parallel', ['x', 'y', 'z'])).expect(201);
  const worker = await new TestWorker(a, 'race-worker').start();
  await worker.register('race', ['x', 'y', 'z']);
  const events = new Map<string, string[]>();
  await a.get(MessageConsumer).subscribe({ topic: a.config.TOPIC_RUN_STATUS, group: 'observer', handler: async (m) => {
    const e = JSON.parse(m.body.toString());
    events.set(e.flowId, [...(events.get(e.flowId) ?? []), e.status]);
  } });
  return { a, b, worker, events };
}
