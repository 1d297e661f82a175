import { randomUUID } from 'node:crypto';
import { commandOfLease, LEASE_ID_PATTERN, newLeaseId } from './lease-id';

describe('lease ids', () => {
  const command = { flowId: randomUUID(), commandId: randomUUID() };

  it('name the command, so that an instance without the lease can find it, and differ per lease', () => {
    const [first, second] = [newLeaseId(command), newLeaseId(command)];
    expect(first).not.toBe(second);
    for (const leaseId of [first, second]) {
      expect(leaseId).toMatch(LEASE_ID_PATTERN);
      expect(commandOfLease(leaseId)).toEqual(command);
    }
    expect(commandOfLease(newLeaseId({ flowId: command.flowId.toUpperCase(), commandId: command.commandId.toUpperCase() }))).toEqual(command);
  });

  it('name nothing for a command without a flow, nor in the plain form of earlier versions', () => {
    const plain = newLeaseId(undefined);
    expect(plain).toMatch(LEASE_ID_PATTERN);
    expect(commandOfLease(plain)).toBeUndefined();
    expect(commandOfLease(randomUUID())).toBeUndefined();
  });

  it('refuse what only looks like one, so the database is never asked about a malformed id', () => {
    for (const leaseId of [`${'-'.repeat(36)}_${command.commandId}_${randomUUID()}`, `${command.flowId}_${command.commandId}`, `${newLeaseId(command)}x`]) {
      expect(commandOfLease(leaseId)).toBeUndefined();
    }
    expect(`${'-'.repeat(36)}_${command.commandId}_${randomUUID()}`).not.toMatch(LEASE_ID_PATTERN);
  });
});
