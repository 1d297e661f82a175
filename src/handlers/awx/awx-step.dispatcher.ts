import { targetStepDispatcher } from '../target-step.dispatcher';

/** `handler: {type: awx, ...}` steps: DO launches a job/workflow template; UNDO cancels, then runs the undo. */
export const AwxStepDispatcher = targetStepDispatcher('awx');
export type AwxStepDispatcher = InstanceType<typeof AwxStepDispatcher>;
