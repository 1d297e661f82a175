import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

const PACKAGE = resolve(__dirname, '..');
const TYPE_ROOTS = [resolve(PACKAGE, '../../node_modules/@types')];

function problems(program: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.replace(/.*node_modules\//, '')}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/**
 * kafkajs, amqplib and pg are optional peers: a worker on HTTP compiles against the SDK's
 * declarations without them, with `skipLibCheck` off (TypeScript's default). Before, four of them
 * imported kafkajs's types, and such a worker failed with TS2307.
 */
describe("the SDK's published declarations", () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'sdk-consumer-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compile in a project that has neither kafkajs, amqplib nor pg installed', () => {
    const installed = join(dir, 'node_modules', '@baton', 'worker');
    const config = ts.getParsedCommandLineOfConfigFile(join(PACKAGE, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const emitted = ts.createProgram(config.fileNames, {
      ...config.options, outDir: join(installed, 'dist'), declaration: true, emitDeclarationOnly: true, sourceMap: false, declarationMap: false, typeRoots: TYPE_ROOTS,
    }).emit();
    expect(emitted.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: '@baton/worker', main: 'dist/index.js', types: 'dist/index.d.ts' }));

    const consumer = join(dir, 'worker.ts');
    writeFileSync(consumer, [
      "import { createWorker, AttemptEndedError, type StepCommand, type WorkerOptions } from '@baton/worker';",
      "const options: WorkerOptions = { service: 'tenant-service', baton: { url: 'http://127.0.0.1:3000' }, transport: 'http' };",
      'const worker = createWorker(options);',
      "worker.step('tenantCreation', 'createRealm', { objectType: 'String', do: async (cmd: StepCommand) => ({ realm: cmd.flowId, ended: cmd.signal.reason instanceof AttemptEndedError }) });",
      'void worker.start();',
    ].join('\n'));
    const program = ts.createProgram([consumer], {
      strict: true, skipLibCheck: false, noEmit: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022, types: ['node'], typeRoots: TYPE_ROOTS,
    });
    expect(problems(program)).toEqual([]);
  }, 120_000); // two whole TypeScript programs: about 8 s on a quiet machine
});
