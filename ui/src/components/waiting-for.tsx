import { Fragment } from 'preact';
import type { RunSummary } from '../api/types';
import { waitParts } from '../lib/waits';
import { Time } from './time';

/** What an unfinished run waits for; deadlines and retry times in local time, UTC on hover. */
export function WaitingFor({ run }: { run: Pick<RunSummary, 'waits' | 'waitingFor'> }) {
  return (
    <span data-testid="waiting-for">
      {waitParts(run).map((p, i) => (
        <Fragment key={i}>{i > 0 && '; '}{p.what}{p.time && <> ({p.time.label} <Time at={p.time.at} />)</>}</Fragment>
      ))}
    </span>
  );
}
