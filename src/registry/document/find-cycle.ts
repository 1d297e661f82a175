export interface GraphNode {
  name: string;
  dependsOn: readonly string[];
}

/**
 * A dependency cycle, as the path that closes it (`['a', 'b', 'c', 'a']`: a depends on b, b on c,
 * c on a), or undefined for an acyclic graph. Depth-first with three colours; names a node does
 * not know are ignored (reported elsewhere). Iterative, so a long chain cannot overflow the stack.
 */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const deps = new Map(nodes.map((n) => [n.name, n.dependsOn.filter((d) => d !== n.name)]));
  const state = new Map<string, 'open' | 'done'>();
  for (const root of [...deps.keys()].sort()) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: Array<{ name: string; next: number }> = [{ name: root, next: 0 }];
    state.set(root, 'open');
    path.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const edges = deps.get(top.name) ?? [];
      if (top.next >= edges.length) {
        state.set(top.name, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const dep = edges[top.next++];
      if (!deps.has(dep) || state.get(dep) === 'done') continue;
      if (state.get(dep) === 'open') return [...path.slice(path.indexOf(dep)), dep];
      state.set(dep, 'open');
      path.push(dep);
      stack.push({ name: dep, next: 0 });
    }
  }
  return undefined;
}

/** Each node's depth: 1 for a node without dependencies, else one more than its deepest dependency. Acyclic graphs only. */
export function depthsOf(nodes: readonly GraphNode[]): Map<string, number> {
  const deps = new Map(nodes.map((n) => [n.name, n.dependsOn]));
  const depth = new Map<string, number>();
  const visit = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const d = 1 + Math.max(0, ...(deps.get(name) ?? []).filter((x) => deps.has(x)).map(visit));
    depth.set(name, d);
    return d;
  };
  for (const n of nodes) visit(n.name);
  return depth;
}
