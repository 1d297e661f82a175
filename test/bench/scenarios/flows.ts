import type { FlowSpec } from '../harness/deployment';

/** (a)–(c), (e): three steps one after another. */
export const SEQUENTIAL: FlowSpec = {
  orchName: 'benchSeq3', type: 'sequential', steps: [{ name: 'reserve' }, { name: 'charge' }, { name: 'ship' }],
};

/** (d): five steps dispatched at once. */
export const PARALLEL: FlowSpec = {
  orchName: 'benchPar5', type: 'parallel', steps: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name: `fan${name.toUpperCase()}` })),
};

/** Step results applied per completed run of a flow: one DO result per step. */
export const transitionsPerRun = (flow: FlowSpec) => flow.steps.length;
