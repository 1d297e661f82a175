import { useDraft } from '../hooks/use-draft';

/**
 * A text filter of a polled list: applied (trimmed) on change, i.e. on Enter or leaving the
 * field. What is typed until then is its own, so the list's refresh does not reset it.
 */
export function FilterInput({ label, value, maxLength, onApply }: { label: string; value: string; maxLength: number; onApply: (value: string) => void }) {
  const [draft, setDraft] = useDraft(value);
  return (
    <label>{label}
      <input type="search" value={draft} maxLength={maxLength} onInput={(e) => setDraft(e.currentTarget.value)}
        onChange={(e) => onApply(e.currentTarget.value.trim())} />
    </label>
  );
}
