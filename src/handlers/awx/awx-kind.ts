import type { JobResourceType } from '../job-execution.entity';
import type { JobKind } from '../job-kind';
import { objectOf, SpecError } from '../job-request';
import { AWX_LOOKUP_EXCHANGES, AwxClient } from './awx.client';
import { AwxTarget } from './awx-target';

/** `{type: awx, connection?, jobTemplateId | workflowJobTemplateId, extraVars?}` */
export interface AwxSpec {
  type: 'awx';
  connection: string;
  templateKind: 'job_template' | 'workflow_job_template';
  templateId: number;
  /** An object template, or one reference ('${payload}') that must resolve to an object. */
  extraVars: Record<string, unknown> | string;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export const AWX_KIND: JobKind<AwxSpec> = {
  targetType: 'AWX',
  defaultApiPrefix: '/api/v2',
  lookupExchanges: AWX_LOOKUP_EXCHANGES,

  parseSpec(spec, connectionOf) {
    const jt = positiveInt(spec.jobTemplateId);
    const wf = positiveInt(spec.workflowJobTemplateId);
    if ((jt === undefined) === (wf === undefined)) throw new SpecError('an awx handler needs exactly one of jobTemplateId, workflowJobTemplateId (positive integers)');
    const extraVars = spec.extraVars === undefined ? {} : spec.extraVars;
    if (typeof extraVars !== 'string' && (extraVars === null || typeof extraVars !== 'object' || Array.isArray(extraVars))) {
      throw new SpecError('extraVars must be an object or a reference to one');
    }
    return {
      type: 'awx', connection: connectionOf(), templateKind: jt !== undefined ? 'job_template' : 'workflow_job_template', templateId: (jt ?? wf)!,
      extraVars: extraVars as Record<string, unknown> | string,
    };
  },

  request(spec, c, connection) {
    const vars = objectOf(spec.extraVars, c, 'extraVars');
    // The command id is the marker by which a launch whose answer was lost is found again (AwxTarget.findLaunched).
    const extraVars = connection.traceExtraVars
      ? { ...vars, baton_flow_id: c.flowId, baton_step: c.stepName, baton_command_id: c.commandId } : vars;
    return {
      resourceType: spec.templateKind as JobResourceType, resourceId: String(spec.templateId),
      requestPayload: { extra_vars: extraVars }, options: null,
    };
  },

  output(row) {
    const artifacts = row.responsePayload?.artifacts;
    return artifacts !== undefined ? { artifacts } : {};
  },

  target: (transport) => new AwxTarget(new AwxClient(transport)),
};
