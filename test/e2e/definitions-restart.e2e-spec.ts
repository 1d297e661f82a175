import { Logger } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefinitionsLoader } from '../../src/registry/definitions-loader.service';
import { initiatorYaml } from '../helpers/documents';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * definitions/ is loaded at every start. A file left as it was must not revert a version
 * registered since over the API: runs parked for the new version's steps then ran without them.
 */
describe('definition files at a restart, after a newer version came over the API', () => {
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'baton-defs-restart-'));
  const file = join(dir, 'kept.yaml');

  beforeAll(async () => {
    writeFileSync(file, `service: defs\n${initiatorYaml('keptFlow', 'sequential', ['reserve', 'charge'])}`);
    t = await startTestApp({ DEFINITIONS_DIR: dir });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const current = async () => {
    const { body } = await t.http.get('/api/orchestration/templates/keptFlow').expect(200);
    return { version: body.versions[0].version as number, steps: (body.versions[0].steps as Array<{ name: string }>).map((s) => s.name) };
  };
  const restart = () => t.get(DefinitionsLoader).onApplicationBootstrap();

  it('keeps the newer version, with a warning naming both, and registers the file again once it changes', async () => {
    expect(await current()).toEqual({ version: 1, steps: ['reserve', 'charge'] });
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'defs')
      .send(initiatorYaml('keptFlow', 'sequential', ['reserve', 'charge', 'ship'])).expect(201);
    expect(await current()).toEqual({ version: 2, steps: ['reserve', 'charge', 'ship'] });

    const warn = jest.spyOn(Logger.prototype, 'warn');
    await restart();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ orchName: 'keptFlow', version: 2, olderVersion: 1 }),
      expect.stringContaining(`definition ${file} holds version 1 of keptFlow, which a version registered over the API or a topic replaced since: version 2 kept`));
    warn.mockRestore();
    expect(await current()).toEqual({ version: 2, steps: ['reserve', 'charge', 'ship'] });

    writeFileSync(file, `service: defs\n${initiatorYaml('keptFlow', 'sequential', ['reserve'])}`);
    await restart();
    expect(await current()).toEqual({ version: 3, steps: ['reserve'] });
  });

  it("registers a file rolled back to its own earlier content: only the file's versions came since", async () => {
    writeFileSync(file, `service: defs\n${initiatorYaml('keptFlow', 'sequential', ['charge'])}`);
    await restart();
    expect(await current()).toEqual({ version: 4, steps: ['charge'] });
    writeFileSync(file, `service: defs\n${initiatorYaml('keptFlow', 'sequential', ['reserve'])}`);
    await restart();
    expect(await current()).toEqual({ version: 5, steps: ['reserve'] });
  });
});
