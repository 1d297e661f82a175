import { useMemo, useState } from 'preact/hooks';
import { copyText } from '../lib/clipboard';
import { fullText, jsonPreview } from '../lib/json-preview';

/** What is shown of one value; copying takes all of it. */
export const SHOWN_CHARS = 256 * 1024;

/** Collapsible, copyable JSON (or text) for payloads, outputs and errors; its text is built only while it is open. */
export function JsonView({ label, value, open = false }: { label: string; value: unknown; open?: boolean }) {
  const [isOpen, setIsOpen] = useState(open);
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const preview = useMemo(() => (isOpen ? jsonPreview(value, SHOWN_CHARS) : null), [isOpen, value]);
  const copy = async (e: Event) => {
    // Inside <summary>, a click would also open or close the details.
    e.preventDefault();
    const ok = await copyText(fullText(value));
    setCopied(ok ? 'yes' : 'failed');
    setTimeout(() => setCopied('no'), ok ? 1500 : 4000);
  };
  return (
    <details class="json" open={open} onToggle={(e) => setIsOpen(e.currentTarget.open)}>
      <summary>
        {label}
        <button type="button" class="link" onClick={copy} aria-label={`Copy ${label}`}>
          {copied === 'yes' ? 'copied' : copied === 'failed' ? 'copy failed — select the text' : 'copy'}
        </button>
      </summary>
      {preview && <pre>{preview.text}</pre>}
      {preview?.truncated && (
        <p class="muted small">Only the first {SHOWN_CHARS / 1024} KB are shown. <button type="button" class="link" onClick={copy}>Copy all of it</button></p>
      )}
    </details>
  );
}
