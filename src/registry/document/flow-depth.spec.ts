import { flowDepthExceeded } from './flow-depth';

describe('flowDepthExceeded', () => {
  it('finds where flow collections open too deep', () => {
    expect(flowDepthExceeded('a: [[[1]]]', 3)).toBe(-1);
    expect(flowDepthExceeded('a: [[[[1]]]]', 3)).toBe(6);
    expect(flowDepthExceeded(`a: ${'{b: '.repeat(10)}1${'}'.repeat(10)}`, 5)).toBe(23);
  });

  it('ignores brackets in quoted scalars and comments', () => {
    expect(flowDepthExceeded(`a: "[[[[\\"[["\nb: '{{{{'\n# [[[[[\nc: [1] # {{{{`, 2)).toBe(-1);
  });

  it('does not take an apostrophe in a word for a quote', () => {
    expect(flowDepthExceeded("description: it's [[[[x]]]]", 3)).toBe(21);
  });
});
