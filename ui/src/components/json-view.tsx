import { useMemo, useState } from 'preact/hooks';
import { fullText, jsonPreview } from '../lib/json-preview';
import { copyLabel, CopyStatus, useCopy } from './copy';

/** What is shown of one value; copying takes all of it. */
export const SHOWN_CHARS = 256 * 1024;

/** Collapsible, copyable JSON (or text) for payloads, outputs and errors; its text is built only while it is open. */
export function JsonView({ label, value, open = false }: { label: string; value: unknown; open?: boolean }) {
  const [isOpen, setIsOpen] = useState(open);
  const { state, copy } = useCopy();
  const preview = useMemo(() => (isOpen ? jsonPreview(value, SHOWN_CHARS) : null), [isOpen, value]);
  const onCopy = (e: Event) => {
    // Inside <summary>, a click would also open or close the details.
    e.preventDefault();
    void copy(fullText(value));
  };
  // The live region sits outside the details: inside <summary> it would join the disclosure's
  // name, and in the body it is not rendered while the details are closed.
  return (
    <>
      <details class="json" open={open} onToggle={(e) => setIsOpen(e.currentTarget.open)}>
        <summary>
          {label}
          <button type="button" class="link" onClick={onCopy} aria-label={`Copy ${label}`}>{copyLabel(state, 'copy')}</button>
        </summary>
        {preview && <pre>{preview.text}</pre>}
        {preview?.truncated && (
          <p class="muted small">Only the first {SHOWN_CHARS / 1024} KB are shown. <button type="button" class="link" onClick={onCopy}>Copy all of it</button></p>
        )}
      </details>
      <CopyStatus state={state} what={label} />
    </>
  );
}
