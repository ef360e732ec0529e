import { offerTerms } from '../offers/offer-fixtures';
import { type PublishedOffer } from '../offers/published-offer';
import { ENTITLEMENT_WIN_TRIGGER, entitlementWinTermsOf } from './grant-terms';

const now = new Date('2026-03-01T00:00:00.000Z');

const freeSpinsOffer = (
  params: Partial<PublishedOffer['params']> = {},
  type: PublishedOffer['type'] = 'free_spins',
) => ({
  ...offerTerms({
    type,
    conflict_group: null,
    params: {
      match_pct: null,
      cap_minor: null,
      wager_x: 5,
      wagering_base: 'deposit_plus_bonus',
      max_bet_minor: 200,
      max_win_minor: 10_000,
      validity_days: 7,
      wagering_window_days: 3,
      contribution_schema: { id: 'slots', version: 4 },
      free_rounds: { count: 10, bet_value_minor: 20, games: ['starburst'] },
      ...params,
    },
  }),
  tenant_id: 't',
  offer_id: 'spins',
  version: 2,
  status: 'active' as const,
  published_at: now.toISOString(),
  change_request_id: 'cr',
  policy_versions: {},
});

const win = (minor_units: number, currency = 'EUR') => ({
  grantId: 'g-1',
  playerId: 'p-1',
  betId: 'bet-7',
  win: { minor_units, currency },
  now,
});

describe(entitlementWinTermsOf.name, () => {
  it('given a free-spins offer with wagering, when a bet of its entitlement won, then the win is the bonus with wager_x × the win', () => {
    const result = entitlementWinTermsOf(freeSpinsOffer(), win(333));

    expect(result).toEqual({
      ok: true,
      grant: {
        grant_id: 'g-1',
        player_id: 'p-1',
        trigger: ENTITLEMENT_WIN_TRIGGER,
        trigger_ref: 'bet-7',
        offer_id: 'spins',
        offer_version: 2,
        amount: { minor_units: 333, currency: 'EUR' },
        credit_balance: 'bonus',
        wagering_required: { minor_units: 1_665, currency: 'EUR' },
        // A free round has no deposit: the base is the win whatever the offer says.
        wagering_base: 'bonus',
        contribution_schema_id: 'slots',
        contribution_schema_version: 4,
        max_bet: { minor_units: 200, currency: 'EUR' },
        max_win: { minor_units: 10_000, currency: 'EUR' },
        expires_at: '2026-03-08T00:00:00.000Z',
        wagering_ends_at: '2026-03-04T00:00:00.000Z',
        sticky: true,
        excluded_games: [],
        conflict_group: null,
      },
    });
  });

  it('given a fractional wager_x, when the wagering is computed, then it rounds up to whole minor units', () => {
    const result = entitlementWinTermsOf(freeSpinsOffer({ wager_x: 2.5 }), win(101));

    expect(result).toMatchObject({ grant: { wagering_required: { minor_units: 253 } } });
  });

  it('given a free-bet offer, when its bet won, then it is granted the same way', () => {
    const result = entitlementWinTermsOf(freeSpinsOffer({}, 'free_bet'), win(1_000));

    expect(result).toMatchObject({ ok: true, grant: { amount: { minor_units: 1_000 } } });
  });

  it.each([
    ['a zero win', freeSpinsOffer(), win(0), 'OFFER_NOT_GRANTABLE'],
    [
      'an offer without wagering (its wins are cash)',
      freeSpinsOffer({ wager_x: 0 }),
      win(100),
      'OFFER_NOT_GRANTABLE',
    ],
    [
      'a deposit-match offer',
      { ...freeSpinsOffer(), type: 'deposit_match' as const },
      win(100),
      'OFFER_NOT_GRANTABLE',
    ],
    ['a win in another currency', freeSpinsOffer(), win(100, 'USD'), 'INVALID_REQUEST'],
  ])('given %s, when the terms are asked, then it is refused with its code', (_what, offer, facts, code) => {
    expect(entitlementWinTermsOf(offer, facts)).toMatchObject({ ok: false, code });
  });
});
