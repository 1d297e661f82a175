import { parseBuiltInSpec, parseUndoHandler } from './handler-spec';
import { SpecError } from './job-request';

describe('parseBuiltInSpec', () => {
  it('reads an awx job template or workflow job template', () => {
    expect(parseBuiltInSpec({ type: 'awx', jobTemplateId: 7, extraVars: { a: 1 } })).toEqual({
      type: 'awx', connection: 'default', templateKind: 'job_template', templateId: 7, extraVars: { a: 1 },
    });
    expect(parseBuiltInSpec({ type: 'awx', connection: 'Prod', workflowJobTemplateId: 9 })).toMatchObject({
      connection: 'prod', templateKind: 'workflow_job_template', templateId: 9, extraVars: {},
    });
  });

  it('reads an oo flow with default success result types', () => {
    expect(parseBuiltInSpec({ type: 'oo', flowUuid: ' abc ', inputs: { x: '1' }, runName: 'r' })).toEqual({
      type: 'oo', connection: 'default', flowUuid: 'abc', inputs: { x: '1' }, runName: 'r', successResultTypes: ['RESOLVED'],
    });
  });

  it.each([
    [{ type: 'awx' }, 'exactly one of jobTemplateId'],
    [{ type: 'awx', jobTemplateId: 1, workflowJobTemplateId: 2 }, 'exactly one of jobTemplateId'],
    [{ type: 'awx', jobTemplateId: -1 }, 'exactly one'],
    [{ type: 'awx', jobTemplateId: 1, extraVars: [] }, 'extraVars must be an object'],
    [{ type: 'awx', jobTemplateId: 1, extraVars: null }, 'extraVars must be an object'],
    [{ type: 'oo', flowUuid: 'f', inputs: null }, 'inputs must be an object'],
    [{ type: 'awx', jobTemplateId: 1, connection: 'a b' }, 'connection must be'],
    [{ type: 'oo' }, 'needs a flowUuid'],
    // The spec's own problem is named before its connection's.
    [{ type: 'oo', connection: 'a b' }, 'needs a flowUuid'],
    [{ type: 'awx', connection: 'a b' }, 'exactly one of jobTemplateId'],
    [{ type: 'oo', flowUuid: 'f', successResultTypes: ['WIN'] }, 'successResultTypes'],
    [{ type: 'worker' }, 'not a built-in handler type: worker'],
    ['awx', 'not an object'],
  ])('rejects %j', (spec, message) => {
    expect(() => parseBuiltInSpec(spec)).toThrow(SpecError);
    expect(() => parseBuiltInSpec(spec)).toThrow(message);
  });
});

describe('parseUndoHandler', () => {
  const doSpec = { type: 'awx', connection: 'lab', jobTemplateId: 1 };

  it('reads the engine convention {type, do, undo}', () => {
    expect(parseUndoHandler({ type: 'awx', do: doSpec, undo: { type: 'oo', flowUuid: 'f' } }, 'awx')).toMatchObject({
      undo: { type: 'oo', flowUuid: 'f' }, kind: 'oo', connection: 'default',
    });
    expect(parseUndoHandler({ type: 'awx', do: doSpec, undo: false }, 'awx')).toEqual({ undo: null, kind: 'awx', connection: 'lab' });
  });

  it('accepts a bare undo spec and a cancel-only marker', () => {
    expect(parseUndoHandler({ type: 'awx', jobTemplateId: 5 }, 'awx').undo).toMatchObject({ templateId: 5 });
    expect(parseUndoHandler({ type: 'oo', cancelOnly: true }, 'oo')).toEqual({ undo: null, kind: 'oo', connection: 'default' });
  });
});
