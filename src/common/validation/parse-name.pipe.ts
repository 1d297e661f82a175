import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { rootOf } from './request-root';
import { MAX_NAME_LENGTH } from './query-values';

/** A template or service name in a path: refused with a 400 naming it when longer than its column. */
@Injectable()
export class ParseNamePipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (value.length <= MAX_NAME_LENGTH) return value;
    throw new AppError(ErrorCode.INVALID_REQUEST, 'The request is invalid', [
      { path: `${rootOf(metadata)}.${metadata.data ?? 'name'}`, message: `must be at most ${MAX_NAME_LENGTH} characters` },
    ]);
  }
}
