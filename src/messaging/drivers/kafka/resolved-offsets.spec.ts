import { ResolvedOffsets } from './resolved-offsets';

describe('ResolvedOffsets', () => {
  it('commits the offset after the last resolved one, per owned partition, once', () => {
    const offsets = new ResolvedOffsets('t');
    offsets.resolve(0, '9');
    offsets.resolve(0, '10');
    offsets.resolve(1, '4');
    offsets.resolve(2, '7');
    offsets.keepOnly([0, 1]);
    expect(offsets.take()).toEqual([{ topic: 't', partition: 0, offset: '11' }, { topic: 't', partition: 1, offset: '5' }]);
    expect(offsets.take()).toEqual([]);
  });
});
