/** A V8 CPU profile (.cpuprofile) reduced to where the time went. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  wallMs: number;
  /** Share of samples not idle (the engine's CPU use as V8 saw it). */
  busyShare: number;
  /** Self time by area (package, src/ folder, node internals, GC, idle), in % of all samples. */
  byArea: Array<{ area: string; pct: number }>;
  /** Self time by function, top entries. */
  topFunctions: Array<{ fn: string; pct: number }>;
  /** Inclusive time (function and everything it called) for functions of interest. */
  inclusive: Array<{ fn: string; pct: number }>;
}

/** Which package or part of the code a frame belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(garbage collector)') return '(gc)';
  if (functionName === '(program)') return '(program)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /dist\/(src\/[^/]+(?:\/[^/.]+)?)/.exec(url);
  if (src) return src[1].replace(/\/[^/]+$/, (m) => (m.includes('.') ? '' : m));
  if (url.startsWith('node:') || url === '') return `node:${url.replace('node:', '') || 'native'}`.replace(/:internal.*/, ':internal');
  return url;
}

const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*\/(node_modules|dist)\//, '')}:${n.callFrame.lineNumber + 1}`;

export function summarize(profile: CpuProfile, interesting: RegExp, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfSamples = new Map<number, number>();
  for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const total = profile.samples.length || 1;

  const area = new Map<string, number>();
  const fn = new Map<string, number>();
  const incl = new Map<string, number>();
  let idle = 0;
  for (const [id, count] of selfSamples) {
    const node = byId.get(id)!;
    const a = areaOf(node.callFrame.url, node.callFrame.functionName);
    if (a === '(idle)') idle += count;
    area.set(a, (area.get(a) ?? 0) + count);
    fn.set(label(node), (fn.get(label(node)) ?? 0) + count);
    // Inclusive: count each interesting frame once per sample along the stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!;
      const name = frame.callFrame.functionName;
      if (name && interesting.test(name) && !seen.has(name)) {
        seen.add(name);
        incl.set(name, (incl.get(name) ?? 0) + count);
      }
    }
  }
  const pct = (n: number) => Math.round((1000 * n) / total) / 10;
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((x, y) => y[1] - x[1]);
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyShare: Math.round((1000 * (total - idle)) / total) / 1000,
    byArea: sorted(area).slice(0, top).map(([a, n]) => ({ area: a, pct: pct(n) })),
    topFunctions: sorted(fn).filter(([f]) => !f.startsWith('(idle)')).slice(0, top).map(([f, n]) => ({ fn: f, pct: pct(n) })),
    inclusive: sorted(incl).map(([f, n]) => ({ fn: f, pct: pct(n) })),
  };
}
