import { ABANDONED_JOB_TEXTS } from './abandoned-job';

describe('abandoned job texts', () => {
  it('hold no quote: run.repository writes them into its SQL as literals, where one would break every terminate', () => {
    for (const text of Object.values(ABANDONED_JOB_TEXTS)) expect(text).not.toMatch(/['\\]/);
  });
});
