import type { Problem } from '../../common/errors/app-error';
import { DOCUMENT_PATH } from './document-path';
import type { RegistrationDocument } from './registration-document';

/**
 * How much larger than REGISTRATION_MAX_BYTES a document may be once YAML aliases are written out and
 * defaults filled in (a template's `workers` copied into each step, `undo: true` into a copy of the
 * handler). Real documents stay near 1×, and a JSON one of nothing but bare steps under 4×; one
 * anchored map reused by a hundred steps is far beyond it.
 */
export const MAX_EXPANSION = 4;

/**
 * The size cap is applied to the text, but what is stored (and served back by every template query)
 * is the expanded document: without this bound a 200 KB document can store 20 MB of handler JSON.
 */
export function expandedSizeProblem(document: RegistrationDocument, maxBytes: number): Problem | undefined {
  const limit = MAX_EXPANSION * maxBytes;
  const size = Buffer.byteLength(JSON.stringify(document), 'utf8');
  if (size <= limit) return undefined;
  return {
    path: DOCUMENT_PATH,
    message: `the document expands to ${size} bytes of JSON (aliases written out, defaults filled in); the limit is ${limit} bytes, `
      + `${MAX_EXPANSION} × REGISTRATION_MAX_BYTES: every use of an alias is stored in full`,
  };
}
