import type { VNode } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import type { TemplateStep } from '../api/types';
import { StepNode } from './step-node';

const LONG = 'reconcileCustomerLedgerWithExternalBillingProvider';
const step = (name: string): TemplateStep =>
  ({ name, seq: 1, objectType: 'O', timeoutSeconds: null, heartbeatSeconds: null, retry: null, handler: { type: 'worker' }, undo: true, onFailure: 'compensate', workers: null, mayWork: null, dependsOn: null });

/** The node as drawn (StepNode has no hooks, so its tree is read as it is), and what it asks to show. */
function draw(name: string, shown: string, tipId?: string) {
  const onTip = vi.fn();
  const g = StepNode({ node: { step: step(name), column: 0, row: 0, x: 0, y: 0 }, shown, lacking: false, registered: [], tipId, onTip }) as VNode<Record<string, unknown>>;
  const texts = (g.props.children as VNode<{ class?: string; children: unknown }>[]).filter((c) => c?.type === 'text');
  return { g, onTip, name: texts.find((t) => t.props.class === 'name')?.props.children };
}

describe('StepNode', () => {
  it('draws a name cut to fit, and keeps it whole where it is read out, reachable from the keyboard', () => {
    const { g, name } = draw(LONG, 'reconcileCustomerLedgerW…');
    expect(name).toBe('reconcileCustomerLedgerW…');
    expect(g.props['aria-label']).toBe(`${LONG}: do worker, undo worker; 0 workers registered`);
    expect(g.props.role).toBe('img');
    expect(g.props.tabIndex).toBe(0);
  });

  it('asks for the whole name on hover and on focus, and hides it again on leaving', () => {
    const { g, onTip } = draw(LONG, 'reconcile…');
    (g.props.onFocus as () => void)();
    (g.props.onMouseEnter as () => void)();
    (g.props.onBlur as () => void)();
    expect(onTip.mock.calls).toEqual([[LONG], [LONG], [null]]);
    expect(draw(LONG, 'reconcile…', 'tip').g.props['aria-describedby']).toBe('tip');
  });

  it('makes a name drawn whole no tab stop and shows it no tooltip', () => {
    const { g, name } = draw('ship', 'ship');
    expect(name).toBe('ship');
    expect(g.props.tabIndex).toBeUndefined();
    expect(g.props.onFocus).toBeUndefined();
  });
});
