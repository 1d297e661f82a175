import { useLayoutEffect, useState } from 'preact/hooks';

/**
 * An element's width in CSS pixels, kept current as the window or the layout around it changes;
 * 0 until it is laid out. Measured before the first paint, so what depends on it never flashes.
 * A callback ref, not a ref object: the element may appear after the first render (a timeline
 * once the run has dispatched something), and setting state is how that is noticed.
 */
export function useWidth<T extends HTMLElement>(): [(el: T | null) => void, number] {
  const [el, setEl] = useState<T | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    if (!el) return undefined;
    const measure = () => setWidth(el.getBoundingClientRect().width);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [el]);
  return [setEl, width];
}
