import { MalformedCommandError } from './errors';
import { MAX_STORED_KEY_LENGTH } from './postgres-result-store';
import { parseCommand, type WireCommand } from './wire';

const valid: WireCommand = {
  flowId: '0b7e7a52-3f1e-4c1e-9d3a-2a8c1f0e9b11', orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1,
  commandId: '5d0c8e2e-9a7b-4f0e-8c43-7b1e2f3a4d55', objectType: 'Order', payload: { a: 1 }, payloadEncoding: 'json', outputs: {},
  correlationId: 'corr', idempotencyKey: '0b7e7a52-3f1e-4c1e-9d3a-2a8c1f0e9b11:charge:DO', deadline: '2999-01-01T00:00:00.000Z',
};

/** What parseCommand throws for the valid command with `changes` (a field set to undefined is left out). */
function refusal(changes: Record<string, unknown>): MalformedCommandError | undefined {
  try {
    parseCommand(JSON.stringify({ ...valid, ...changes }));
  } catch (error) {
    return error as MalformedCommandError;
  }
  return undefined;
}

describe('parseCommand', () => {
  it('takes a command as Baton sends it', () => {
    expect(parseCommand(Buffer.from(JSON.stringify(valid)))).toEqual(valid);
    expect(refusal({ payload: 'aGk=', payloadEncoding: 'base64', deadline: '2999-01-01T00:00:00+02:00', attempt: 3, action: 'UNDO' })).toBeUndefined();
  });

  it('rejects what is not a command, with MALFORMED_COMMAND', () => {
    for (const [body, message] of [['not json', 'MALFORMED_COMMAND: not JSON'], ['null', 'MALFORMED_COMMAND: not a JSON object'],
      ['[]', 'MALFORMED_COMMAND: not a JSON object'], ['{"flowId":"f"}', 'MALFORMED_COMMAND: lacks orchName, stepName']] as const) {
      expect(() => parseCommand(body)).toThrow(message);
    }
    expect(refusal({ action: 'MAYBE' })).toMatchObject({ code: 'MALFORMED_COMMAND', message: expect.stringContaining('action must be DO or UNDO, not "MAYBE"') });
  });

  it('rejects a deadline that is no ISO date, which would never expire', () => {
    for (const deadline of ['not a date', '2024-13-45T99:00:00Z', 'March 7, 2999', '2999-01-01']) {
      expect(refusal({ deadline })?.problems).toEqual([`deadline must be an ISO 8601 date and time, not ${JSON.stringify(deadline)}`]);
    }
  });

  it('type-checks attempt, outputs, payloadEncoding and the payload it names, and names every problem at once', () => {
    const error = refusal({ attempt: '1', outputs: [], payloadEncoding: 'gzip', correlationId: 7 });
    expect(error?.problems).toEqual([
      'lacks correlationId (or not as a string)', 'attempt must be a positive integer, not "1"', 'outputs must be an object, not []',
      'payloadEncoding must be json, text or base64, not "gzip"',
    ]);
    expect(error?.fields).toEqual({ flowId: valid.flowId, stepName: 'charge', commandId: valid.commandId });
    for (const attempt of [0, 1.5, -1, null]) expect(refusal({ attempt })?.problems).toEqual([`attempt must be a positive integer, not ${JSON.stringify(attempt)}`]);
    expect(refusal({ outputs: undefined })?.problems).toEqual(['outputs must be an object, not undefined']);
    expect(refusal({ payloadEncoding: 'base64', payload: { a: 1 } })?.problems).toEqual(['a base64 payload must be a string']);
  });

  it('rejects keys the result store could not record (too long, empty, a NUL, a lone surrogate), which would run the handler at every delivery', () => {
    expect(MAX_STORED_KEY_LENGTH).toBe(592); // varchar(600), less ":DROPPED"
    expect(refusal({ idempotencyKey: 'k'.repeat(MAX_STORED_KEY_LENGTH) })).toBeUndefined();
    expect(refusal({ idempotencyKey: 'k'.repeat(1000) })?.problems).toEqual(['idempotencyKey must be 1 to 592 characters, not 1000']);
    expect(refusal({ commandId: '' })?.problems).toEqual(['commandId must be 1 to 592 characters, not 0']);
    expect(refusal({ idempotencyKey: 'f1:s\u0000:DO', commandId: 'c\uD800' })?.problems).toEqual([
      'idempotencyKey contains a NUL character (\\u0000) at 4, which Baton cannot store',
      'commandId contains an unpaired UTF-16 surrogate at 1, which Baton cannot store',
    ]);
    // A long id is cut short in the fields logged with it.
    expect(refusal({ commandId: 'c'.repeat(1000) })?.fields.commandId).toHaveLength(100);
  });
});
