import { z } from 'zod';
import { MAX_NAME_LENGTH } from '../../common/validation/query-values';
import { unstorableReason } from '../../common/validation/storable-text';

/** PostgreSQL's int4, the type of the attempt columns: a larger number fails the query (22003). */
export const MAX_INT4 = 2_147_483_647;

/**
 * Message text that reaches a varchar column or a query on one: refused here, where it dead-letters
 * the message at once with its path, rather than failing in SQL (22001, 22021) on every redelivery.
 */
export const storedText = (max: number) => z.string().max(max).superRefine((value, ctx) => {
  const reason = unstorableReason(value);
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
});

/** A template or step name: as long as the columns that hold them. */
export const storedName = () => storedText(MAX_NAME_LENGTH).min(1);
