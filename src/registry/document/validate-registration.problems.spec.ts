import { json, ORIGINAL_INITIATOR, ORIGINAL_WORKER, problems, yaml } from './validate-registration.fixtures';

describe('validateRegistration: every problem at once, with path, line and column', () => {
  it('reports missing, mistyped, out-of-range and unknown fields together', () => {
    const result = yaml(`orchName: tenant creation
as: initiator
type: sequential
color: blue
steps:
  - seq: 0
    name: createRealm
    objectType: String
    timeoutSeconds: 604801
  - seq: "2"
    name: createRealm
    retry: {maxAttempts: 0, backoff: linear, initialDelaySeconds: 5, maxDelaySeconds: 2}
  - seq: 3
    name: -bad
    objectType: ""
    timeout: 5
`);
    expect(result).toEqual({
      ok: false, orchName: 'tenant creation', role: 'initiator',
      problems: [
        { path: 'orchName', message: 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"', line: 1, column: 11 },
        { path: 'color', message: 'unknown field (allowed: orchName, as, type, deadlineSeconds, onDeadline, description, service, workers, steps)', line: 4, column: 1 },
        { path: 'steps[0].seq', message: 'must be a positive integer', line: 6, column: 10 },
        { path: 'steps[0].timeoutSeconds', message: 'must be at most 604800', line: 9, column: 21 },
        { path: 'steps[1].objectType', message: 'is required', line: 10, column: 5 },
        { path: 'steps[1].seq', message: 'expected a number, found a string "2"', line: 10, column: 10 },
        { path: 'steps[1].name', message: 'duplicate step name "createRealm" (also steps[0])', line: 11, column: 11 },
        { path: 'steps[1].retry.maxAttempts', message: 'must be at least 1', line: 12, column: 26 },
        { path: 'steps[1].retry.backoff', message: 'must be one of: fixed, exponential', line: 12, column: 38 },
        { path: 'steps[2].name', message: 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"', line: 14, column: 11 },
        { path: 'steps[2].objectType', message: 'must not be empty', line: 15, column: 17 },
        { path: 'steps[2].timeout', message: 'unknown field (allowed: seq, name, objectType, timeoutSeconds, heartbeatSeconds, retry, handler, undo, onFailure, workers, dependsOn)', line: 16, column: 5 },
      ],
    });
  });

  it('reports a missing required field at the map that should hold it', () => {
    expect(problems(yaml('orchName: t\nas: initiator\nsteps:\n  - {seq: 1, name: a}\n'))).toEqual([
      { path: 'type', message: 'is required: one of sequential, parallel, simultaneous, dag', line: 1, column: 1 },
      { path: 'steps[0].objectType', message: 'is required', line: 4, column: 5 },
    ]);
  });

  it('reports a missing or unknown role, and what it can check without one', () => {
    expect(yaml('orchName: t\nsteps: []\n')).toEqual({
      ok: false, orchName: 't', problems: [{ path: 'as', message: 'is required: one of initiator, worker', line: 1, column: 1 }],
    });
    expect(yaml('orchName: "a b"\nas: boss\n')).toEqual({
      ok: false, orchName: 'a b', role: 'boss',
      problems: [
        { path: 'orchName', message: 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"', line: 1, column: 11 },
        { path: 'as', message: 'must be one of: initiator, worker', line: 2, column: 5 },
      ],
    });
  });

  it('reports an unknown type, empty steps and wrong top-level types', () => {
    expect(problems(yaml('orchName: t\nas: initiator\ntype: random\ndescription: [x]\nsteps: []\n'))).toEqual([
      { path: 'type', message: 'must be one of: sequential, parallel, simultaneous, dag', line: 3, column: 7 },
      { path: 'description', message: 'expected a string, found a list', line: 4, column: 14 },
      { path: 'steps', message: 'must have at least one step', line: 5, column: 8 },
    ]);
    expect(problems(yaml('orchName: t\nas: initiator\ntype: parallel\nsteps: {seq: 1}\n'))).toEqual([
      { path: 'steps', message: 'expected a list, found a map', line: 4, column: 8 },
    ]);
  });

  it('checks worker documents: non-empty steps, duplicate names, topic, no initiator fields', () => {
    expect(problems(yaml('orchName: t\nas: worker\nsteps: []\n'))).toEqual([
      { path: 'steps', message: 'must have at least one step', line: 3, column: 8 },
    ]);
    expect(problems(yaml(`orchName: t
as: worker
type: sequential
topic: "bad topic!"
steps:
  - {name: a, objectType: S}
  - {name: a, objectType: S, handler: worker}
`))).toEqual([
      { path: 'type', message: 'unknown field (allowed: orchName, as, service, topic, steps)', line: 3, column: 1 },
      { path: 'topic', message: 'must be 1-200 letters, digits, ".", "_" or "-"', line: 4, column: 8 },
      { path: 'steps[1].name', message: 'duplicate step name "a" (also steps[0])', line: 7, column: 12 },
      { path: 'steps[1].handler', message: 'unknown field (allowed: seq, name, objectType)', line: 7, column: 30 },
    ]);
  });

  it.each(['payments@corp', 'team/x', 'a b'])("refuses %p as a document's service, initiator or worker: no topic could carry it", (service) => {
    const message = 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"';
    expect(problems(yaml(`service: "${service}"\n${ORIGINAL_INITIATOR}`))).toEqual([{ path: 'service', message, line: 1, column: 10 }]);
    expect(problems(yaml(`service: "${service}"\n${ORIGINAL_WORKER}`))).toEqual([{ path: 'service', message, line: 1, column: 10 }]);
  });

  it('reports paths without positions for JSON', () => {
    expect(problems(json('{"orchName": "t", "as": "initiator", "type": "sequential", "steps": [{"seq": 1.5, "name": "a"}]}'))).toEqual([
      { path: 'steps[0].seq', message: 'must be an integer' },
      { path: 'steps[0].objectType', message: 'is required' },
    ]);
  });
});
