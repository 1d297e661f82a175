/**
 * Text shown to people as it was written (an operator's reason, a worker's host): no control
 * characters, nor invisible ones (format characters, among them the marks that reorder text; line
 * and paragraph separators), with which "phone\u202Egnp.exe" reads "phone exe.png" on the console.
 * The zero-width non-joiner and joiner (U+200C, U+200D) are taken: they shape Persian, Indic
 * scripts and emoji sequences, and neither hide nor reorder text.
 * KEY_NAME_PATTERN's rule spelt as ranges, so that a DTO's schema can publish it: JSON Schema tools
 * outside JavaScript (schemathesis's Python) read no `\p{…}`. A pattern without the u flag names
 * only the Basic Multilingual Plane's: the few format characters beyond it (tags such as U+E0001)
 * pass. The ranges are checked against KEY_NAME_PATTERN by its spec.
 */
export const VISIBLE_TEXT_PATTERN =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  /^[^\u0000-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u180E\u200B\u200E-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*$/;
