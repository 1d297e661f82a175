import { describe, expect, it } from 'vitest';
import { cancelUnlessBusy } from './confirm-dialog';

describe('cancelUnlessBusy', () => {
  const cancel = (busy: boolean) => {
    const e = new Event('cancel', { cancelable: true });
    cancelUnlessBusy(busy)(e);
    return e.defaultPrevented;
  };

  it('keeps the dialog open on Escape while the request is in flight', () => {
    expect(cancel(true)).toBe(true);
  });

  it('lets Escape close it otherwise', () => {
    expect(cancel(false)).toBe(false);
  });
});
