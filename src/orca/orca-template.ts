import type { OrcaRequest } from './request-created-event';

/** The one step of every Orca template: its job rows and attempts carry this name. */
export const ORCA_STEP = 'orcaExecution';
/** Owner of the templates the adapter registers. */
export const ORCA_SERVICE = 'baton-orca';
export const ORCA_TEMPLATE_PREFIX = 'orca.';
/**
 * A COMPLETED OO flow succeeds with the result types Orca has codes for. Orca also called
 * COMPLETED + ERROR a success (with no result type); Baton calls it a failure.
 */
const ORCA_SUCCESS_RESULT_TYPES = ['RESOLVED', 'DIAGNOSED', 'NO_ACTION_TAKEN'];

type OrcaResource = Pick<OrcaRequest, 'target' | 'resourceType' | 'resourceId'>;

/**
 * `orca.awx.job_template.42.`, `orca.oo.<flowUuid>.`: what every template of the resource's
 * names start with, whatever the connection (an id is digits or a UUID, so no other resource's shares it).
 */
export function orcaResourcePrefix(request: OrcaResource): string {
  const kind = request.target === 'awx' ? `awx.${request.resourceType}` : 'oo';
  return `${ORCA_TEMPLATE_PREFIX}${kind}.${request.resourceId}.`;
}

/** `orca.awx.job_template.42.prod`, `orca.oo.<flowUuid>.default`: one template per resource and connection. */
export function orcaTemplateName(request: OrcaResource, connection: string): string {
  return `${orcaResourcePrefix(request)}${connection}`;
}

/**
 * The registration document of that template: one built-in step whose extra_vars (AWX) or inputs
 * (OO) are the whole run payload, i.e. the request's FormData. Like Orca, no undo and no retry
 * beyond the handler's own launch retries.
 */
export function orcaTemplateDocument(request: OrcaRequest, connection: string): Record<string, unknown> {
  const handler = request.target === 'awx'
    ? { type: 'awx', connection, [request.resourceType === 'workflow_job_template' ? 'workflowJobTemplateId' : 'jobTemplateId']: Number(request.resourceId), extraVars: '${payload}' }
    : { type: 'oo', connection, flowUuid: request.resourceId, inputs: '${payload}', successResultTypes: ORCA_SUCCESS_RESULT_TYPES };
  return {
    orchName: orcaTemplateName(request, connection),
    as: 'initiator',
    type: 'sequential',
    service: ORCA_SERVICE,
    description: 'Registered by the Orca adapter (ORCA_COMPAT) for RequestCreatedEvents naming this resource',
    steps: [{ seq: 1, name: ORCA_STEP, objectType: 'OrcaRequest', handler, undo: false }],
  };
}
