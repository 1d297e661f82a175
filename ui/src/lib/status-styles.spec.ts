import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KEY_STATES } from './api-keys';
import { JOB_STATUSES, RUN_STATUSES, STEP_RUN_STATUSES } from './run-statuses';
import { SECURITY_EVENTS } from './security-audit';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const css = read('../styles.css');

/** The declarations of every rule whose selector list names `selector` as one of its selectors. */
function declarationsOf(selector: string): string {
  return [...css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^}]*)\}/g)]
    .filter(([, selectors]) => selectors.split(',').some((s) => s.trim() === selector))
    .map(([, , body]) => body).join(';');
}
/** Whether the rules for `selector` give it a colour of its own: a background, or an outline where the status is "nothing ran". */
const styled = (selector: string) => /background|box-shadow|border/.test(declarationsOf(selector));

/** The quoted names in the array literal that follows `name =` in a source file of the engine. */
function engineList(source: string, name: string): string[] {
  const literal = new RegExp(`${name} = \\[([^\\]]*)\\]`).exec(read(source));
  if (!literal) throw new Error(`${name} not found in ${source}`);
  return [...literal[1].matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
}

describe('status styles', () => {
  it("lists the engine's statuses, every one of them", () => {
    expect(RUN_STATUSES.slice().sort()).toEqual(engineList('../../../src/engine/core/run-status.ts', 'RUN_STATUSES').sort());
    expect(STEP_RUN_STATUSES.slice().sort()).toEqual(engineList('../../../src/engine/core/run-status.ts', 'STEP_RUN_STATUSES').sort());
    expect(JOB_STATUSES.slice().sort()).toEqual(engineList('../../../src/handlers/job-execution.entity.ts', 'JOB_STATUSES').sort());
    expect(SECURITY_EVENTS.slice().sort()).toEqual(engineList('../../../src/auth/audit/security-audit.entity.ts', 'SECURITY_EVENTS').sort());
  });

  const badges = [...new Set([...RUN_STATUSES, ...STEP_RUN_STATUSES, ...JOB_STATUSES, 'READY', 'PENDING', 'ACCEPTED', 'UNCHANGED', 'REJECTED',
    ...KEY_STATES, ...SECURITY_EVENTS])];
  it.each(badges)('gives the %s badge a colour', (status) => {
    expect(styled(`.s-${status.toLowerCase()}`)).toBe(true);
  });

  it.each(STEP_RUN_STATUSES)("gives an attempt's %s bar on the timeline a colour", (status) => {
    expect(styled(`.b-${status.toLowerCase()}`)).toBe(true);
  });

  it.each(RUN_STATUSES)("gives %s a colour of its own in the runs chart", (status) => {
    expect(declarationsOf(`.fill.s-${status.toLowerCase()}`)).toMatch(/fill:/);
  });

  it('draws a failure no retry follows red, as a failure is', () => {
    expect(declarationsOf('.s-failed_final')).toContain(declarationsOf('.s-failed').match(/background: [^;]+/)![0]);
  });
});
