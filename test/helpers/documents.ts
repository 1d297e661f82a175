/** Registration documents used across suites, in the original service's format. */

/** `workers`: the services the template lets work its steps (with authentication on, only its owner otherwise). */
export const initiatorYaml = (orchName: string, type = 'sequential', steps = ['createRealm', 'createClient'], workers?: string[]) =>
  `orchName: ${orchName}
as: initiator
type: ${type}
${workers ? `workers: [${workers.join(', ')}]\n` : ''}steps:
${steps.map((s, i) => `  - {seq: ${i + 1}, name: ${s}, objectType: String}`).join('\n')}
`;

export const workerJson = (orchName: string, steps: string[], topic?: string) => ({
  orchName, as: 'worker', ...(topic ? { topic } : {}), steps: steps.map((name) => ({ name, objectType: 'String' })),
});
