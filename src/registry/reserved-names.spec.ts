import { reservedNameProblem } from './reserved-names';

describe('reservedNameProblem', () => {
  it("reserves the Orca adapter's names for its own service", () => {
    expect(reservedNameProblem('orca.awx.job_template.42.prod', 'payments')).toBe('names starting with orca. are reserved for baton-orca');
    expect(reservedNameProblem('orca.oo.x.default', 'baton-orca')).toBeUndefined();
  });

  it('leaves every other name free, also ones that merely contain orca', () => {
    for (const name of ['orcaFlow', 'tenantCreation', 'my.orca.flow']) expect(reservedNameProblem(name, 'payments')).toBeUndefined();
  });
});
