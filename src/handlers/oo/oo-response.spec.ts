import { executionsNamed, ooErrorMessage, parseExecutionId, parseExecutionLog, parseSummary } from './oo-response';

describe('parseExecutionId', () => {
  it('accepts a bare number, a JSON string, plain text and an object', () => {
    expect(parseExecutionId('101000011')).toBe('101000011');
    expect(parseExecutionId(' 101000011\n')).toBe('101000011');
    expect(parseExecutionId('"101000011"')).toBe('101000011');
    expect(parseExecutionId('{"executionId": "abc-1"}')).toBe('abc-1');
    expect(parseExecutionId('{"executionId": 42}')).toBe('42');
  });

  it('keeps every digit of ids beyond 2^53', () => {
    expect(parseExecutionId('90071992547409931')).toBe('90071992547409931');
  });

  it('rejects what is no id', () => {
    expect(parseExecutionId('')).toBeUndefined();
    expect(parseExecutionId('<html>oops</html>')).toBeUndefined();
    expect(parseExecutionId('{"foo": 1}')).toBeUndefined();
    expect(parseExecutionId('"has space"')).toBeUndefined();
  });
});

describe('parseSummary', () => {
  it('reads status and result type of the first entry, keeping only summary fields', () => {
    const reading = parseSummary([{ executionId: '7', status: 'COMPLETED', resultStatusType: 'RESOLVED', owner: 'admin', secretThing: 'x' }]);
    expect(reading).toEqual({
      status: 'COMPLETED', resultStatusType: 'RESOLVED', pauseReason: undefined,
      response: { executionId: '7', status: 'COMPLETED', resultStatusType: 'RESOLVED' },
    });
  });

  it('treats an empty array as not known yet', () => {
    expect(parseSummary([])).toEqual({ status: null, resultStatusType: null, response: {} });
  });

  it('rejects other shapes', () => {
    expect(parseSummary({ status: 'RUNNING' })).toBeUndefined();
    expect(parseSummary(['x'])).toBeUndefined();
  });
});

describe('parseExecutionLog', () => {
  it('reads the execution summary and flow output', () => {
    expect(parseExecutionLog({
      executionSummary: { executionId: '7', status: 'PAUSED', resultStatusType: null, pauseReason: 'USER_PAUSED' },
      flowOutput: { vmName: 'vm-1' }, flowVars: [{ name: 'x' }],
    })).toEqual({
      status: 'PAUSED', resultStatusType: null, pauseReason: 'USER_PAUSED', flowOutput: { vmName: 'vm-1' },
      response: { executionId: '7', status: 'PAUSED', resultStatusType: null, pauseReason: 'USER_PAUSED', flowOutput: { vmName: 'vm-1' } },
    });
  });

  it('rejects non-objects', () => {
    expect(parseExecutionLog([])).toBeUndefined();
  });
});

describe('ooErrorMessage', () => {
  it('takes the first message-like field', () => {
    expect(ooErrorMessage('{"errorCode": "E1", "message": "Flow not found"}')).toBe('Flow not found');
    expect(ooErrorMessage('{"errorMessage": "bad input"}')).toBe('bad input');
    expect(ooErrorMessage('"plain"')).toBe('plain');
    expect(ooErrorMessage('nope')).toBeUndefined();
  });
});

describe('executionsNamed', () => {
  const marker = 'command=c-1]';

  it('keeps the ids of the executions whose name carries the marker, whole', () => {
    expect(executionsNamed([
      { executionId: '101', executionName: 'x [baton flow=f step=s command=c-1]' },
      { executionId: '102', executionName: 'x [baton flow=f step=s command=c-10]' },
      { executionId: 103, executionName: 'again [baton flow=f step=s command=c-1]' },
      { executionId: '104', executionName: 'no marker' },
      { executionId: '105' },
      // Another run whose name, from its payload, quotes this one's marker ahead of its own.
      { executionId: '106', executionName: 'x command=c-1] [baton flow=g step=s command=c-2]' },
    ], marker)).toEqual(['101', '103']);
    expect(executionsNamed([], marker)).toEqual([]);
  });

  it('refuses what is no list, and a matching id it cannot read exactly', () => {
    expect(executionsNamed({ executions: [] }, marker)).toBeUndefined();
    expect(executionsNamed(JSON.parse(`[{"executionId": 90071992547409931, "executionName": "${marker}"}]`), marker)).toBeUndefined();
    expect(executionsNamed([{ executionId: 'has space', executionName: marker }], marker)).toBeUndefined();
  });
});
