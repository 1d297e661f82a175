import type { Pruned } from './retention.service';

/** What one healer pass changed, by kind. */
export interface TickCounts extends Pruned {
  templatesDemoted: number;
  templatesPromoted: number;
  parkedSettled: number;
  stepsTimedOut: number;
  runsRevived: number;
  deadlinesPassed: number;
}

export const NOTHING_HEALED: TickCounts = {
  templatesDemoted: 0, templatesPromoted: 0, parkedSettled: 0, stepsTimedOut: 0, runsRevived: 0, deadlinesPassed: 0,
  auditRowsPruned: 0, securityAuditRowsPruned: 0, runsPruned: 0, instancesPruned: 0,
};

export interface HealerStatus {
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastCounts: TickCounts | null;
  /** Candidates of the last tick whose healing threw (each logged): the tick went on without them. */
  lastFailed: number;
}
