import type { OutboxRecord } from './outbox.service';
import { isPublishOutage } from '../delivery/publish-outage';

/** Row-by-row tries that fail in a row, nothing having gone out yet, after which the broker is taken for down. */
const BLIND_TRIES = 3;

/** What isolateRefusals found out about a batch whose publish failed. */
export interface Isolation {
  /** Published meanwhile: to be marked sent. */
  sent: OutboxRecord[];
  /** Refused alone while others went out: the row's own fault (refusal-policy says what follows). */
  refused: Array<{ record: OutboxRecord; error: unknown }>;
  /** Not tried: behind a refused row of the same topic and key, which they must not overtake. */
  held: Array<{ record: OutboxRecord; behind: OutboxRecord }>;
  /** Not settled (an outage, or nothing went out at all): released to be tried again, counting nothing against them. */
  untried: OutboxRecord[];
  /** Set when the broker looked down (with the error that said so): the relay degrades as after any outage. */
  outage?: { error: unknown };
}

/**
 * After a batch failed with an error that is not an outage (isPublishOutage), finds the rows the
 * broker refuses (a topic it will not create or let Baton write, a message over a topic's size
 * limit) so they stop blocking the rest: each topic's rows apart, then the rows of a topic that
 * failed one by one, in id order. A row is held against only if something else went out meanwhile,
 * proof that the broker works; if nothing did, or an outage error comes, the batch is left as it
 * was. The rows of a refused row's topic and key in this batch stay behind it, so they go out in
 * order once it does or is parked; rows of that key written later are not held back.
 */
export async function isolateRefusals(
  rows: OutboxRecord[], batchError: unknown, publish: (rows: OutboxRecord[]) => Promise<void>,
): Promise<Isolation> {
  const sent: OutboxRecord[] = [];
  const outageOf = (error: unknown): Isolation => {
    const done = new Set(sent);
    return { sent, refused: [], held: [], untried: rows.filter((r) => !done.has(r)), outage: { error } };
  };
  const topics = byTopic(rows);
  // One topic: the batch was that topic's publish, and failed.
  const failedTopics = topics.length === 1 ? [{ rows, error: batchError }] : [];
  for (const topicRows of topics.length === 1 ? [] : topics) {
    try {
      await publish(topicRows);
      sent.push(...topicRows);
    } catch (error) {
      if (isPublishOutage(error)) return outageOf(error);
      failedTopics.push({ rows: topicRows, error });
    }
  }
  const refused: Isolation['refused'] = [];
  const held: Isolation['held'] = [];
  let failedInARow = 0;
  for (const { rows: topicRows, error: topicError } of failedTopics) {
    if (topicRows.length === 1) {
      refused.push({ record: topicRows[0], error: topicError });
      continue;
    }
    const blockers = new Map<string, OutboxRecord>();
    for (const row of topicRows) {
      const behind = row.key === null ? undefined : blockers.get(row.key);
      if (behind) {
        held.push({ record: row, behind });
        continue;
      }
      if (sent.length === 0 && failedInARow >= BLIND_TRIES) return outageOf(refused[refused.length - 1].error);
      try {
        await publish([row]);
        sent.push(row);
        failedInARow = 0;
      } catch (error) {
        if (isPublishOutage(error)) return outageOf(error);
        failedInARow++;
        refused.push({ record: row, error });
        if (row.key !== null) blockers.set(row.key, row);
      }
    }
  }
  if (sent.length === 0) return outageOf(batchError);
  return { sent, refused, held, untried: [] };
}

/** The rows of each topic, in id order, topics in the order of their first row. */
function byTopic(rows: OutboxRecord[]): OutboxRecord[][] {
  const topics = new Map<string, OutboxRecord[]>();
  for (const row of rows) {
    const list = topics.get(row.topic);
    if (list) list.push(row);
    else topics.set(row.topic, [row]);
  }
  return [...topics.values()];
}
