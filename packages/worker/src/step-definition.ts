/** What is wrong with a step's definition as `worker.step()` takes it (a JavaScript caller has no compiler to say so), or undefined. */
export function stepDefinitionProblem(def: { objectType?: unknown; do?: unknown; undo?: unknown } | undefined): string | undefined {
  if (typeof def?.do !== 'function') return 'needs a `do` function';
  if (def.undo !== undefined && typeof def.undo !== 'function') return 'has an `undo` that is not a function';
  if (typeof def.objectType !== 'string' || def.objectType === '') return 'needs its `objectType` (the template\'s, for this step)';
  return undefined;
}
