import { useEffect, useRef } from 'preact/hooks';
import { useDraft } from '../hooks/use-draft';

/** How long typing pauses before the filter applies: one request per word typed, not per key. */
export const FILTER_DEBOUNCE_MS = 400;

/**
 * A text filter of a polled list, applied (trimmed) as the person types, once they pause, and at
 * once on Enter or leaving the field. What is typed is its own meanwhile, so the list's refresh
 * does not reset it. `list`: the id of a <datalist> of values to offer.
 *
 * One round of typing (until Enter, or leaving the field) is one history entry: its first value
 * applied adds one, and each later pause replaces it (`replace`), or Back stepped through "o",
 * "or", "ord"… before it reached the list as it was.
 */
export function FilterInput({ label, value, maxLength, onApply, list }: {
  label: string; value: string; maxLength: number; onApply: (value: string, how: { replace: boolean }) => void; list?: string;
}) {
  const [draft, setDraft] = useDraft(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The latest: a pause's timer set before another filter changed must not apply the URL it knew then.
  const onApplyRef = useRef(onApply);
  onApplyRef.current = onApply;
  const valueRef = useRef(value);
  valueRef.current = value;
  // Whether this round of typing has applied a value (made its history entry) yet.
  const applied = useRef(false);
  useEffect(() => () => clearTimeout(timer.current), []);
  const apply = (text: string, endsRound: boolean) => {
    clearTimeout(timer.current);
    setDraft(text, text.trim());
    onApplyRef.current(text.trim(), { replace: applied.current });
    // A value the list already had (a space typed) changes no address: the round has no entry of its own yet.
    applied.current = !endsRound && (applied.current || text.trim() !== valueRef.current);
  };
  return (
    <label>{label}
      <input type="search" value={draft} maxLength={maxLength} list={list}
        onInput={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => apply(text, false), FILTER_DEBOUNCE_MS);
        }}
        onChange={(e) => apply(e.currentTarget.value, true)} />
    </label>
  );
}
