import { PitbossError } from '@pitboss/contracts';

import { assertDraftEditable, decideStatusChange, statusAfterPublish } from './offer-lifecycle';

function codeOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof PitbossError) return error.code;
    throw error;
  }
  throw new Error('expected a PitbossError');
}

describe(decideStatusChange.name, () => {
  it.each([
    ['active', 'pause', 'paused'],
    ['paused', 'resume', 'active'],
    ['active', 'retire', 'retired'],
    ['paused', 'retire', 'retired'],
  ] as const)('Given an %s offer, When %s, Then it is %s', (status, action, expected) => {
    expect(decideStatusChange('o-1', status, action)).toBe(expected);
  });

  it.each([
    ['draft', 'pause'],
    ['paused', 'pause'],
    ['active', 'resume'],
    ['retired', 'resume'],
    ['draft', 'retire'],
    ['retired', 'retire'],
  ] as const)('Given a %s offer, When %s, Then OFFER_STATUS_CONFLICT', (status, action) => {
    expect(codeOf(() => decideStatusChange('o-1', status, action))).toBe('OFFER_STATUS_CONFLICT');
  });
});

describe(assertDraftEditable.name, () => {
  it('Given a pending publish request, When the draft is edited, Then OFFER_PENDING_APPROVAL', () => {
    expect(
      codeOf(() => assertDraftEditable({ offerId: 'o-1', status: 'active', pendingChangeRequestId: 'cr-1' })),
    ).toBe('OFFER_PENDING_APPROVAL');
  });

  it('Given a retired offer, When the draft is edited, Then OFFER_STATUS_CONFLICT', () => {
    expect(
      codeOf(() => assertDraftEditable({ offerId: 'o-1', status: 'retired', pendingChangeRequestId: null })),
    ).toBe('OFFER_STATUS_CONFLICT');
  });
});

describe(statusAfterPublish.name, () => {
  it('Given a draft, When published, Then active; Given a paused offer, Then it stays paused', () => {
    expect(statusAfterPublish('draft')).toBe('active');
    expect(statusAfterPublish('paused')).toBe('paused');
  });
});
