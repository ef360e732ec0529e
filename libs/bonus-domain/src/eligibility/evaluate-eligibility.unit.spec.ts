import { offerTerms, playerFacts } from '../offers/offer-fixtures';
import { evaluateEligibility } from './evaluate-eligibility';

const AT = new Date('2026-03-01T12:00:00Z');

describe(evaluateEligibility.name, () => {
  it('Given an offer without conditions, When an open account is evaluated, Then it is eligible', async () => {
    const result = await evaluateEligibility(offerTerms(), playerFacts(), { at: AT });
    expect(result).toEqual({ eligible: true, failures: [] });
  });

  it('Given every condition, When a player fails each one, Then every failure is listed with its code', async () => {
    const offer = offerTerms({
      eligibility: {
        brands: ['brand-x'],
        segments: ['vip'],
        countries: ['GB'],
        licences: ['GB'],
        channels: ['mobile'],
        min_kyc_level: 3,
        rg_clear: true,
        min_account_age_days: 30,
        first_deposit_only: true,
      },
    });
    const player = playerFacts({
      segments: ['reactivation'],
      country: 'SE',
      licence: 'SE',
      kyc_level: 1,
      self_excluded: true,
      account_created_at: '2026-02-25T00:00:00Z',
      closed: true,
      first_deposit_id: 'dep-0',
    });

    const result = await evaluateEligibility(offer, player, { at: AT, deposit_id: 'dep-2' });

    expect(result.eligible).toBe(false);
    expect(result.failures.map((failure) => failure.code)).toEqual([
      'BRAND_NOT_ALLOWED',
      'NOT_IN_SEGMENT',
      'COUNTRY_NOT_ALLOWED',
      'LICENCE_NOT_ALLOWED',
      'CHANNEL_NOT_ALLOWED',
      'KYC_LEVEL_TOO_LOW',
      'RG_RESTRICTED',
      'ACCOUNT_TOO_NEW',
      'NOT_FIRST_DEPOSIT',
      'ACCOUNT_CLOSED',
    ]);
    expect(result.failures.find((failure) => failure.code === 'ACCOUNT_TOO_NEW')?.reason).toBe(
      'the account is 4 days old, the offer needs 30',
    );
  });

  it('Given segments, When the player is in one of them, Then the segment condition holds', async () => {
    const offer = offerTerms({ eligibility: { segments: ['vip', 'high-roller'] } });
    const result = await evaluateEligibility(offer, playerFacts({ segments: ['casual', 'vip'] }), { at: AT });
    expect(result.eligible).toBe(true);
  });

  it('Given a channel condition, When the request names the channel, Then that channel is checked, not the registration one', async () => {
    const offer = offerTerms({ eligibility: { channels: ['mobile'] } });
    const player = playerFacts({ channel: 'web' });
    expect((await evaluateEligibility(offer, player, { at: AT, channel: 'mobile' })).eligible).toBe(true);
    expect((await evaluateEligibility(offer, player, { at: AT })).failures.map((f) => f.code)).toEqual([
      'CHANNEL_NOT_ALLOWED',
    ]);
  });

  describe('first deposit only', () => {
    const offer = offerTerms({ eligibility: { first_deposit_only: true } });

    it('Given no deposit seen yet, When asked without a deposit, Then the next deposit would qualify', async () => {
      expect((await evaluateEligibility(offer, playerFacts(), { at: AT })).eligible).toBe(true);
    });

    it('Given the triggering deposit is the first one recorded, When evaluated for it, Then it qualifies', async () => {
      const player = playerFacts({ first_deposit_id: 'dep-1' });
      expect((await evaluateEligibility(offer, player, { at: AT, deposit_id: 'dep-1' })).eligible).toBe(true);
    });

    it('Given an earlier deposit, When evaluated without naming one, Then NOT_FIRST_DEPOSIT', async () => {
      const player = playerFacts({ first_deposit_id: 'dep-1' });
      const result = await evaluateEligibility(offer, player, { at: AT });
      expect(result.failures.map((failure) => failure.code)).toEqual(['NOT_FIRST_DEPOSIT']);
    });
  });

  it('Given rg_clear, When the player is blocked (not self-excluded), Then RG_RESTRICTED', async () => {
    const offer = offerTerms({ eligibility: { rg_clear: true } });
    const result = await evaluateEligibility(offer, playerFacts({ blocked: true }), { at: AT });
    expect(result.failures.map((failure) => failure.code)).toEqual(['RG_RESTRICTED']);
  });

  it('Given an account exactly the minimum age, When evaluated, Then it is old enough', async () => {
    const offer = offerTerms({ eligibility: { min_account_age_days: 30 } });
    const player = playerFacts({ account_created_at: '2026-01-30T12:00:00Z' });
    expect((await evaluateEligibility(offer, player, { at: AT })).eligible).toBe(true);
  });
});
