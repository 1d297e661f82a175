import { targetStepDispatcher } from '../target-step.dispatcher';

/** `handler: {type: oo, ...}` steps: DO starts an OO flow; UNDO cancels, then runs the undo. */
export const OoStepDispatcher = targetStepDispatcher('oo');
export type OoStepDispatcher = InstanceType<typeof OoStepDispatcher>;
