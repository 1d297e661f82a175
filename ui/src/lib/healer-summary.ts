/** What each of the healer's per-tick counters means to an operator, singular and plural. */
const LABELS: Record<string, [string, string]> = {
  runsRevived: ['stalled run revived', 'stalled runs revived'],
  stepsTimedOut: ['step timed out', 'steps timed out'],
  deadlinesPassed: ['run past its deadline', 'runs past their deadline'],
  parkedSettled: ['parked run settled', 'parked runs settled'],
  templatesPromoted: ['template promoted to READY', 'templates promoted to READY'],
  templatesDemoted: ['template demoted to PENDING', 'templates demoted to PENDING'],
  auditRowsPruned: ['audit row pruned', 'audit rows pruned'],
};

/**
 * The last tick in words: only what it did, most operator-relevant first, so a quiet healer
 * reads "nothing to heal" rather than seven zeros. A counter this console does not know yet
 * (a newer Baton) is shown under its own name rather than dropped.
 */
export function healerSummary(counts: Record<string, number>): string {
  const known = Object.keys(LABELS).filter((k) => counts[k] > 0);
  const unknown = Object.keys(counts).filter((k) => !(k in LABELS) && counts[k] > 0).sort();
  const parts = [
    ...known.map((k) => `${counts[k]} ${LABELS[k][counts[k] === 1 ? 0 : 1]}`),
    ...unknown.map((k) => `${k} ${counts[k]}`),
  ];
  return parts.length ? parts.join(' · ') : 'Nothing to heal';
}
