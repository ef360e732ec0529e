import { offerTerms } from '../offers/offer-fixtures';
import { type PublishedOffer } from '../offers/published-offer';
import { type EntitlementRequest, entitlementGrantedPayload, entitlementTermsOf } from './entitlement-terms';

const now = new Date('2026-03-01T00:00:00.000Z');

function freeSpinsOffer(params: Partial<PublishedOffer['params']> = {}): PublishedOffer {
  return {
    ...offerTerms({
      type: 'free_spins',
      params: {
        match_pct: null,
        cap_minor: null,
        wager_x: 0,
        validity_days: 7,
        free_rounds: { count: 20, bet_value_minor: 10, games: ['book-of-x', 'star-y'] },
        ...params,
      },
    }),
    tenant_id: 'brand-a',
    offer_id: 'fs-1',
    version: 2,
    status: 'active',
    published_at: now.toISOString(),
    change_request_id: 'cr',
    policy_versions: {},
  };
}

const request = (overrides: Partial<EntitlementRequest> = {}): EntitlementRequest => ({
  entitlementId: 'e-1',
  playerId: 'p-1',
  triggerRef: '',
  now,
  ...overrides,
});

describe(entitlementTermsOf.name, () => {
  it('given a free-spins offer, when nothing is asked, then the offer’s count, value, games and validity', () => {
    const sut = entitlementTermsOf(freeSpinsOffer(), request());
    expect(sut).toEqual({
      ok: true,
      entitlement: {
        entitlement_id: 'e-1',
        player_id: 'p-1',
        offer_id: 'fs-1',
        offer_version: 2,
        kind: 'free_spins',
        count: 20,
        bet_value: { minor_units: 10, currency: 'EUR' },
        games: ['book-of-x', 'star-y'],
        win_credit: 'cash',
        expires_at: '2026-03-08T00:00:00.000Z',
        trigger_ref: '',
      },
    });
  });

  it('given an offer with wagering, when granted, then wins are credited as bonus', () => {
    const sut = entitlementTermsOf(freeSpinsOffer({ wager_x: 5 }), request());
    expect(sut.ok && sut.entitlement.win_credit).toBe('bonus');
  });

  it('given a free-spins offer, when less is asked, then the request’s values', () => {
    const sut = entitlementTermsOf(
      freeSpinsOffer(),
      request({ count: 5, betValueMinor: 5, games: ['star-y'], expiresAt: '2026-03-02T00:00:00.000Z' }),
    );
    expect(sut.ok && sut.entitlement).toMatchObject({
      count: 5,
      bet_value: { minor_units: 5, currency: 'EUR' },
      games: ['star-y'],
      expires_at: '2026-03-02T00:00:00.000Z',
    });
  });

  it('given a free-spins offer, when more is asked, then ENTITLEMENT_OUTSIDE_OFFER naming every field', () => {
    const sut = entitlementTermsOf(
      freeSpinsOffer(),
      request({
        kind: 'free_bet',
        count: 21,
        betValueMinor: 11,
        games: ['book-of-x', 'other'],
        expiresAt: '2026-03-09T00:00:00.000Z',
      }),
    );
    expect(sut.ok).toBe(false);
    expect(!sut.ok && sut.code).toBe('ENTITLEMENT_OUTSIDE_OFFER');
    expect(!sut.ok && 'problems' in sut && sut.problems.map((problem) => problem.field)).toEqual([
      'kind',
      'count',
      'bet_value_minor',
      'games',
      'expires_at',
    ]);
  });

  it('given a free-spins offer, when the expiry is past or no games are named, then refused', () => {
    const sut = entitlementTermsOf(freeSpinsOffer(), request({ games: [], expiresAt: now.toISOString() }));
    expect(!sut.ok && 'problems' in sut && sut.problems.map((problem) => problem.field)).toEqual([
      'games',
      'expires_at',
    ]);
  });

  it('given a free-bet offer without games, when games are named, then any game is allowed', () => {
    const offer = { ...freeSpinsOffer({ free_rounds: { count: 1, bet_value_minor: 500, games: [] } }) };
    const sut = entitlementTermsOf({ ...offer, type: 'free_bet' }, request({ games: ['any-market'] }));
    expect(sut.ok && sut.entitlement.games).toEqual(['any-market']);
  });

  it('given a deposit-match offer, when an entitlement is asked, then OFFER_NOT_GRANTABLE', () => {
    const offer = freeSpinsOffer({ free_rounds: null });
    const sut = entitlementTermsOf({ ...offer, type: 'deposit_match' }, request());
    expect(!sut.ok && sut.code).toBe('OFFER_NOT_GRANTABLE');
  });
});

describe(entitlementGrantedPayload.name, () => {
  it('given granted terms, then the wire payload with the expiry in epoch milliseconds', () => {
    const granted = entitlementTermsOf(freeSpinsOffer(), request());
    if (!granted.ok) throw new Error('expected terms');
    expect(entitlementGrantedPayload(granted.entitlement)).toEqual({
      entitlement_id: 'e-1',
      offer_id: 'fs-1',
      kind: 'free_spins',
      count: 20,
      bet_value: { minor_units: 10, currency: 'EUR' },
      games: ['book-of-x', 'star-y'],
      win_credit: 'cash',
      expires_at: Date.parse('2026-03-08T00:00:00.000Z'),
    });
  });
});
