import { isTargetKind, jobKind, kindOfTarget } from './job-kinds';

describe('job kinds', () => {
  it('maps a job row target type to its kind, and an HTTP step to none', () => {
    expect(kindOfTarget('AWX')).toBe('awx');
    expect(kindOfTarget('OO')).toBe('oo');
    expect(kindOfTarget('HTTP')).toBeUndefined();
  });

  it('knows the launching kinds only', () => {
    expect(['awx', 'oo', 'http', 'AWX', undefined].map(isTargetKind)).toEqual([true, true, false, false, false]);
  });

  it('gives each kind its own API prefix and target type', () => {
    expect([jobKind('awx').defaultApiPrefix, jobKind('oo').defaultApiPrefix]).toEqual(['/api/v2', '/rest/v2']);
    expect([jobKind('awx').targetType, jobKind('oo').targetType]).toEqual(['AWX', 'OO']);
  });
});
