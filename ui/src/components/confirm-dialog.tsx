import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** A modal <dialog>: focus moves in, Escape cancels, and the page behind is inert. */
export function ConfirmDialog({ title, children, confirmLabel, busy, onConfirm, onClose }: {
  title: string; children: ComponentChildren; confirmLabel: string; busy?: boolean; onConfirm: () => void; onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} class="dialog" onClose={onClose} aria-labelledby="dialog-title">
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); onConfirm(); }}>
        <h2 id="dialog-title">{title}</h2>
        {children}
        <div class="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="primary" disabled={busy}>{busy ? 'Working…' : confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
