import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../common/errors/error-code';
import { newLeaseId } from './lease-id';
import { command, OWN_TOPIC, refusal, replyTo, SERVICE, setup } from './worker-replies.fixtures';

beforeAll(() => Logger.overrideLogger(false));

describe('WorkerReplies on an instance that did not lease the command', () => {
  it('applies a final reply to a command of the service, and settles the command if it is held here after all', async () => {
    const { replies, attempts, sink, deliver } = await setup();
    const c = command();
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    expect(await replies.reply(SERVICE, randomUUID(), replyTo(c, 'SUCCESS'))).toBe('applied');
    expect(sink.applied).toEqual([expect.objectContaining({ flowId: c.flowId, commandId: c.commandId, status: 'SUCCESS' })]);
    expect(attempts.asked).toEqual([expect.objectContaining({ commandId: c.commandId, attempt: 1 })]);

    const waiting = command();
    const { acked } = await deliver(waiting);
    expect(await replies.reply(SERVICE, randomUUID(), replyTo(waiting, 'FAILED'))).toBe('applied');
    await acked;
  });

  it('records a heartbeat for a command of the service and answers it', async () => {
    const { replies, attempts, heartbeats } = await setup();
    const c = command();
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    expect(await replies.reply(SERVICE, randomUUID(), replyTo(c, 'HEARTBEAT'))).toBe('heartbeat');
    expect(heartbeats.recorded).toEqual([expect.objectContaining({ flowId: c.flowId, commandId: c.commandId })]);
  });

  it('answers not-in-flight to a heartbeat whose attempt has ended, so its worker can tell', async () => {
    const { replies, attempts, heartbeats } = await setup();
    const c = command();
    attempts.rows.set(c.commandId, { target: OWN_TOPIC, inFlight: false, pastDeadline: false, heartbeatAgeMs: null });
    heartbeats.ended.add(c.commandId);
    expect(await replies.reply(SERVICE, randomUUID(), replyTo(c, 'HEARTBEAT'))).toBe('not-in-flight');
  });

  it("refuses a reply or heartbeat to another service's command as one to no command (404): its existence is not told", async () => {
    const { replies, attempts, sink, heartbeats } = await setup();
    const theirs = command();
    attempts.rows.set(theirs.commandId, { target: 'orchestrator.commands.billing', inFlight: true, pastDeadline: false, heartbeatAgeMs: null });
    for (const status of ['SUCCESS', 'HEARTBEAT'] as const) {
      const other = await refusal(replies.reply(SERVICE, randomUUID(), replyTo(theirs, status)));
      const none = await refusal(replies.reply(SERVICE, randomUUID(), replyTo(command(), status)));
      expect([other.code, none.code]).toEqual([ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND]);
      expect(other.message).toBe(`No command ${theirs.commandId} of step ${theirs.stepName} (${theirs.action}) of run ${theirs.flowId}`);
    }
    expect(sink.applied).toEqual([]);
    expect(heartbeats.recorded).toEqual([]);
  });

  it("accepts the drop of a command of the service that its lease id names, and refuses another service's as no command (404)", async () => {
    const { replies, attempts } = await setup();
    const [ours, theirs] = [command(), command()];
    attempts.rows.set(ours.commandId, { target: OWN_TOPIC, inFlight: true, pastDeadline: true, heartbeatAgeMs: null });
    attempts.rows.set(theirs.commandId, { target: 'orchestrator.commands.billing', inFlight: true, pastDeadline: true, heartbeatAgeMs: null });
    await replies.drop(SERVICE, newLeaseId(ours));
    expect(attempts.asked).toEqual([{ flowId: ours.flowId, commandId: ours.commandId }]);
    expect((await refusal(replies.drop(SERVICE, newLeaseId(theirs)))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await refusal(replies.drop(SERVICE, newLeaseId(command())))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('answers 404 to the drop of a lease whose id names no command, without asking the database', async () => {
    const { replies, attempts } = await setup();
    expect((await refusal(replies.drop(SERVICE, newLeaseId(undefined)))).code).toBe(ErrorCode.NOT_FOUND);
    expect(attempts.asked).toEqual([]);
  });
});
