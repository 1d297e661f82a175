import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/test-app';

const GENERATED = join(__dirname, '../../ui/src/api/openapi.d.ts');
const CLI = join(__dirname, '../../node_modules/openapi-typescript/bin/cli.js');
const CONSOLE_PAGING = join(__dirname, '../../ui/src/lib/paging.ts');

/**
 * The console's copy of the API's types (ui/src/api/openapi.d.ts), which ui/src/api/types.check.ts
 * holds the console's own types against at compile time, is generated from the OpenAPI document:
 * a change to the API that leaves it stale fails here. `UPDATE_API_TYPES=1 npm test --
 * console-api-types` writes it anew; then `npm run lint` says what in the console no longer fits.
 */
describe("the console's copy of the API's types", () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  it('is what openapi-typescript makes of the OpenAPI document Baton serves', async () => {
    const document = (await t.http.get('/v3/api-docs').expect(200)).body;
    const dir = mkdtempSync(join(tmpdir(), 'baton-api-types-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
      execFileSync(process.execPath, [CLI, join(dir, 'openapi.json'), '--output', join(dir, 'openapi.d.ts')], { stdio: 'pipe' });
      const fresh = readFileSync(join(dir, 'openapi.d.ts'), 'utf8');
      if (process.env.UPDATE_API_TYPES === '1') writeFileSync(GENERATED, fresh);
      expect(readFileSync(GENERATED, 'utf8')).toBe(fresh);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the highest page the API's document states, which the console's pager offers no page beyond", async () => {
    const document = (await t.http.get('/v3/api-docs').expect(200)).body;
    const page = document.paths['/api/orchestration/runs'].get.parameters.find((p: { name: string }) => p.name === 'page');
    // A value, not types: read from the console's source (an ES module, which this CommonJS suite cannot import).
    const consoleMax = /export const MAX_PAGE = ([\d_]+);/.exec(readFileSync(CONSOLE_PAGING, 'utf8'))![1];
    expect(Number(consoleMax.replaceAll('_', ''))).toBe(page.schema.maximum);
  });
});
