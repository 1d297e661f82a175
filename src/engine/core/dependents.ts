import type { Plan } from './plan';

/**
 * For each step of a DAG, every step that depends on it, directly or through others. A step is
 * undone only after all of these: undoing it first would pull the ground from under a step that
 * built on it, even through a step that has no undo of its own.
 */
export function dependentsOf(plan: Plan): Map<string, Set<string>> {
  const direct = new Map<string, string[]>(plan.steps.map((s) => [s.name, []]));
  for (const s of plan.steps) for (const d of s.dependsOn ?? []) direct.get(d)?.push(s.name);
  const all = new Map<string, Set<string>>();
  for (const s of plan.steps) {
    const seen = new Set<string>();
    const todo = [...direct.get(s.name)!];
    while (todo.length > 0) {
      const next = todo.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      todo.push(...(direct.get(next) ?? []));
    }
    all.set(s.name, seen);
  }
  return all;
}
