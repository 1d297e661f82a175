import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { escalateUnsendable } from './unsendable-escalation';

const refused = (what: string) => new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `${what} is too big to send`);
const refuse = (what: string) => () => Promise.reject(refused(what));

describe('escalateUnsendable', () => {
  it('writes once when the write is sent, and makes no fallbacks', async () => {
    const fallbacks = jest.fn(() => []);
    await expect(escalateUnsendable(() => Promise.resolve('sent'), fallbacks)).resolves.toBe('sent');
    expect(fallbacks).not.toHaveBeenCalled();
  });

  it('gives way to the fallbacks made for the refusal, in turn, until one is sent', async () => {
    const tried: string[] = [];
    const outcome = await escalateUnsendable(refuse('the retry'), (refusal) => [
      () => { tried.push(`fail for good (${refusal.message})`); return Promise.reject(refused('the undos')); },
      () => { tried.push('end the run'); return Promise.resolve('ended'); },
    ]);
    expect(outcome).toBe('ended');
    expect(tried).toEqual(['fail for good (the retry is too big to send)', 'end the run']);
  });

  it('throws the last refusal when every fallback is refused', async () => {
    await expect(escalateUnsendable(refuse('the retry'), () => [refuse('the undos'), refuse('the end')]))
      .rejects.toThrow('the end is too big to send');
  });

  it('throws any other error at once, without trying what follows', async () => {
    const outage = new Error('connect ECONNREFUSED');
    const later = jest.fn(() => Promise.resolve('ended'));
    await expect(escalateUnsendable(() => Promise.reject(outage), () => [later])).rejects.toBe(outage);
    await expect(escalateUnsendable(refuse('the retry'), () => [() => Promise.reject(outage), later])).rejects.toBe(outage);
    expect(later).not.toHaveBeenCalled();
  });
});
