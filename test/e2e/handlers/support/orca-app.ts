import { FakeAwxServer } from '../../../fakes/fake-awx.server';
import { FakeOoServer } from '../../../fakes/fake-oo.server';
import type { TestApp } from '../../../helpers/test-app';
import { orcaClient } from '../../../scenarios/orca.fixtures';
import { handlerEnv } from './engine-app';

/**
 * One Orca drop-in app for a describe block, over fake AWX and OO: `setUp` gives AWX its job
 * templates before the app starts, `env` adds settings. `app()` is the app once started.
 */
export function useOrcaApp(setUp: (awx: FakeAwxServer) => void, env: Record<string, string> = {}) {
  const awx = new FakeAwxServer();
  const oo = new FakeOoServer();
  const orca = orcaClient();
  let t: TestApp | undefined;
  beforeAll(async () => {
    await Promise.all([awx.start(), oo.start()]);
    setUp(awx);
    t = await orca.start({ ...handlerEnv(awx, oo), AWX_TRACE_EXTRA_VARS: 'false', ...env });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all([awx.stop(), oo.stop()]);
  });
  return { awx, orca, app: (): TestApp => t! };
}
