import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * The dialog's cancel event (Escape): refused while the request is in flight, so that its
 * failure has a dialog left to be shown in.
 */
export const cancelUnlessBusy = (busy: boolean) => (e: Event) => {
  if (busy) e.preventDefault();
};

/** A modal <dialog>: focus moves in, Escape cancels (once nothing is in flight), and the page behind is inert. */
export function ConfirmDialog({ title, children, confirmLabel, busy, disabled, onConfirm, onClose }: {
  title: string; children: ComponentChildren; confirmLabel: string; busy?: boolean;
  /** The action no longer applies (the run moved on while the dialog was open). */
  disabled?: boolean;
  onConfirm: () => void; onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} class="dialog" onClose={onClose} onCancel={cancelUnlessBusy(Boolean(busy))} aria-labelledby="dialog-title">
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); onConfirm(); }}>
        <h2 id="dialog-title">{title}</h2>
        {children}
        <div class="dialog-actions">
          <button type="button" disabled={busy} onClick={onClose}>Cancel</button>
          <button type="submit" class="primary" disabled={busy || disabled}>{busy ? 'Working…' : confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
