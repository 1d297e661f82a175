import { Fragment } from 'preact';
import { nameParts } from '../lib/name-parts';

/**
 * A name, or a list of names, that wraps between the words of a long name (nameParts) when its
 * line is too short for it; a word still too long breaks inside where its container lets it
 * (overflow-wrap in styles.css).
 */
export function Name({ of }: { of: string }) {
  return <>{nameParts(of).map((part, i) => <Fragment key={i}>{i > 0 && <wbr />}{part}</Fragment>)}</>;
}
