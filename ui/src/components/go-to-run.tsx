import { useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import { flowIdOf } from '../lib/flow-id';

/**
 * A field to open a run by its flowId, pasted from a log, a ticket or a link (flowIdOf): Enter or
 * "Open" goes to its page; anything that names no run is said beside the field, with no request.
 */
export function GoToRun() {
  const [, navigate] = useLocation();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const open = (e: Event) => {
    e.preventDefault();
    const found = flowIdOf(typed);
    if ('problem' in found) return setProblem(found.problem);
    navigate(`/runs/${found.flowId}`);
  };
  return (
    <form class="go-to-run" role="search" aria-label="Go to a run" onSubmit={open}>
      <label>Open a run by its flowId
        <input type="text" name="flowId" value={typed} maxLength={2000} spellcheck={false} autoComplete="off" placeholder="flowId, or a link to the run"
          aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'go-to-run-problem' : undefined}
          onInput={(e) => { setTyped(e.currentTarget.value); setProblem(null); }} />
      </label>
      <button type="submit">Open</button>
      {problem && <p id="go-to-run-problem" class="warn-text small" role="status" data-testid="go-to-run-problem">{problem}</p>}
    </form>
  );
}
