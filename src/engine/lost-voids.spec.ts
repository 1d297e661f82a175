import { lostVoids } from './lost-voids';

describe('lostVoids', () => {
  const completion = { stepName: 'reserve', action: 'DO' as const, attempt: 2, status: 'SUCCEEDED' as const, output: null, error: null };
  const voiding = { voided: { commandIds: ['v1', 'v2'], reason: 'not sent' } };

  it('is empty when every command to drop was dropped, or there was none', () => {
    expect(lostVoids({}, { voided: undefined })).toEqual([]);
    expect(lostVoids(voiding, { voided: 2 })).toEqual([]);
    expect(lostVoids({ completion, withdrawn: 'w2' }, { voided: 0, withdrawn: true })).toEqual([]);
    expect(lostVoids({ ...voiding, completion, withdrawn: 'w2' }, { voided: 2, withdrawn: true })).toEqual([]);
  });

  it('reports a retry to void that went out meanwhile', () => {
    expect(lostVoids(voiding, { voided: 1 })).toEqual([{ fields: {}, message: expect.stringMatching(/^a retry to void was sent meanwhile/) }]);
  });

  it('reports a withdrawn retry that went out meanwhile, naming its step and command, though every retry to void was voided', () => {
    const withdrawn = { fields: { step: 'reserve', action: 'DO', attempt: 2, commandId: 'w2' }, message: expect.stringMatching(/^a retry to withdraw was sent meanwhile/) };
    expect(lostVoids({ completion, withdrawn: 'w2' }, { voided: 0, withdrawn: false })).toEqual([withdrawn]);
    expect(lostVoids({ ...voiding, completion, withdrawn: 'w2' }, { voided: 2, withdrawn: false })).toEqual([withdrawn]);
    expect(lostVoids({ ...voiding, completion, withdrawn: 'w2' }, { voided: 1, withdrawn: false })).toHaveLength(2);
  });
});
