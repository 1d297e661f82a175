import { startTestApp, TestApp } from '../helpers/test-app';

const REGISTER = '/api/orchestration/register';

/**
 * A registration nested too deep in YAML block style is refused through HTTP with the nesting
 * limit, as the flow form is: 20,000 `- ` overflowed yaml's recursive composer and the 400 carried
 * "Maximum call stack size exceeded" (embedded default, auth off).
 */
describe('registry document limits (embedded default)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  }, 120_000); // a fresh data directory's initdb: 10-40 s on a loaded machine, like the other suites allow
  afterAll(() => t.close());

  it.each([
    ['a one-line block list', `orchName: deep\nas: initiator\ntype: sequential\nsteps: \n${'- '.repeat(20_000)}1\n`],
    ['explicit keys', `${'? '.repeat(20_000)}x\n`],
  ])('refuses %s nested 20,000 deep with a 400 naming the limit, never an internal error', async (_, text) => {
    const res = await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'deep').send(text).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_DOCUMENT', problems: [{ path: '(document)', message: 'nested deeper than 64 levels' }] });
    expect(JSON.stringify(res.body)).not.toMatch(/call stack/i);
  });
});
