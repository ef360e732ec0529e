import { type PublishedOffer } from '../offers/published-offer';
import { grantTermsOf } from './grant-terms';

const now = new Date('2026-03-01T00:00:00.000Z');

function offer(
  overrides: Partial<PublishedOffer> = {},
  params: Partial<PublishedOffer['params']> = {},
): PublishedOffer {
  return {
    tenant_id: 't',
    offer_id: 'o1',
    version: 3,
    status: 'active',
    published_at: now.toISOString(),
    change_request_id: 'cr',
    policy_versions: {},
    name: 'welcome',
    type: 'deposit_match',
    currency: 'EUR',
    params: {
      match_pct: 100,
      cap_minor: 10_000,
      amount_minor: null,
      wager_x: 10,
      wagering_base: 'bonus',
      sticky: true,
      max_bet_minor: 500,
      max_win_minor: 50_000,
      validity_days: 30,
      wagering_window_days: 20,
      contribution_schema: { id: 'cs', version: 2 },
      free_rounds: null,
      qualifying_product: 'casino',
      reward_product: 'casino',
      ...params,
    },
    eligibility: {
      brands: null,
      segments: null,
      countries: null,
      licences: null,
      channels: null,
      min_kyc_level: null,
      rg_clear: true,
      min_account_age_days: null,
      first_deposit_only: false,
    },
    schedule: { starts_at: null, ends_at: null },
    limits: { once_per_player: false, per_period: null, budget_minor: null, max_grants: null },
    conflict_group: 'welcome',
    priority: 0,
    ...overrides,
  };
}

const facts = { grantId: 'g', playerId: 'p', trigger: 'deposit', triggerRef: 'd', now };

describe(grantTermsOf.name, () => {
  it('matches the deposit, floored and capped, with wagering on the bonus and the pinned schema version', () => {
    const result = grantTermsOf(offer({}, { match_pct: 50.5 }), { ...facts, qualifyingMinor: 999 });
    expect(result).toMatchObject({
      ok: true,
      grant: {
        amount: { minor_units: 504, currency: 'EUR' },
        wagering_required: { minor_units: 5_040, currency: 'EUR' },
        credit_balance: 'bonus',
        contribution_schema_version: 2,
        offer_version: 3,
        expires_at: '2026-03-31T00:00:00.000Z',
        wagering_ends_at: '2026-03-21T00:00:00.000Z',
      },
    });
    expect(grantTermsOf(offer(), { ...facts, qualifyingMinor: 50_000 })).toMatchObject({
      grant: { amount: { minor_units: 10_000 } },
    });
  });

  it('computes deposit_plus_bonus wagering on both', () => {
    const result = grantTermsOf(offer({}, { wagering_base: 'deposit_plus_bonus', wager_x: 2 }), {
      ...facts,
      qualifyingMinor: 1_000,
    });
    expect(result).toMatchObject({ grant: { wagering_required: { minor_units: 4_000 } } });
  });

  it('credits cash when there is no wagering', () => {
    const result = grantTermsOf(offer({ type: 'no_deposit' }, { amount_minor: 700, wager_x: 0 }), {
      ...facts,
      qualifyingMinor: null,
    });
    expect(result).toMatchObject({
      grant: { credit_balance: 'cash', wagering_required: null, amount: { minor_units: 700 } },
    });
  });

  it('refuses a match offer without the qualifying amount, and free spins', () => {
    expect(grantTermsOf(offer(), { ...facts, qualifyingMinor: null })).toMatchObject({
      ok: false,
      code: 'INVALID_REQUEST',
    });
    expect(grantTermsOf(offer({ type: 'free_spins' }), { ...facts, qualifyingMinor: 1 })).toMatchObject({
      ok: false,
      code: 'OFFER_NOT_GRANTABLE',
    });
  });
});
