import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { expectEventually } from '../../../test/helpers/expect-eventually';
import { loadConfig } from '../../config/load-config';
import { Metrics } from '../../metrics/metrics';
import { MessagePublisher } from '../message-publisher';
import { OutboxRelay } from './outbox-relay.service';
import { createRelayPresence } from './relay-presence.factory';

/**
 * A database with 300,000 sent rows past the retention: thirty full chunks. It answers the
 * relay's other statements with nothing to do, and records what it ran.
 */
function databaseFullOfOldRows() {
  const statements: Array<'sweep' | 'prune'> = [];
  let left = 300_000;
  const query = async (sql: string) => {
    if (sql.includes('DELETE FROM outbox o USING old')) {
      statements.push('prune');
      const n = Math.min(left, 10_000);
      left -= n;
      return [{ n }];
    }
    if (sql.includes('WITH due AS')) statements.push('sweep');
    return sql.includes('count(*)') ? [{ n: 0 }] : [];
  };
  return { dataSource: { query } as unknown as DataSource, statements };
}

describe('OutboxRelay pruning', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('deletes a few chunks a pass after a large backlog, sweeping between them, not millions of rows in one pass', async () => {
    const { dataSource, statements } = databaseFullOfOldRows();
    const config = loadConfig({ OUTBOX_POLL_MS: '20', INSTANCE_ID: 'pruner-test' });
    const publisher = new (class extends MessagePublisher {
      async publish(): Promise<void> {}
    })();
    const relay = new OutboxRelay(dataSource, publisher, config, new Metrics(), createRelayPresence(dataSource, config));
    relay.start();
    try {
      await expectEventually(() => expect(statements.filter((s) => s === 'sweep').length).toBeGreaterThanOrEqual(3), { timeoutMs: 3000 });
    } finally {
      await relay.stop();
    }
    // Each pass sweeps, then prunes at most three chunks; the next pass prunes again, without waiting a minute.
    expect(statements.slice(0, 9)).toEqual(['sweep', 'prune', 'prune', 'prune', 'sweep', 'prune', 'prune', 'prune', 'sweep']);
  });
});
