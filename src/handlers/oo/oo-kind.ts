import { interpolate } from '../interpolate';
import type { JobOptions } from '../job-execution.entity';
import type { JobKind } from '../job-kind';
import { asInputString, contextOf, objectOf, SpecError } from '../job-request';
import { OO_LOOKUP_EXCHANGES, OoClient } from './oo.client';
import { DEFAULT_SUCCESS_RESULT_TYPES, OO_RESULT_TYPES } from './oo-status';
import { OoTarget } from './oo-target';

/** `{type: oo, connection?, flowUuid, inputs?, runName?, successResultTypes?}` */
export interface OoSpec {
  type: 'oo';
  connection: string;
  flowUuid: string;
  /** As extraVars: an object template or one reference to an object. */
  inputs: Record<string, unknown> | string;
  runName?: string;
  successResultTypes: string[];
}

export const OO_KIND: JobKind<OoSpec> = {
  targetType: 'OO',
  defaultApiPrefix: '/rest/v2',
  lookupExchanges: OO_LOOKUP_EXCHANGES,

  parseSpec(spec, connectionOf) {
    if (typeof spec.flowUuid !== 'string' || !spec.flowUuid.trim()) throw new SpecError('an oo handler needs a flowUuid');
    const inputs = spec.inputs === undefined ? {} : spec.inputs;
    if (typeof inputs !== 'string' && (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs))) {
      throw new SpecError('inputs must be an object of strings or a reference to an object');
    }
    if (spec.runName !== undefined && typeof spec.runName !== 'string') throw new SpecError('runName must be a string');
    const types = spec.successResultTypes ?? DEFAULT_SUCCESS_RESULT_TYPES;
    if (!Array.isArray(types) || types.length === 0
      || !types.every((t) => (OO_RESULT_TYPES as readonly unknown[]).includes(t))) {
      throw new SpecError(`successResultTypes must be a non-empty list of ${OO_RESULT_TYPES.join(', ')}`);
    }
    return {
      type: 'oo', connection: connectionOf(), flowUuid: spec.flowUuid.trim(), inputs: inputs as Record<string, unknown> | string,
      runName: spec.runName, successResultTypes: [...types] as string[],
    };
  },

  request(spec, c) {
    const inputs: Record<string, string> = {};
    for (const [key, value] of Object.entries(objectOf(spec.inputs, c, 'inputs'))) inputs[key] = asInputString(value);
    const base = spec.runName !== undefined ? asInputString(interpolate(spec.runName, contextOf(c), 'runName')) : `${c.orchName}/${c.stepName}`;
    // The command id closing the run name is the marker by which OoTarget.findLaunched finds a launch whose answer was lost.
    const runName = `${base} [baton flow=${c.flowId} step=${c.stepName} command=${c.commandId}]`;
    return {
      resourceType: 'flow', resourceId: spec.flowUuid,
      requestPayload: { flowUuid: spec.flowUuid, runName, inputs },
      options: { successResultTypes: spec.successResultTypes } as JobOptions,
    };
  },

  output(row) {
    const flowOutput = row.responsePayload?.flowOutput;
    return { resultStatusType: row.externalResult, ...(flowOutput !== undefined ? { flowOutput } : {}) };
  },

  target: (transport) => new OoTarget(new OoClient(transport), transport.connection.statusEndpoint),
};
