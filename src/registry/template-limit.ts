import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';

/** Refuses what would take `count` (templates owned, or worked for) past `limit`, MAX_TEMPLATES_PER_SERVICE. */
export function withinTemplateLimit(count: number, limit: number, holder: string, instead: string): void {
  if (count < limit) return;
  throw new AppError(ErrorCode.TEMPLATE_LIMIT_REACHED,
    `Forbidden: ${holder} ${count} templates, and MAX_TEMPLATES_PER_SERVICE allows ${limit}; ${instead}, or ask an operator to raise it`);
}
