import { placeholderIssues } from './placeholder-rules';

describe('placeholderIssues', () => {
  it('checks only the fields a handler fills in', () => {
    const steps = [{ name: 'a', handler: { type: 'http', connection: 'c', path: '/x', success: { path: 'status', equals: '${nothing}' } } }];
    expect(placeholderIssues(steps)).toEqual([]);
    expect(placeholderIssues([{ name: 'a', handler: { type: 'http', connection: 'c', path: '/${nothing}' } }]))
      .toEqual([{ path: ['steps', 0, 'handler', 'path'], message: expect.stringContaining("unknown name 'nothing'") }]);
  });

  it('passes over handler types it does not know, inherited names included', () => {
    for (const type of ['worker', 'constructor', '__proto__', 'toString']) {
      expect(placeholderIssues([{ name: 'a', handler: { type, extraVars: '${x}' } }, null, 'b'])).toEqual([]);
    }
  });
});
