import { samplerOf } from './sampler';

describe('samplerOf', () => {
  it('builds the sampler each OTEL_TRACES_SAMPLER value names, with the ratio of OTEL_TRACES_SAMPLER_ARG', () => {
    expect(samplerOf('always_on', undefined).toString()).toBe('AlwaysOnSampler');
    expect(samplerOf('always_off', undefined).toString()).toBe('AlwaysOffSampler');
    expect(samplerOf('traceidratio', 0.1).toString()).toBe('TraceIdRatioBased{0.1}');
    expect(samplerOf('parentbased_always_on', undefined).toString()).toContain('ParentBased{root=AlwaysOnSampler');
    expect(samplerOf('parentbased_always_off', undefined).toString()).toContain('ParentBased{root=AlwaysOffSampler');
    expect(samplerOf('parentbased_traceidratio', 0).toString()).toContain('ParentBased{root=TraceIdRatioBased{0}');
  });

  it('samples everything when a ratio sampler is given no ratio (the specification\'s default)', () => {
    expect(samplerOf('traceidratio', undefined).toString()).toBe('TraceIdRatioBased{1}');
  });
});
