import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../common/errors/error-code';
import { loadHandlersConfig } from '../handlers/handlers-config';
import { newLeaseId } from './lease-id';
import { command, OWN_TOPIC, refusal, replyTo, SERVICE, setup } from './worker-replies.fixtures';

beforeAll(() => Logger.overrideLogger(false));

describe('WorkerReplies', () => {
  it('refuses a reply without commandId with a 400 naming the field, leased or not', async () => {
    const { replies, deliver, hub, sink } = await setup();
    const c = command();
    await deliver(c);
    const [lease] = await (await hub.poolFor(SERVICE)).take(1, 0);
    const { commandId: _omitted, ...original } = replyTo(c, 'SUCCESS');
    for (const leaseId of [lease.leaseId, randomUUID()]) {
      const error = await refusal(replies.reply(SERVICE, leaseId, original));
      expect(error.code).toBe(ErrorCode.INVALID_REQUEST);
      expect(error.problems).toEqual([{ path: 'body.commandId', message: expect.any(String) }]);
    }
    const other = await refusal(replies.reply(SERVICE, lease.leaseId, replyTo(command(), 'SUCCESS')));
    expect(other.problems).toEqual([
      { path: 'body.commandId', message: expect.stringContaining(c.commandId) }, { path: 'body.flowId', message: expect.stringContaining(c.flowId) },
    ]);
    expect(sink.applied).toEqual([]);
  });

  it('refuses a reply under a lease that names another step, template, action or attempt, each with its path, and keeps the lease', async () => {
    const { replies, deliver, hub, sink } = await setup();
    const c = command();
    await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    const wrong = { ...replyTo(c, 'SUCCESS'), orchName: 'refund', stepName: 'ship', action: 'UNDO' as const, attempt: 2 };
    const error = await refusal(replies.reply(SERVICE, lease.leaseId, wrong));
    expect([error.code, error.problems.map((p) => p.path).sort()]).toEqual([ErrorCode.INVALID_REQUEST, ['body.action', 'body.attempt', 'body.orchName', 'body.stepName']]);
    expect(error.problems).toContainEqual({ path: 'body.stepName', message: "must be the leased command's, charge" });
    const heartbeat = await refusal(replies.reply(SERVICE, lease.leaseId, { ...replyTo(c, 'HEARTBEAT'), stepName: 'ship' }));
    expect(heartbeat.problems).toEqual([{ path: 'body.stepName', message: "must be the leased command's, charge" }]);
    expect(sink.applied).toEqual([]);
    expect(pool.size.leased).toBe(1);
    // A reply that leaves out the attempt is matched on the rest, as before.
    const { attempt: _left, ...withoutAttempt } = replyTo(c, 'SUCCESS');
    expect(await replies.reply(SERVICE, lease.leaseId, withoutAttempt)).toBe('applied');
  });

  it('checks a reply under an expired or unknown lease id against the command as held here, and keeps it held when it names another step', async () => {
    const { replies, deliver, hub, sink } = await setup();
    const c = command();
    await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    await pool.take(1, 0);
    for (const reply of [{ ...replyTo(c, 'SUCCESS'), stepName: 'ship' }, { ...replyTo(c, 'HEARTBEAT'), attempt: 2 }]) {
      const error = await refusal(replies.reply(SERVICE, newLeaseId(c), reply));
      expect(error.code).toBe(ErrorCode.INVALID_REQUEST);
    }
    expect(sink.applied).toEqual([]);
    expect(pool.size.leased).toBe(1);
  });

  it("applies a reply without Baton's credentials it quotes: a whole API key, a handler's secret", async () => {
    const awxToken = 'S3CRETAWXtokenDDDDDDDDDDDDDDDD';
    const key = `bk_bootS3C_${'K'.repeat(40)}`;
    const { replies, deliver, hub, sink } = await setup(60_000, loadHandlersConfig({ AWX_HOST: 'https://awx.example.com', AWX_TOKEN: awxToken }));
    const c = command();
    await deliver(c);
    const [lease] = await (await hub.poolFor(SERVICE)).take(1, 0);
    const failed = replyTo(c, 'FAILED');
    expect(await replies.reply(SERVICE, lease.leaseId, { ...failed, metadata: { status: 'FAILED', error: `failed with ${key} and ${awxToken}` } })).toBe('applied');
    expect(sink.applied.map((r) => r.error)).toEqual(['failed with bk_bootS3C_… and ***']);
  });

  it('settles a command leased again while its reply was being applied', async () => {
    const { replies, deliver, hub, sink, attempts } = await setup(40);
    const c = command();
    // As the database has it while the reply is not yet applied: the expired lease offers the command again.
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    const { acked } = await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [first] = await pool.take(1, 0);
    let release!: () => void;
    sink.gate = new Promise((r) => (release = r));
    const replied = replies.reply(SERVICE, first.leaseId, replyTo(c, 'SUCCESS'));
    const [second] = await pool.take(1, 1000);
    expect(second.command).toEqual(first.command);
    release();
    expect(await replied).toBe('applied');
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
    await acked;
  });

  it('keeps a command held when a reply naming it answered nothing (another template): it arrived here while the reply was applied', async () => {
    const { replies, deliver, hub, sink, attempts } = await setup();
    const c = command();
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    const pool = await hub.poolFor(SERVICE);
    let release!: () => void;
    sink.gate = new Promise((r) => (release = r));
    sink.outcome = 'wrong-orch-name';
    const replied = replies.reply(SERVICE, newLeaseId(c), { ...replyTo(c, 'SUCCESS'), orchName: 'refund' });
    await deliver(c);
    release();
    expect(await replied).toBe('wrong-orch-name');
    expect(pool.size.ready).toBe(1);
  });

  it('drops a command leased here once the database finds it past its deadline (or its attempt over): acknowledged unanswered', async () => {
    const { replies, deliver, hub, attempts } = await setup();
    for (const row of [{ inFlight: true, pastDeadline: true }, { inFlight: false, pastDeadline: false }]) {
      const c = command();
      attempts.rows.set(c.commandId, { target: OWN_TOPIC, heartbeatAgeMs: null, ...row });
      const { acked } = await deliver(c);
      const [lease] = await (await hub.poolFor(SERVICE)).take(1, 0);
      await replies.drop(SERVICE, lease.leaseId);
      await acked;
    }
    expect(attempts.asked).toHaveLength(2);
  });

  /** A command of an attempt in flight, delivered and leased here. */
  async function leasedInFlight() {
    const { replies, deliver, hub, attempts } = await setup();
    const c = command();
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    return { replies, pool, lease, c };
  }

  it('leaves a dropped command under its lease while the database finds it due (the worker\'s clock ahead)', async () => {
    const { replies, pool, lease } = await leasedInFlight();
    await replies.drop(SERVICE, lease.leaseId);
    expect(pool.size).toEqual({ ready: 0, leased: 1, polling: 0 });
  });

  it('releases a command leased here to the next poller at once, unacknowledged; released again, it is checked as a lease held elsewhere', async () => {
    const { replies, deliver, hub, attempts } = await setup();
    const c = command();
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    let acked = false;
    void (await deliver(c)).acked.then(() => (acked = true));
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    await replies.release(SERVICE, lease.leaseId);
    const [next] = await pool.take(1, 0);
    expect([next?.command, acked]).toEqual([c, false]);
    await replies.release(SERVICE, lease.leaseId);
    // Its attempt checked at the release here, then as a lease held elsewhere.
    expect(attempts.asked).toHaveLength(2);
    expect(pool.size).toEqual({ ready: 0, leased: 1, polling: 0 });
  });

  it('refuses a heartbeat under a lease released here (404), leaving its command to the next poller', async () => {
    const { replies, pool, lease, c } = await leasedInFlight();
    await replies.release(SERVICE, lease.leaseId);
    const refused = await refusal(replies.reply(SERVICE, lease.leaseId, replyTo(c, 'HEARTBEAT')));
    expect([refused.code, refused.message]).toEqual([ErrorCode.NOT_FOUND, `Lease ${lease.leaseId} was released: its command went back to the pollers`]);
    expect(pool.size).toEqual({ ready: 1, leased: 0, polling: 0 });
    // The next poller's lease takes heartbeats as ever.
    const [next] = await pool.take(1, 0);
    await expect(replies.reply(SERVICE, next.leaseId, replyTo(c, 'HEARTBEAT'))).resolves.toBe('heartbeat');
  });

  it('keeps a command leased when its release comes while its reply is applied, and acknowledges one whose attempt is over', async () => {
    const { replies, deliver, hub, attempts, sink } = await setup();
    const c = command();
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    let open!: () => void;
    sink.gate = new Promise((resolve) => (open = resolve));
    const replied = replies.reply(SERVICE, lease.leaseId, replyTo(c, 'SUCCESS'));
    await replies.release(SERVICE, lease.leaseId);
    // Offered again, a second worker would have run the step while its reply was being written.
    expect(await pool.take(1, 0)).toEqual([]);
    open();
    await replied;

    const over = command();
    attempts.rows.set(over.commandId, { target: OWN_TOPIC, inFlight: false, pastDeadline: false, heartbeatAgeMs: null });
    let acked = false;
    void (await deliver(over)).acked.then(() => (acked = true));
    const [overLease] = await pool.take(1, 0);
    await replies.release(SERVICE, overLease.leaseId);
    await new Promise((resolve) => setImmediate(resolve));
    expect([await pool.take(1, 0), acked]).toEqual([[], true]);
  });

  it("refuses the release of another service's command, or of a lease that names none, as no command (404), leaving its lease be", async () => {
    const { replies, deliver, hub, attempts } = await setup();
    const theirs = command();
    attempts.rows.set(theirs.commandId, { target: 'orchestrator.commands.billing', inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    expect((await refusal(replies.release(SERVICE, newLeaseId(theirs)))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(replies.release(SERVICE, newLeaseId(command())))).code).toBe(ErrorCode.NOT_FOUND);
    const ours = command();
    await deliver(ours);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    // The same lease id posted under another service: not held in that service's pool, and its command is not that service's.
    attempts.rows.set(ours.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    expect((await refusal(replies.release('billing', lease.leaseId))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(replies.release(SERVICE, newLeaseId(undefined)))).code).toBe(ErrorCode.NOT_FOUND);
    expect(pool.size).toEqual({ ready: 0, leased: 1, polling: 0 });
  });

  it('renews a lease for a heartbeat at once, and once it is recorded again up to the deadline it gave, so the lease\'s expiry does not count it again', async () => {
    const { replies, deliver, hub, heartbeats } = await setup();
    const c = command();
    await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    const order: string[] = [];
    const renew = pool.renew.bind(pool);
    jest.spyOn(heartbeats, 'record').mockImplementation(async () => { order.push('recorded'); return 4_000; });
    jest.spyOn(pool, 'renew').mockImplementation((id, until) => { order.push(`renewed ${until ?? 'for the lease'}`); return renew(id, until); });
    expect(await replies.reply(SERVICE, lease.leaseId, replyTo(c, 'HEARTBEAT'))).toBe('heartbeat');
    expect(order).toEqual(['renewed for the lease', 'recorded', 'renewed 4000']);
    jest.restoreAllMocks();
    pool.settle(lease.leaseId);
  });

  it('keeps the lease renewed when the heartbeat cannot be written (a database outage), and acknowledges a command whose attempt ended', async () => {
    const { replies, deliver, hub, heartbeats } = await setup();
    const c = command();
    const { acked } = await deliver(c);
    const pool = await hub.poolFor(SERVICE);
    const [lease] = await pool.take(1, 0);
    const renewed = jest.spyOn(pool, 'renew');
    jest.spyOn(heartbeats, 'record').mockRejectedValueOnce(new Error('connection refused'));
    await expect(replies.reply(SERVICE, lease.leaseId, replyTo(c, 'HEARTBEAT'))).rejects.toThrow('connection refused');
    expect(renewed).toHaveBeenCalledWith(lease.leaseId);
    heartbeats.ended.add(c.commandId);
    expect(await replies.reply(SERVICE, lease.leaseId, replyTo(c, 'HEARTBEAT'))).toBe('not-in-flight');
    await acked;
    expect(pool.size).toEqual({ ready: 0, leased: 0, polling: 0 });
    jest.restoreAllMocks();
  });
});
