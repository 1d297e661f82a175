import { readJobListPage } from './awx-job-list';

describe('readJobListPage', () => {
  const page = (results: unknown[], next: string | null = null) => ({ count: results.length, next, previous: null, results });

  it('keeps the jobs whose extra_vars (a JSON text, as AWX lists them) carry the command id, compared whole', () => {
    const ours = { id: 7, extra_vars: '{"baton_command_id": "c-1", "region": "eu"}' };
    const read = readJobListPage(page([
      ours,
      { id: 8, extra_vars: '{"baton_command_id": "c-10"}' },
      { id: 9, extra_vars: '{"note": "retry of c-1"}' },
      { id: 10, extra_vars: '{"baton_command_id": "c"}' },
      { id: 11, extra_vars: 'baton_command_id: c-1' },
      { id: 12 },
    ]), 'c-1');
    expect(read).toEqual({ matches: [ours], more: false });
  });

  it('reads extra_vars given as an object too', () => {
    expect(readJobListPage(page([{ id: 7, extra_vars: { baton_command_id: 'c-1' } }]), 'c-1')?.matches).toHaveLength(1);
  });

  it('skips what a workflow spawned (its nodes, a sliced job\'s slices): they repeat its vars', () => {
    expect(readJobListPage(page([{ id: 7, launch_type: 'workflow', extra_vars: '{"baton_command_id": "c-1"}' }]), 'c-1')?.matches).toEqual([]);
  });

  it('says when another page follows', () => {
    expect(readJobListPage(page([], '/api/v2/job_templates/1/jobs/?page=2'), 'c-1')?.more).toBe(true);
  });

  it('refuses what is no list', () => {
    expect(readJobListPage([], 'c-1')).toBeUndefined();
    expect(readJobListPage({ detail: 'Not found.' }, 'c-1')).toBeUndefined();
  });
});
