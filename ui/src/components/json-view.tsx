import { useState } from 'preact/hooks';

/** Collapsible, copyable JSON (or text) for payloads, outputs and errors. */
export function JsonView({ label, value, open = false }: { label: string; value: unknown; open?: boolean }) {
  const [copied, setCopied] = useState(false);
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? 'null';
  const copy = async (e: Event) => {
    e.preventDefault();
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <details class="json" open={open}>
      <summary>
        {label}
        <button type="button" class="link" onClick={copy} aria-label={`Copy ${label}`}>{copied ? 'copied' : 'copy'}</button>
      </summary>
      <pre>{text}</pre>
    </details>
  );
}
