import { rangeProblem } from '../lib/created-range';
import type { Noun } from '../lib/paging';
import { fromLocalInput, toLocalInput } from '../lib/time';

type Range = Record<'from' | 'to', string>;

/**
 * A list's creation-time filter (the runs', the security audit's): two fields in the browser's
 * zone, whose values go to the URL, and to Baton, as ISO instants. `label` names the first; the
 * second is "to", which Baton treats as exclusive.
 */
export function CreatedRange({ from, to, label, onChange }: Range & { label: string; onChange: (next: Partial<Range>) => void }) {
  const field = (key: keyof Range, text: string, value: string) => (
    <label>{text}
      <input type="datetime-local" value={toLocalInput(value)} onChange={(e) => onChange({ [key]: fromLocalInput(e.currentTarget.value) ?? '' })} />
    </label>
  );
  return <>{field('from', label, from)}{field('to', 'to', to)}</>;
}

/** Why the range matches nothing (rangeProblem), below the filters; nothing for a range that can match. */
export function RangeProblem({ from, to, noun }: Range & { noun: Noun }) {
  const problem = rangeProblem(from, to, noun);
  return problem ? <div class="warn" role="status" data-testid="range-problem">{problem}</div> : null;
}
