import type { TargetKind } from './job-kind';
import { jobKind } from './job-kinds';

/**
 * A poll claim's most exchanges: an UNDO's cancel, the poll, and the cancel again when the poll
 * fails for good after that cancel could not be sent.
 */
const POLL_CLAIM_EXCHANGES = 3;

/**
 * The most HTTP exchanges one claim of a job row makes with a connection of `kind`: the lookup of
 * a launch whose answer was lost, then the launch; or a poll claim. Each may take the connection's
 * connect + request timeout, and all of them must end before the claim's lease does.
 */
export function claimExchanges(kind: TargetKind): number {
  return Math.max(jobKind(kind).lookupExchanges + 1, POLL_CLAIM_EXCHANGES);
}
