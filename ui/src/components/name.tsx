import { Fragment } from 'preact';
import { isLongWord, nameParts } from '../lib/name-parts';

/**
 * A name, or a list of names, that wraps between the words of a long name (nameParts) when its
 * line is too short for it, and nowhere else: a table gives its column at least its longest word,
 * so a full table never splits "reserve" into "reser / ve". Only a word longer than a column of
 * names is ever given (isLongWord) breaks inside, where its line ends (.long-word, styles.css).
 * Isolated (<bdi>) from the text around it: a name (a service's, an actor's) with right-to-left
 * characters must not reorder the words beside it.
 */
export function Name({ of }: { of: string }) {
  return <bdi>{nameParts(of).map((part, i) => (
    <Fragment key={i}>{i > 0 && <wbr />}{isLongWord(part) ? <span class="long-word">{part}</span> : part}</Fragment>
  ))}</bdi>;
}
