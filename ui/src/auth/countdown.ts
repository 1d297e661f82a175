/**
 * Counts a lockout's `seconds` (Retry-After) down to 0, calling `onTick` with the seconds left once
 * a second; returns what stops it. Timed by the monotonic clock, not the wall clock: a machine's
 * clock set back an hour read as an hour more to wait (3,637 s for 37), and set forward as "try
 * again now" while Baton still refused.
 */
export function countDown(seconds: number, onTick: (left: number) => void): () => void {
  const started = performance.now();
  const timer = setInterval(() => {
    const left = Math.max(0, seconds - Math.floor((performance.now() - started) / 1000));
    onTick(left);
    if (left === 0) clearInterval(timer);
  }, 1000);
  return () => clearInterval(timer);
}
