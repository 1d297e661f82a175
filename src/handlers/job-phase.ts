/** Where an external job stands, whatever the system: the runner acts on this, not on raw statuses. */
export type JobPhase = 'IN_PROGRESS' | 'WAITING_FOR_OPERATOR' | 'SUCCESS' | 'FAILURE';

export interface ClassifiedStatus {
  phase: JobPhase;
  /** Why a FAILURE or WAITING_FOR_OPERATOR, in words for the step's error or the operator. */
  reason?: string;
  /** The status was not one we know: treated as in progress (the poll limit still bounds it). */
  unknown?: boolean;
}
