import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { Name } from './name';

type Props = { children?: unknown; class?: string };
/** What Name draws, flattened: its text, `|` where a line may wrap (<wbr>), and [ ] around a word that may break inside. */
function drawn(node: unknown): string {
  if (node === false || node === null || node === undefined) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(drawn).join('');
  const v = node as VNode<Props>;
  if (v.type === 'wbr') return '|';
  const inner = drawn(v.props.children);
  return v.props.class === 'long-word' ? `[${inner}]` : inner;
}

describe('Name', () => {
  it('keeps a short name whole: it never wraps, however narrow its column', () => {
    expect(drawn(Name({ of: 'chargePayment' }))).toBe('chargePayment');
    expect(drawn(Name({ of: 'reserve' }))).toBe('reserve');
  });

  it('wraps a long name only between its words', () => {
    expect(drawn(Name({ of: 'provisionTenantDatabaseAndApplyBaselineMigrations1' }))).toBe('provision|Tenant|Database|And|Apply|Baseline|Migrations1');
  });

  it('lets a word longer than a column of names is ever given break inside, and no other', () => {
    const word = 'a'.repeat(40);
    expect(drawn(Name({ of: `orders.${word}` }))).toBe(`orders.|[${word}]`);
  });
});
