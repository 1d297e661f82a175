import { initiator, problems, yaml } from './validate-registration.fixtures';

describe('validateRegistration: handlers and undo', () => {
  const doc = (steps: string) => yaml(`orchName: t\nas: initiator\ntype: sequential\nsteps:\n${steps}`);

  it('normalizes handler and undo for worker and built-in steps', () => {
    const d = initiator(doc(`  - {seq: 1, name: w1, objectType: S}
  - {seq: 2, name: w2, objectType: S, handler: worker, undo: false}
  - {seq: 3, name: w3, objectType: S, handler: {type: worker}, undo: true}
  - {seq: 4, name: w4, objectType: S, undo: {type: awx, jobTemplateId: 9}}
  - {seq: 5, name: a1, objectType: S, handler: {type: awx, connection: tower, jobTemplateId: 7, extraVars: {env: prod}}}
  - {seq: 6, name: a2, objectType: S, handler: {type: awx, workflowJobTemplateId: 8}, undo: false}
  - seq: 7
    name: o1
    objectType: S
    handler: {type: oo, flowUuid: 0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a, inputs: {vm: "{{payload.vm}}"}, runName: create, successResultTypes: [RESOLVED, DIAGNOSED, RESOLVED]}
    undo: {type: oo, flowUuid: 1b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a}
`));
    expect(d.steps.map((s) => [s.name, s.handler, s.undo])).toEqual([
      ['w1', { type: 'worker' }, { type: 'worker' }],
      ['w2', { type: 'worker' }, false],
      ['w3', { type: 'worker' }, { type: 'worker' }],
      ['w4', { type: 'worker' }, { type: 'awx', jobTemplateId: 9 }],
      ['a1', { type: 'awx', connection: 'tower', jobTemplateId: 7, extraVars: { env: 'prod' } }, false],
      ['a2', { type: 'awx', workflowJobTemplateId: 8 }, false],
      ['o1', {
        type: 'oo', flowUuid: '0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a', inputs: { vm: '{{payload.vm}}' }, runName: 'create',
        successResultTypes: ['DIAGNOSED', 'RESOLVED'],
      }, { type: 'oo', flowUuid: '1b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a' }],
    ]);
  });

  it('refuses credentials in an http call\'s headers and query, pointing to the connection\'s settings', () => {
    expect(problems(doc(`  - seq: 1
    name: charge
    objectType: S
    handler:
      type: http
      connection: billing
      method: POST
      path: /charges
      headers: {X-Api-Key: sk_live_abcdefghijklmnop, Private-Token: glpat-xyz, X-Tenant: acme}
      query: {access_token: ya29.secret, page_token: "\${payload.page}"}
    undo: {type: http, connection: billing, method: DELETE, path: /charges, headers: {X-Auth-Token: "\${payload.token}"}}
`))).toEqual([
      { path: 'steps[0].handler.headers.X-Api-Key', line: 13, column: 17, message: 'header X-Api-Key carries a credential, which a template '
        + '(read by every viewer) cannot hold: configure it on the connection, HTTP_BILLING_API_KEY with HTTP_BILLING_API_KEY_HEADER=X-Api-Key, '
        + 'or HTTP_BILLING_TOKEN for a bearer token' },
      { path: 'steps[0].handler.headers.Private-Token', line: 13, column: 54, message: expect.stringContaining('header Private-Token carries a credential') },
      { path: 'steps[0].handler.query.access_token', line: 14, column: 15, message: expect.stringContaining('API_KEY_HEADER=<header>') },
      { path: 'steps[0].undo.headers.X-Auth-Token', line: 15, column: 87, message: expect.stringContaining('header X-Auth-Token carries a credential') },
    ]);
  });

  it('refuses placeholders that could never be filled in, and takes every kind that can', () => {
    expect(problems(doc(`  - {seq: 1, name: charge, objectType: S, handler: {type: awx, jobTemplateId: 1, extraVars: {a: "\${payload.items[0].id}", b: "$\${literal"}}}
  - seq: 2
    name: later
    objectType: S
    handler: {type: awx, jobTemplateId: 1, extraVars: {x: "\${steps.nosuch.output}", y: "\${typo}", z: "\${payload", w: ["\${steps.charge.output.id} \${flowId}"]}}
    undo: {type: oo, flowUuid: 0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a, runName: "undo \${correlationId.x}"}
`))).toEqual([
      { path: 'steps[1].handler.extraVars.x', line: 9, column: 59, message: "placeholder ${steps.nosuch.output}: no output of step 'nosuch' (steps with outputs: charge, later)" },
      { path: 'steps[1].handler.extraVars.y', line: 9, column: 88, message: "placeholder ${typo}: unknown name 'typo' (use payload, steps, flowId or correlationId)" },
      { path: 'steps[1].handler.extraVars.z', line: 9, column: 102, message: 'placeholder "${payload": unterminated ${' },
      { path: 'steps[1].undo.runName', line: 10, column: 79, message: 'placeholder ${correlationId.x}: correlationId has no fields' },
    ]);
  });

  it('rejects undo: true and a worker undo on built-in steps', () => {
    expect(problems(doc(`  - {seq: 1, name: a, objectType: S, handler: {type: awx, jobTemplateId: 1}, undo: true}
  - {seq: 2, name: b, objectType: S, handler: {type: awx, jobTemplateId: 1}, undo: worker}
`))).toEqual([
      { path: 'steps[0].undo', message: 'undo: true needs a worker step; give an awx/oo/http undo handler', line: 5, column: 84 },
      { path: 'steps[1].undo', message: 'a worker undo needs a worker step; give an awx/oo/http undo handler', line: 6, column: 84 },
    ]);
  });

  it('rejects URL, host and credential fields on built-in handlers', () => {
    const result = problems(doc(`  - seq: 1
    name: a
    objectType: S
    handler: {type: awx, jobTemplateId: 1, url: "http://tower", username: admin}
    undo: {type: oo, flowUuid: 0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a, host: oo.example.com, password: x}
`));
    const allowedAwx = 'unknown field (allowed: type, connection, jobTemplateId, workflowJobTemplateId, extraVars)';
    const allowedOo = 'unknown field (allowed: type, connection, flowUuid, inputs, runName, successResultTypes)';
    expect(result).toEqual([
      { path: 'steps[0].handler.url', message: allowedAwx, line: 8, column: 44 },
      { path: 'steps[0].handler.username', message: allowedAwx, line: 8, column: 65 },
      { path: 'steps[0].undo.host', message: allowedOo, line: 9, column: 70 },
      { path: 'steps[0].undo.password', message: allowedOo, line: 9, column: 92 },
    ]);
  });

  it('reports handler shape problems at their paths', () => {
    expect(problems(doc(`  - {seq: 1, name: a, objectType: S, handler: {type: awx}}
  - {seq: 2, name: b, objectType: S, handler: {type: awx, jobTemplateId: 1, workflowJobTemplateId: 2}}
  - {seq: 3, name: c, objectType: S, handler: {type: ansible}}
  - {seq: 4, name: d, objectType: S, handler: awx}
  - {seq: 5, name: e, objectType: S, handler: {type: oo, flowUuid: not-a-uuid, successResultTypes: [DONE]}}
  - {seq: 6, name: f, objectType: S, undo: maybe}
  - {seq: 7, name: g, objectType: S, handler: {type: oo}}
`))).toEqual([
      { path: 'steps[0].handler', message: 'give jobTemplateId or workflowJobTemplateId', line: 5, column: 47 },
      { path: 'steps[1].handler.workflowJobTemplateId', message: 'give jobTemplateId or workflowJobTemplateId, not both', line: 6, column: 100 },
      { path: 'steps[2].handler.type', message: 'must be one of: worker, awx, oo, http', line: 7, column: 54 },
      { path: 'steps[3].handler', message: 'must be "worker" or a handler object {type: worker | awx | oo | http, ...}', line: 8, column: 47 },
      { path: 'steps[4].handler.flowUuid', message: 'must be a UUID (8-4-4-4-12 hex digits)', line: 9, column: 68 },
      { path: 'steps[4].handler.successResultTypes[0]', message: 'must be one of: RESOLVED, DIAGNOSED, NO_ACTION_TAKEN, ERROR', line: 9, column: 101 },
      { path: 'steps[5].undo', message: 'must be true, false or a handler object {type: worker | awx | oo | http, ...}', line: 10, column: 44 },
      { path: 'steps[6].handler.flowUuid', message: 'is required', line: 11, column: 47 },
    ]);
  });

  it('takes extraVars and inputs as one reference to a whole object, and nothing else as a string', () => {
    const steps = initiator(doc(`  - {seq: 1, name: a, objectType: S, handler: {type: awx, jobTemplateId: 1, extraVars: '\${payload}'}}
  - {seq: 2, name: b, objectType: S, handler: {type: oo, flowUuid: 0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a, inputs: '\${steps.a.output.artifacts}'}}
`)).steps;
    expect(steps.map((s) => s.handler)).toEqual([
      { type: 'awx', jobTemplateId: 1, extraVars: '${payload}' },
      { type: 'oo', flowUuid: '0b7d6b2c-1c5a-4e6e-9a1f-3f2d1e0c9b8a', inputs: '${steps.a.output.artifacts}' },
    ]);
    const refused = problems(doc(`  - {seq: 1, name: a, objectType: S, handler: {type: awx, jobTemplateId: 1, extraVars: 'vars \${payload}'}}
`));
    expect(refused).toEqual([expect.objectContaining({ path: 'steps[0].handler.extraVars' })]);
  });
});
