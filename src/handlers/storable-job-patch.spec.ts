import { storableJobPatch } from './storable-job-patch';

describe('storableJobPatch', () => {
  it('fits partner text to its varchar column and leaves short values and other fields alone', () => {
    const long = `${'in-progress-'.repeat(10)}end`;
    const patch = storableJobPatch({ externalStatus: long, externalResult: 'R\u0000'.repeat(40), externalJobId: '/operations/'.repeat(20), status: 'RUNNING', pollingAttempts: 3 });
    expect(patch.externalStatus).toBe(long.slice(0, 50));
    expect(patch.externalResult).toHaveLength(50);
    expect(patch.externalResult).not.toContain('\u0000');
    expect(patch.externalJobId).toHaveLength(100);
    expect(patch).toMatchObject({ status: 'RUNNING', pollingAttempts: 3 });
    expect(storableJobPatch({ externalStatus: 'done', externalResult: null })).toEqual({ externalStatus: 'done', externalResult: null });
  });

  it('cleans errors and the kept response of what PostgreSQL refuses', () => {
    const patch = storableJobPatch({
      error: 'failed: bad\u0000thing', lastLaunchError: 'x'.repeat(20_000),
      responsePayload: JSON.parse('{"artifacts":{"name":"\\ud83d","n":1}}') as Record<string, unknown>,
    });
    expect(patch.error).toBe('failed: bad\uFFFDthing');
    expect(patch.lastLaunchError).toHaveLength(10_000);
    expect(patch.responsePayload).toEqual({ artifacts: { name: '\uFFFD', n: 1 } });
  });
});
