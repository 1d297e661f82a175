import { useState } from 'preact/hooks';
import { bidiParts, textPreview } from '../lib/text-preview';

/**
 * Text someone else wrote (a reason, a description, an error), isolated from what surrounds it
 * (<bdi>), with each bidirectional control drawn as a visible mark rather than obeyed: an
 * override (U+202E) in a reason reordered the rest of the reason, and the cells after it.
 */
export function FreeText({ text }: { text: string }) {
  return (
    <bdi class="free">
      {bidiParts(text).map((p, i) => ('control' in p
        ? <span key={i} class="bidi-mark" title={`${p.name} (${p.control}): a control character that reorders text, not obeyed here`}>[{p.control}]</span>
        : p.text))}
    </bdi>
  );
}

/** Lines, and characters, of a long text shown before "show all". */
export const PREVIEW_LINES = 4;
export const PREVIEW_CHARS = 400;

/**
 * A free text that may be long (a worker's error with its stack trace, up to 10 KB): its first
 * few lines (textPreview), newlines kept, and a button that shows the rest, as a large JSON value
 * shows its start (JsonView).
 */
export function LongText({ text, class: className }: { text: string; class?: string }) {
  const [all, setAll] = useState(false);
  const preview = textPreview(text, PREVIEW_LINES, PREVIEW_CHARS);
  return (
    <div class={`long-text ${className ?? ''}`} data-truncated={String(preview.truncated && !all)}>
      <FreeText text={all ? text : preview.text} />
      {preview.truncated && (
        <>
          {!all && '…'}{' '}
          <button type="button" class="link small" aria-expanded={all} onClick={() => setAll(!all)}>
            {all ? 'show less' : `show all (${text.length.toLocaleString()} characters)`}
          </button>
        </>
      )}
    </div>
  );
}
