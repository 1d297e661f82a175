import { allowedForFutureStep, allowedWorkersOf, futureStepMessage, notAllowedMessage } from './allowed-workers';

describe('allowedWorkersOf', () => {
  it('takes the services a template names, pinned or not', () => {
    expect(allowedWorkersOf(['pay'], 'shop', true)).toEqual(['pay']);
    expect(allowedWorkersOf(['pay'], 'shop', false)).toEqual(['pay']);
  });

  it('lets only the owner work a step that names none when pinned, and any service when open', () => {
    expect(allowedWorkersOf(null, 'shop', true)).toEqual(['shop']);
    expect(allowedWorkersOf(undefined, 'shop', false)).toBeNull();
  });

  it('restricts nothing before the template exists: its owner is not known yet', () => {
    expect(allowedWorkersOf(null, undefined, true)).toBeNull();
  });
});

describe('allowedForFutureStep', () => {
  it('lets the owner and every service the current version names register a step no version has, when pinned', () => {
    expect(allowedForFutureStep([['pay'], null, ['ship', 'pay']], 'shop', true)).toEqual(['shop', 'pay', 'ship']);
    expect(allowedForFutureStep([null], 'shop', true)).toEqual(['shop']);
  });

  it('lets any service register it when open', () => {
    expect(allowedForFutureStep([['pay']], 'shop', false)).toBeNull();
  });
});

describe('notAllowedMessage', () => {
  it('names the services allowed, and says what would let an unnamed service in', () => {
    expect(notAllowedMessage('charge', 'squatter', ['pay'], ['pay'])).toBe('charge may be worked only by pay');
    expect(notAllowedMessage('charge', 'pay', null, ['shop'])).toBe('charge names no workers, so only its template\'s owner shop may work it '
      + '(WORKER_ACCESS=pinned): the owner must name pay in the template\'s or the step\'s `workers:`');
  });
});

describe('futureStepMessage', () => {
  it('says the step is in no version yet, and who may register it', () => {
    expect(futureStepMessage('refund', 'squatter', ['shop', 'pay'])).toBe('refund is in no version of the template yet, and squatter is not named '
      + 'in its current version: only shop, pay may register it (WORKER_ACCESS=pinned)');
  });
});
