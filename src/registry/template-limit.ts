import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

/**
 * Refuses what would take `count` (templates owned, or worked for) past `limit`: MAX_TEMPLATES_PER_SERVICE,
 * or the Orca adapter's own, `setting`.
 */
export function withinTemplateLimit(count: number, limit: number, holder: string, instead: string, setting = 'MAX_TEMPLATES_PER_SERVICE'): void {
  if (count < limit) return;
  throw new AppError(ErrorCode.TEMPLATE_LIMIT_REACHED,
    `Forbidden: ${holder} ${count} templates, and ${setting} allows ${limit}; ${instead}, or ask an operator to raise it`);
}
