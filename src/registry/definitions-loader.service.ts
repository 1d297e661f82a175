import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { RegistryService } from './registry.service';

const CONTENT_TYPES: Record<string, string> = { '.yaml': 'application/yaml', '.yml': 'application/yaml', '.json': 'application/json' };

/**
 * Registers definitions/*.yaml|yml|json at boot through the same path as REST (source `file`).
 * A broken file is logged with its name and the problems' lines, and audited; Baton still starts.
 * A file holding the content of a version that one registered over the API or a topic replaced
 * is not registered again (RegistryService): that version is kept, with a warning naming both.
 */
@Injectable()
export class DefinitionsLoader implements OnApplicationBootstrap {
  private readonly logger = new Logger(DefinitionsLoader.name);

  constructor(private readonly registry: RegistryService, private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const dir = resolve(this.config.DEFINITIONS_DIR);
    const files = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      // Named in full: a relative DEFINITIONS_DIR is the working directory's, and Baton started from elsewhere loaded nothing silently.
      this.logger.log({ dir }, `No definitions loaded: ${error.code === 'ENOENT' ? `no directory ${dir}` : `${dir} cannot be read (${error.code})`} (DEFINITIONS_DIR)`);
      return [] as string[];
    });
    for (const file of files.filter((f) => CONTENT_TYPES[extname(f)]).sort()) {
      await this.load(join(dir, file));
    }
  }

  private async load(path: string): Promise<void> {
    try {
      const result = await this.registry.register({
        body: await readFile(path, 'utf8'), contentType: CONTENT_TYPES[extname(path)], serviceName: undefined,
        fallbackServiceName: this.config.DEFINITIONS_SERVICE, source: 'file',
      });
      if (result.olderVersion !== undefined) {
        this.logger.warn({ file: path, orchName: result.orchName, version: result.version, olderVersion: result.olderVersion },
          `definition ${path} holds version ${result.olderVersion} of ${result.orchName}, which a version registered over the API or a topic `
          + `replaced since: version ${result.version} kept (change the file to register from it again, or register its content over the API)`);
        return;
      }
      this.logger.log({ file: path, orchName: result.orchName, outcome: result.outcome, status: result.status }, 'definition loaded');
    } catch (e) {
      const problems = e instanceof AppError
        ? e.problems.map((p) => `${path}${p.line ? `:${p.line}:${p.column}` : ''} ${p.path}: ${p.message}`) : [];
      this.logger.error({ file: path, problems }, `definition ${path} rejected: ${(e as Error).message}`);
    }
  }
}
