import type { VNode } from 'preact';

/**
 * The text a tree draws, its components called through: for specs of components without hooks,
 * which need no DOM to be read.
 */
export function textOf(node: unknown): string {
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (!node || typeof node !== 'object') return '';
  const v = node as VNode<Record<string, unknown>>;
  return typeof v.type === 'function' ? textOf((v.type as (p: unknown) => unknown)(v.props)) : textOf(v.props.children);
}
