import { claimExchanges } from './claim-exchanges';

describe('claimExchanges', () => {
  it('counts an AWX lookup (a page of each of two lists, the launch view) and the launch', () => {
    expect(claimExchanges('awx')).toBe(4);
  });

  it('counts an OO poll claim (cancel, poll, cancel again), longer than its lookup and launch', () => {
    expect(claimExchanges('oo')).toBe(3);
  });
});
