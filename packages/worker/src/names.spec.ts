import { join } from 'node:path';
import { NAME, nameProblem } from './names';

interface WorkerDocumentSchema {
  safeParse(document: unknown): { success: boolean; data?: { orchName: string; steps: Array<{ name: string }> } };
}

/**
 * Baton's registry schema, loaded by path: the SDK imports nothing of Baton's (its tsconfig's
 * rootDir is its own src/), so the two copies of the name rule are held together by this test.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a path outside the package, on purpose not followed by tsc
const { workerDocumentSchema } = require(join(__dirname, '../../../src/registry/document/registration-document.schema')) as { workerDocumentSchema: WorkerDocumentSchema };

/** Whether Baton registers `name` as given, as a template and as a step: refused or trimmed, a worker's steps would get no command. */
function batonTakesAsGiven(name: string): boolean {
  const parsed = workerDocumentSchema.safeParse({ orchName: name, as: 'worker', steps: [{ name, objectType: 'String' }] });
  return parsed.success && parsed.data!.orchName === name && parsed.data!.steps[0].name === name;
}

const SAMPLES = [
  'createRealm', 'tenant-creation', 'a', '0', '9lives', 'step_1', 'v1.2', 'A.b-c_d', 'x'.repeat(200), 'x'.repeat(201),
  '', ' ', 'createRealm ', ' createRealm', 'create realm', '-lead', '.lead', '_lead', 'tab\there', 'new\nline',
  'é', 'naïve', 'a/b', 'a:b', 'a@b', 'a+b', 'a*b', '中文', 'a\u0000b', 'a\u200bb',
];

describe("the SDK's name rule", () => {
  it.each(SAMPLES.map((name) => [name.length > 20 ? `${name.length} characters` : JSON.stringify(name), name]))('agrees with Baton\'s registry on %s', (_, name) => {
    expect(NAME.test(name)).toBe(batonTakesAsGiven(name));
    expect(nameProblem('step', name) === undefined).toBe(batonTakesAsGiven(name));
  });
});
