import { Logger } from '@nestjs/common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { DefinitionsLoader } from './definitions-loader.service';
import type { RegistryService } from './registry.service';

describe('DefinitionsLoader', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-definitions-'));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  const loaderFor = (definitionsDir: string) => {
    const registered: string[] = [];
    const registry = {
      register: async ({ body }: { body: string }) => {
        registered.push(body);
        return { orchName: 'x', outcome: 'CREATED', status: 'READY' };
      },
    } as unknown as RegistryService;
    const config = { DEFINITIONS_DIR: definitionsDir, DEFINITIONS_SERVICE: 'definitions' } as AppConfig;
    return { registered, loader: new DefinitionsLoader(registry, config) };
  };

  it('registers the YAML and JSON files of the directory, in name order, and nothing else', async () => {
    await writeFile(join(dir, 'b.json'), '{"b":1}');
    await writeFile(join(dir, 'a.yaml'), 'a: 1');
    await writeFile(join(dir, 'notes.txt'), 'not a definition');
    const { registered, loader } = loaderFor(dir);
    await loader.onApplicationBootstrap();
    expect(registered).toEqual(['a: 1', '{"b":1}']);
  });

  it('says, with the full path, that it loaded nothing when the directory is missing (a relative one is the working directory\'s)', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const { registered, loader } = loaderFor(join(dir, 'absent'));
    await loader.onApplicationBootstrap();
    expect(registered).toEqual([]);
    expect(log).toHaveBeenCalledWith({ dir: join(dir, 'absent') }, `No definitions loaded: no directory ${join(dir, 'absent')} (DEFINITIONS_DIR)`);
  });
});
