/**
 * Where a name with no spaces (a template's, a step's, a service's) may wrap: before each word of
 * camelCase (`Tenant`, and `Response` after an acronym, `HTTP`), and after a `-`, `_`, `.` or `/`.
 * Without these a narrow column breaks it at any letter ("…ApplyBaseli / neMigrations1").
 */
const WORD_START = /(?<=[\p{Ll}\d])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=[-_./])(?=[^-_./])/u;
/**
 * A name this short fits the narrowest place one is shown (a step's 150 px beside a phone's
 * timeline): it keeps its line. Otherwise a table that squeezes its columns would split it too
 * ("demo / Order"), and a line of names would end inside one rather than at a space.
 */
const FITS = 18;

/** A text of names (one, or a list) in the pieces it may wrap between: at its spaces, and inside each long name. */
export const nameParts = (text: string): string[] =>
  text.split(/(?<=\s)/).flatMap((word) => (word.trim().length > FITS ? word.split(WORD_START) : [word]));

/**
 * A word longer than this (about 230 px at the console's 14 px) is wider than a table ever gives a
 * column of names beside its others: it may break inside (.long-word, styles.css). Any shorter
 * word keeps its line, as the width a table must give its column, or one 200-character name
 * (the most a name may have) would push its table past the page.
 */
const LONG_WORD = 32;

/** Whether a part of a name (nameParts) is a word that may break inside. */
export const isLongWord = (part: string): boolean => part.trim().length > LONG_WORD;
