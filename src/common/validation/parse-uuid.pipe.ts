import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { rootOf } from './request-root';

/** Any version, as Nest's ParseUUIDPipe takes by default. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id in a path, refused with a 400 naming it (`params.flowId`) as every other bad input is; Nest's
 * ParseUUIDPipe answered "Validation failed (uuid is expected)" without saying which parameter.
 */
@Injectable()
export class ParseUuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (UUID.test(value)) return value;
    throw new AppError(ErrorCode.INVALID_REQUEST, 'The request is invalid', [{ path: `${rootOf(metadata)}.${metadata.data ?? 'id'}`, message: 'must be a UUID' }]);
  }
}
